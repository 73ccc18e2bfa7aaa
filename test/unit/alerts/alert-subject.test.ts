import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_EVENT_TYPES, type AlertEvent } from '../../../functions/core/alerts/alert-event.js';
import { composeSubject } from '../../../functions/core/alerts/alert-subject.js';
import { MAX_SUBJECT_LENGTH } from '../../../functions/core/alerts/sns-publish-limits.js';
import { eventOf, manyDetected, target } from './alert-fixtures.js';

describe('composeSubject', () => {
  it('says the highest severity, the target and the counts', () => {
    const events: AlertEvent[] = [
      ...manyDetected(2).map((e) => ({ ...e, severity: 'medium' as const })),
      eventOf('finding.opened'),
      eventOf('finding.resolved'),
    ];
    expect(composeSubject(target, events)).toBe(
      '[HIGH] ECR signing in 111122223333/us-east-1: 3 new findings, 1 resolved',
    );
  });

  it('tags a message made only of resolutions as RESOLVED', () => {
    const events = [eventOf('finding.resolved'), eventOf('scan.recovered')];
    expect(composeSubject(target, events)).toBe(
      '[RESOLVED] ECR signing in 111122223333/us-east-1: 1 resolved, scan recovered',
    );
  });

  it('has words for every event type', () => {
    for (const type of ALERT_EVENT_TYPES) {
      expect(composeSubject(target, [eventOf(type)])).toMatch(/: [a-z0-9]/);
    }
  });

  it('drops trailing counts behind an ellipsis when they do not fit', () => {
    const subject = composeSubject(target, ALERT_EVENT_TYPES.map(eventOf));
    expect(subject).toBe(
      '[HIGH] ECR signing in 111122223333/us-east-1: 1 new finding, 1 still open, 1 resolved, ...',
    );
  });

  it('stays printable ASCII on one line and under 100 characters whatever the target and events', () => {
    const events = fc.array(fc.constantFrom(...ALERT_EVENT_TYPES).map(eventOf), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        events,
        (accountId, region, list) => {
          const subject = composeSubject({ accountId, region }, list);
          expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
          expect(subject).toMatch(/^[\x20-\x7e]+$/);
        },
      ),
    );
  });
});
