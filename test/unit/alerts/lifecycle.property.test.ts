import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.js';
import type { TargetAlertState } from '../../../functions/core/alerts/index.js';
import { planAlerts, type ScanObservation } from '../../../functions/core/alerts/index.js';
import { at, failed, scanned, target, uncoveredRepository } from './alert-fixtures.js';

const pool = ['team/a', 'team/b', 'team/c', 'team/d', 'team/e'].map((name) => uncoveredRepository(name));

const observationArbitrary: fc.Arbitrary<ScanObservation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(failed()) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        present: fc.subarray(pool),
        signingConfigured: fc.constantFrom(true, true, true, false),
        configurationHash: fc.constantFrom('hash-a', 'hash-b'),
      })
      .map(({ present, signingConfigured, configurationHash }) =>
        scanned(present, { signingConfigured, configurationHash }),
      ),
  },
);

const runsArbitrary = fc.array(
  fc.record({ observation: observationArbitrary, hoursLater: fc.integer({ min: 0, max: 30 }) }),
  { minLength: 1, maxLength: 25 },
);

function fingerprintsOf(events: AlertEvent[], type: 'finding.opened' | 'finding.resolved'): string[] {
  return events.flatMap((e) => (e.type === type ? [e.fingerprint] : []));
}

describe('planAlerts properties', () => {
  it('never detects a fingerprint twice while it stays open, and resolves every detected one when it disappears', () => {
    fc.assert(
      fc.property(runsArbitrary, (runs) => {
        let state: TargetAlertState | null = null;
        let hours = 0;
        // Fingerprints announced by finding.opened and not yet by finding.resolved.
        const announced = new Set<string>();
        const step = (observation: ScanObservation) => {
          const plan = planAlerts({ target, previous: state, observation, now: at(hours) });
          for (const fingerprint of fingerprintsOf(plan.events, 'finding.opened')) {
            expect(announced.has(fingerprint)).toBe(false);
            announced.add(fingerprint);
          }
          for (const fingerprint of fingerprintsOf(plan.events, 'finding.resolved')) {
            expect(announced.delete(fingerprint)).toBe(true);
          }
          if (observation.kind === 'failed') {
            expect(plan.events.filter((e) => e.type.startsWith('finding.'))).toEqual([]);
            expect(plan.nextState.openFindings).toEqual(state?.openFindings ?? {});
          } else {
            const present = new Set(observation.findings.map((f) => f.fingerprint));
            for (const fingerprint of announced) expect(present.has(fingerprint)).toBe(true);
            if (observation.signingConfigured) expect(announced).toEqual(present);
            expect(new Set(Object.keys(plan.nextState.openFindings))).toEqual(present);
          }
          // The same observation again at the same moment is no news at all.
          const repeated = planAlerts({ target, previous: plan.nextState, observation, now: at(hours) });
          expect(repeated.events).toEqual([]);
          state = plan.nextState;
        };

        for (const run of runs) {
          hours += run.hoursLater;
          step(run.observation);
        }
        hours += 1;
        step(scanned([]));
        expect(announced.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
