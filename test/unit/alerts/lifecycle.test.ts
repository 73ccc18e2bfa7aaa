import { describe, expect, it } from 'vitest';
import type { AlertEvent, AlertEventType } from '../../../functions/core/alerts/alert-event.js';
import type { TargetAlertState } from '../../../functions/core/alerts/index.js';
import {
  DEFAULT_REMINDER_INTERVAL_MS,
  MAX_LISTED_REPOSITORIES,
  type PlanAlertsInput,
  planAlerts,
  type ScanObservation,
} from '../../../functions/core/alerts/lifecycle.js';
import {
  at,
  failed,
  HOUR_MS,
  notConfigured,
  scanned,
  target,
  uncoveredRepository,
} from './alert-fixtures.js';

/** Runs the lifecycle over successive runs, carrying the state; returns each run's events. */
function runSequence(
  runs: { hours: number; observation: ScanObservation; options?: Partial<PlanAlertsInput> }[],
  initial: TargetAlertState | null = null,
): { events: AlertEvent[][]; state: TargetAlertState } {
  let state = initial;
  const events: AlertEvent[][] = [];
  for (const run of runs) {
    const plan = planAlerts({
      target,
      previous: state,
      observation: run.observation,
      now: at(run.hours),
      ...run.options,
    });
    events.push(plan.events);
    state = plan.nextState;
  }
  return { events, state: state! };
}

function types(events: AlertEvent[] | undefined): AlertEventType[] {
  return (events ?? []).map((e) => e.type);
}

function fingerprints(events: AlertEvent[] | undefined, type: AlertEventType): string[] {
  return (events ?? []).flatMap((e) => (e.type === type && 'fingerprint' in e ? [e.fingerprint] : []));
}

const api = uncoveredRepository('team/api');
const web = uncoveredRepository('team/web', { severity: 'critical' });

