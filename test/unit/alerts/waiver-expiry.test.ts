import { describe, expect, it } from 'vitest';
import { composeSubject } from '../../../functions/core/alerts/alert-subject.js';
import { expiredWaiverNotices, type TargetAlertState } from '../../../functions/core/alerts/index.js';
import { planAlerts } from '../../../functions/core/alerts/lifecycle.js';
import type { Waiver } from '../../../functions/core/policy/index.js';
import { at, failed, scanned, target, uncoveredRepository } from './alert-fixtures.js';

const waiver: Waiver = {
  policyId: 'repository-covered',
  reason: 'legacy estate, migrating in Q1',
  owner: 'platform@example.com',
  ticket: 'SEC-42',
  expires: '2026-03-01',
  source: 'policies/waivers/legacy.json#0',
};
const api = uncoveredRepository('team/api');
const web = uncoveredRepository('team/web', { severity: 'critical' });
const expired = expiredWaiverNotices([
  { finding: api, waiver },
  { finding: web, waiver },
]);

function plan(
  previous: TargetAlertState | null,
  hours: number,
  observation = scanned([api, web], { expiredWaivers: expired }),
) {
  return planAlerts({ target, previous, observation, now: at(hours) });
}

describe('waiver.expired', () => {
  it('is one event per expired waiver, with its findings counted and the most severe one', () => {
    expect(expired).toEqual([
      {
        waiverSource: waiver.source,
        policyId: waiver.policyId,
        owner: waiver.owner,
        reason: waiver.reason,
        ticket: 'SEC-42',
        expires: '2026-03-01',
        severity: 'critical',
        findingCount: 2,
      },
    ]);
    const first = plan(null, 0);
    expect(first.events.filter((e) => e.type === 'waiver.expired')).toEqual([
      { type: 'waiver.expired', ...expired[0] },
    ]);
    expect(composeSubject(target, first.events)).toContain('1 waiver expired');
  });

  it('is told once: later runs with the waiver still expired say nothing of it, reminders included', () => {
    const first = plan(null, 0);
    const second = plan(first.nextState, 1);
    const dayLater = plan(second.nextState, 48);
    expect(second.events.map((e) => e.type)).not.toContain('waiver.expired');
    expect(dayLater.events.map((e) => e.type)).not.toContain('waiver.expired');
  });

  it('is remembered through a failed scan', () => {
    const first = plan(null, 0);
    const failedRun = planAlerts({ target, previous: first.nextState, observation: failed(), now: at(1) });
    expect(failedRun.nextState.expiredWaivers).toEqual(first.nextState.expiredWaivers);
    expect(plan(failedRun.nextState, 2).events.map((e) => e.type)).not.toContain('waiver.expired');
  });

  it('is told again when the waiver was renewed and expired once more', () => {
    const first = plan(null, 0);
    const renewed = plan(first.nextState, 1, scanned([]));
    expect(renewed.nextState.expiredWaivers).toBeUndefined();
    const again = expiredWaiverNotices([{ finding: api, waiver: { ...waiver, expires: '2026-03-02' } }]);
    const reExpired = plan(renewed.nextState, 2, scanned([api], { expiredWaivers: again }));
    expect(reExpired.events.filter((e) => e.type === 'waiver.expired')).toHaveLength(1);
  });
});