describe('planAlerts: findings', () => {
  it('emits finding.opened for each finding of a target seen for the first time', () => {
    const { events, state } = runSequence([{ hours: 0, observation: scanned([api, web]) }]);
    expect(types(events[0])).toEqual(['finding.opened', 'finding.opened']);
    // Most severe first.
    expect(fingerprints(events[0], 'finding.opened')).toEqual([web.fingerprint, api.fingerprint]);
    expect(events[0]![0]).toMatchObject({
      type: 'finding.opened',
      policyId: 'repository-covered',
      repositoryName: 'team/web',
      severity: 'critical',
      firstSeen: at(0).toISOString(),
    });
    expect(state.openFindings[api.fingerprint]).toMatchObject({
      firstSeen: at(0).toISOString(),
      lastSeen: at(0).toISOString(),
      lastNotified: at(0).toISOString(),
    });
  });

  it('stays silent when the next run sees the same findings', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 1, observation: scanned([api]) },
    ]);
    expect(events[1]).toEqual([]);
    expect(state.openFindings[api.fingerprint]).toMatchObject({
      firstSeen: at(0).toISOString(),
      lastSeen: at(1).toISOString(),
      lastNotified: at(0).toISOString(),
    });
  });

  it('reminds about an open finding when the interval since it was last notified has passed, not before', () => {
    const justBefore = DEFAULT_REMINDER_INTERVAL_MS / HOUR_MS - 1 / 3600;
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: justBefore, observation: scanned([api]) },
      { hours: 24, observation: scanned([api]) },
      { hours: 25, observation: scanned([api]) },
    ]);
    expect(events[1]).toEqual([]);
    expect(types(events[2])).toEqual(['finding.reminder']);
    expect(events[2]![0]).toMatchObject({
      fingerprint: api.fingerprint,
      firstSeen: at(0).toISOString(),
      previouslyNotified: at(0).toISOString(),
    });
    expect(events[3]).toEqual([]);
    expect(state.openFindings[api.fingerprint]!.lastNotified).toBe(at(24).toISOString());
  });

  it('reminds on the interval it is given', () => {
    const options = { reminderIntervalMs: 2 * HOUR_MS };
    const { events } = runSequence([
      { hours: 0, observation: scanned([api]), options },
      { hours: 1, observation: scanned([api]), options },
      { hours: 2, observation: scanned([api]), options },
    ]);
    expect(types(events[1])).toEqual([]);
    expect(types(events[2])).toEqual(['finding.reminder']);
  });

  it('updates lastNotified only for the findings it notifies, and lastSeen for every finding seen', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 12, observation: scanned([api, web]) },
      { hours: 24, observation: scanned([api, web]) },
    ]);
    expect(fingerprints(events[1], 'finding.opened')).toEqual([web.fingerprint]);
    expect(fingerprints(events[2], 'finding.reminder')).toEqual([api.fingerprint]);
    expect(state.openFindings[api.fingerprint]).toMatchObject({
      lastSeen: at(24).toISOString(),
      lastNotified: at(24).toISOString(),
    });
    expect(state.openFindings[web.fingerprint]).toMatchObject({
      lastSeen: at(24).toISOString(),
      lastNotified: at(12).toISOString(),
    });
  });

  it('emits finding.resolved when a finding is gone and stops tracking it', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api, web]) },
      { hours: 1, observation: scanned([web]) },
      { hours: 2, observation: scanned([web]) },
    ]);
    expect(types(events[1])).toEqual(['finding.resolved']);
    expect(events[1]![0]).toMatchObject({
      fingerprint: api.fingerprint,
      repositoryName: 'team/api',
      severity: 'high',
      firstSeen: at(0).toISOString(),
      lastSeen: at(0).toISOString(),
    });
    expect(events[2]).toEqual([]);
    expect(Object.keys(state.openFindings)).toEqual([web.fingerprint]);
  });

  it('detects a finding again when it comes back after being resolved', () => {
    const { events } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 1, observation: scanned([]) },
      { hours: 2, observation: scanned([api]) },
    ]);
    expect(types(events[1])).toEqual(['finding.resolved']);
    expect(events[2]).toMatchObject([{ type: 'finding.opened', firstSeen: at(2).toISOString() }]);
  });

  it('describes a finding with its latest words', () => {
    const reworded = { ...api, message: 'Repository team/api has no signing rule' };
    const { state } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 1, observation: scanned([reworded]) },
    ]);
    expect(state.openFindings[api.fingerprint]!.message).toBe(reworded.message);
  });

  it('describes a finding with the members alerts document only, whatever else the finding carries', () => {
    const profileArn = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing';
    const aboutRule = { ...web, ruleIndex: 0, signingProfileArn: profileArn };
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([aboutRule]) },
      { hours: 24, observation: scanned([aboutRule]) },
    ]);
    const { accountId: _a, region: _r, signingProfileArn: _s, ...documented } = aboutRule;
    expect(events[0]).toEqual([{ type: 'finding.opened', ...documented, firstSeen: at(0).toISOString() }]);
    expect(events[1]).toEqual([
      {
        type: 'finding.reminder',
        ...documented,
        firstSeen: at(0).toISOString(),
        previouslyNotified: at(0).toISOString(),
      },
    ]);
    expect(state.openFindings[web.fingerprint]).not.toHaveProperty('signingProfileArn');
  });
});

describe('planAlerts: configuration', () => {
  it('emits config.changed with the caller words when the hash changes since the last scan', () => {
    const changes = ["rule 1: filter 'team/*' added", 'rule 2 removed'];
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([]) },
      {
        hours: 1,
        observation: scanned([], {
          configurationHash: 'hash-b',
          configuration: { rules: [] },
          configurationChange: changes,
        }),
      },
    ]);
    expect(events[0]).toEqual([]);
    expect(events[1]).toEqual([
      { type: 'config.changed', severity: 'low', previousHash: 'hash-a', currentHash: 'hash-b', changes },
    ]);
    expect(state.configuration).toEqual({ hash: 'hash-b', canonicalJson: '{"rules":[]}' });
  });

  it('keeps the configuration as JSON text null for a registry never configured', () => {
    const { state } = runSequence([{ hours: 0, observation: notConfigured([]) }]);
    expect(state.configuration).toEqual({ hash: 'hash-null', canonicalJson: 'null' });
  });

  it('emits no config.changed when the only earlier runs failed', () => {
    const { events } = runSequence([
      { hours: 0, observation: failed() },
      { hours: 1, observation: scanned([], { configurationHash: 'hash-b' }) },
    ]);
    expect(types(events[1])).toEqual(['scan.recovered']);
  });
});

describe('planAlerts: scan failures', () => {
  it('emits scan.failed once while the target keeps failing, and again after the reminder interval', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 1, observation: failed() },
      { hours: 2, observation: failed() },
      { hours: 24, observation: failed('ThrottlingException') },
      { hours: 25, observation: failed() },
      { hours: 25 + 24, observation: failed() },
    ]);
    expect(events[1]).toEqual([
      {
        type: 'scan.failed',
        severity: 'medium',
        error: {
          operation: 'GetSigningConfiguration',
          errorName: 'AccessDeniedException',
          message: 'User is not authorized to perform ecr:GetSigningConfiguration',
        },
        failingSince: at(1).toISOString(),
        reminder: false,
      },
    ]);
    expect(events[2]).toEqual([]);
    expect(events[3]).toEqual([]);
    expect(events[4]).toMatchObject([
      { type: 'scan.failed', reminder: true, failingSince: at(1).toISOString() },
    ]);
    expect(events[5]).toMatchObject([{ type: 'scan.failed', reminder: true }]);
    expect(state.lastScan).toMatchObject({ status: 'failed', lastNotified: at(49).toISOString() });
  });

  it('emits scan.failed for a target whose first scan fails', () => {
    const { events, state } = runSequence([{ hours: 0, observation: failed() }]);
    expect(types(events[0])).toEqual(['scan.failed']);
    expect(state).toMatchObject({ configuration: null, openFindings: {}, signingNotConfigured: null });
  });

  it('emits scan.recovered when a failing target scans fine again', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([]) },
      { hours: 1, observation: failed('ThrottlingException') },
      { hours: 2, observation: failed() },
      { hours: 3, observation: scanned([]) },
      { hours: 4, observation: scanned([]) },
    ]);
    expect(events[3]).toEqual([
      {
        type: 'scan.recovered',
        severity: 'info',
        failingSince: at(1).toISOString(),
        lastError: {
          operation: 'GetSigningConfiguration',
          errorName: 'AccessDeniedException',
          message: 'User is not authorized to perform ecr:GetSigningConfiguration',
        },
      },
    ]);
    expect(events[4]).toEqual([]);
    expect(state.lastScan).toEqual({ status: 'ok', at: at(4).toISOString() });
  });

  it('keeps open findings and the configuration through a failed scan', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api, web]) },
      { hours: 1, observation: failed() },
      { hours: 30, observation: failed() },
    ]);
    expect(types(events[1])).toEqual(['scan.failed']);
    // No finding.resolved and no finding.reminder: a failed scan does not know.
    expect(types(events[2])).toEqual(['scan.failed']);
    expect(Object.keys(state.openFindings).sort()).toEqual([api.fingerprint, web.fingerprint].sort());
    expect(state.openFindings[api.fingerprint]!.lastSeen).toBe(at(0).toISOString());
    expect(state.configuration?.hash).toBe('hash-a');
  });

  it('resolves findings that vanished while the target was failing once it scans again', () => {
    const { events } = runSequence([
      { hours: 0, observation: scanned([api, web]) },
      { hours: 1, observation: failed() },
      { hours: 2, observation: scanned([web]) },
    ]);
    expect(types(events[2])).toEqual(['scan.recovered', 'finding.resolved']);
    expect(fingerprints(events[2], 'finding.resolved')).toEqual([api.fingerprint]);
  });
});

describe('planAlerts: registry without signing configuration', () => {
  const repositories = Array.from({ length: 30 }, (_, i) => `team/service-${String(i).padStart(2, '0')}`);

  it('collapses the uncovered-repository findings into one signing.not-configured event', () => {
    const withAccountPolicy = notConfigured(repositories);
    if (withAccountPolicy.kind !== 'scanned') throw new Error('fixture');
    const accountFinding = {
      ...uncoveredRepository('unused'),
      policyId: 'signing-configured',
      policyTitle: 'Registry signing is configured',
      severity: 'critical' as const,
      factsPath: '/signingConfigured',
      fingerprint: 'signing-configured',
    };
    delete accountFinding.repositoryName;
    const observation = { ...withAccountPolicy, findings: [...withAccountPolicy.findings, accountFinding] };

    const { events, state } = runSequence([{ hours: 0, observation }]);

    expect(events[0]).toEqual([
      {
        type: 'signing.not-configured',
        severity: 'critical',
        since: at(0).toISOString(),
        reminder: false,
        findingCount: 31,
        newFindingCount: 31,
        policies: [
          {
            policyId: 'signing-configured',
            policyTitle: 'Registry signing is configured',
            severity: 'critical',
            findingCount: 1,
          },
          {
            policyId: 'repository-covered',
            policyTitle: 'Every repository is covered by a signing rule',
            severity: 'high',
            findingCount: 30,
          },
        ],
        repositoryCount: 30,
        repositoryNames: repositories.slice(0, MAX_LISTED_REPOSITORIES),
      },
    ]);
    expect(Object.keys(state.openFindings)).toHaveLength(31);
    expect(Object.values(state.openFindings).every((f) => f.lastNotified === null)).toBe(true);
  });

  it('stays silent while nothing changes and reminds once per interval', () => {
    const { events } = runSequence([
      { hours: 0, observation: notConfigured(repositories) },
      { hours: 1, observation: notConfigured([...repositories, 'team/new']) },
      { hours: 24, observation: notConfigured(repositories) },
    ]);
    expect(events[1]).toEqual([]);
    expect(events[2]).toMatchObject([
      { type: 'signing.not-configured', reminder: true, since: at(0).toISOString(), findingCount: 30 },
    ]);
  });

  it('says nothing about a registry without configuration when no policy objects', () => {
    const { events, state } = runSequence([{ hours: 0, observation: notConfigured([]) }]);
    expect(events[0]).toEqual([]);
    expect(state.signingNotConfigured).toBeNull();
  });

  it('resolves held-back findings once signing is configured and detects those that remain', () => {
    const configured = scanned([uncoveredRepository('team/service-29')], {
      configurationHash: 'hash-a',
      configurationChange: ['rule 1 added'],
    });
    const { events, state } = runSequence([
      { hours: 0, observation: notConfigured(repositories) },
      { hours: 5, observation: configured },
      { hours: 6, observation: scanned([]) },
    ]);
    expect(types(events[1])).toEqual(['signing.configured', 'config.changed', 'finding.opened']);
    expect(events[1]![0]).toEqual({
      type: 'signing.configured',
      severity: 'info',
      notConfiguredSince: at(0).toISOString(),
      resolvedFindingCount: 29,
    });
    // Detected now, but open since the first run.
    expect(events[1]![2]).toMatchObject({
      fingerprint: 'repository-covered:team/service-29',
      firstSeen: at(0).toISOString(),
    });
    expect(fingerprints(events[2], 'finding.resolved')).toEqual(['repository-covered:team/service-29']);
    expect(state.openFindings).toEqual({});
    expect(state.signingNotConfigured).toBeNull();
  });

  it('still resolves a finding notified before the configuration was deleted', () => {
    const { events } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 1, observation: notConfigured(['team/web']) },
    ]);
    expect(types(events[1])).toEqual(['signing.not-configured', 'config.changed', 'finding.resolved']);
  });
});

describe('planAlerts: remediation and quiet runs', () => {
  it('emits remediation events in the order the outcomes are given', () => {
    const { events } = runSequence([
      {
        hours: 0,
        observation: scanned([]),
        options: {
          remediations: [
            { status: 'planned', summary: 'Add rule 1', changes: ["add filter 'team/*'"] },
            { status: 'failed', summary: 'Add rule 1', changes: [], reason: 'AccessDeniedException' },
            { status: 'applied', summary: 'Add rule 2', changes: ['add rule 2'] },
          ],
        },
      },
    ]);
    expect(events[0]).toEqual([
      {
        type: 'remediation.planned',
        severity: 'info',
        status: 'planned',
        summary: 'Add rule 1',
        changes: ["add filter 'team/*'"],
      },
      {
        type: 'remediation.applied',
        severity: 'low',
        status: 'applied',
        summary: 'Add rule 2',
        changes: ['add rule 2'],
      },
      {
        type: 'remediation.failed',
        severity: 'high',
        status: 'failed',
        summary: 'Add rule 1',
        changes: [],
        reason: 'AccessDeniedException',
      },
    ]);
  });

  it('tells the same planned or failed remediation once, then again only after the reminder interval', () => {
    const plan = { status: 'planned' as const, summary: 'merge plan: 1 change', changes: ['add filter'] };
    const refused = { status: 'failed' as const, summary: 'merge plan: 2 changes', changes: [], reason: 'x' };
    const remediations = [plan, refused];
    const { events } = runSequence([
      { hours: 0, observation: scanned([]), options: { remediations } },
      { hours: 1, observation: scanned([]), options: { remediations } },
      { hours: 23, observation: scanned([]), options: { remediations } },
      { hours: 24, observation: scanned([]), options: { remediations } },
    ]);
    expect(events.map(types)).toEqual([
      ['remediation.planned', 'remediation.failed'],
      [],
      [],
      ['remediation.planned', 'remediation.failed'],
    ]);
  });

  it('tells a remediation anew when what it says changes, and every applied one', () => {
    const plan = { status: 'planned' as const, summary: 'merge plan: 1 change', changes: ['add filter'] };
    const applied = { ...plan, status: 'applied' as const };
    const { events } = runSequence([
      { hours: 0, observation: scanned([]), options: { remediations: [plan] } },
      { hours: 1, observation: scanned([]), options: { remediations: [{ ...plan, changes: ['add rule'] }] } },
      { hours: 2, observation: scanned([]), options: { remediations: [applied] } },
      { hours: 3, observation: scanned([]), options: { remediations: [applied] } },
      { hours: 4, observation: scanned([]), options: { remediations: [{ ...plan, reason: 'budget' }] } },
    ]);
    expect(events.map(types)).toEqual([
      ['remediation.planned'],
      ['remediation.planned'],
      ['remediation.applied'],
      ['remediation.applied'],
      ['remediation.planned'],
    ]);
  });

  it('forgets a remediation no longer reported, but not because a scan failed', () => {
    const plan = { status: 'planned' as const, summary: 'merge plan: 1 change', changes: ['add filter'] };
    const { events } = runSequence([
      { hours: 0, observation: scanned([]), options: { remediations: [plan] } },
      { hours: 1, observation: failed() },
      { hours: 2, observation: scanned([]), options: { remediations: [plan] } },
      { hours: 3, observation: scanned([]) },
      { hours: 4, observation: scanned([]), options: { remediations: [plan] } },
    ]);
    expect(events.map(types)).toEqual([
      ['remediation.planned'],
      ['scan.failed'],
      ['scan.recovered'],
      [],
      ['remediation.planned'],
    ]);
  });

  it('yields no events for a run without transitions', () => {
    const { events, state } = runSequence([
      { hours: 0, observation: scanned([api]) },
      { hours: 1, observation: scanned([api]) },
      { hours: 2, observation: scanned([api], { configurationChange: ['ignored: the hash is the same'] }) },
    ]);
    expect(events.slice(1)).toEqual([[], []]);
    expect(state.lastScan).toEqual({ status: 'ok', at: at(2).toISOString() });
  });

  it('keeps a state that survives a JSON round trip', () => {
    const { state } = runSequence([
      { hours: 0, observation: scanned([api, web]) },
      { hours: 1, observation: failed() },
    ]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('refuses a previous state that belongs to another target', () => {
    const { state } = runSequence([{ hours: 0, observation: scanned([]) }]);
    expect(() =>
      planAlerts({
        target: { accountId: '444455556666', region: 'us-east-1' },
        previous: state,
        observation: scanned([]),
        now: at(1),
      }),
    ).toThrow('previous state is for 111122223333/us-east-1, not 444455556666/us-east-1');
  });
});
