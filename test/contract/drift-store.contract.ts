/**
 * The behaviour every DriftStore keeps, run over each implementation by its own test file.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Finding, SigningConfiguration, TargetRef } from '../../functions/core/types.js';
import type {
  DriftStore,
  DriftStoreOptions,
  JournalEntryInput,
  ObservedConfiguration,
} from '../../functions/records/drift-store.js';
import { DriftStoreError } from '../../functions/records/drift-store-error.js';

export type DriftStoreFactory = (options: DriftStoreOptions) => Promise<DriftStore>;

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;
const RETENTION_DAYS = 7;

const target: TargetRef = { accountId: '111122223333', region: 'eu-west-1' };
const otherTarget: TargetRef = { accountId: '444455556666', region: 'eu-west-1' };

const configuration: ObservedConfiguration = { canonicalJson: '{"rules":[]}', hash: 'sha256:empty' };
const changedConfiguration: ObservedConfiguration = { canonicalJson: 'null', hash: 'sha256:null' };

function finding(fingerprint: string, overrides: Partial<Finding> = {}): Finding {
  return {
    policyId: 'signing-required',
    policyTitle: 'Every repository is signed',
    severity: 'high',
    accountId: target.accountId,
    region: target.region,
    repositoryName: `team/${fingerprint}`,
    message: `repository team/${fingerprint} is not covered`,
    factsPath: '/uncoveredRepositories/0',
    fingerprint,
    ...overrides,
  };
}

/** A configuration at the model's limits: 10 rules of 100 filters of 256 characters, about 300 KB. */
function largestConfiguration(variant: string): SigningConfiguration {
  return {
    rules: Array.from({ length: 10 }, (_, rule) => ({
      signingProfileArn: `arn:aws:signer:eu-west-1:111122223333:/signing-profiles/profile_${rule}`,
      repositoryFilters: Array.from({ length: 100 }, (_, filter) => ({
        filter: `${variant}${rule}x${filter}-`.padEnd(256, 'a'),
        filterType: 'WILDCARD_MATCH' as const,
      })),
    })),
  };
}

function journalEntry(runId: string, overrides: Partial<JournalEntryInput> = {}): JournalEntryInput {
  return {
    runId,
    before: null,
    after: { rules: [{ signingProfileArn: 'arn:aws:signer:eu-west-1:111122223333:/signing-profiles/p1' }] },
    plan: { steps: [{ op: 'put', rules: 1 }] },
    status: 'planned',
    reason: null,
    ...overrides,
  };
}

export function describeDriftStoreContract(name: string, factory: DriftStoreFactory): void {
  describe(`${name} (DriftStore contract)`, () => {
    let store: DriftStore;

    beforeEach(async () => {
      store = await factory({ retentionDays: RETENTION_DAYS });
    });

    describe('targets and findings', () => {
      it('returns null for a target that was never observed', async () => {
        expect(await store.getTarget(target)).toBeNull();
      });

      it('records the configuration, scan status and scan time of a successful scan', async () => {
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [] },
          new Date(T0),
        );
        const record = await store.getTarget(target);
        expect(record?.state).toEqual({
          accountId: target.accountId,
          region: target.region,
          configuration,
          lastScan: { status: 'ok' },
          lastScanAt: new Date(T0).toISOString(),
          lastSuccessfulScanAt: new Date(T0).toISOString(),
        });
        expect(record?.openFindings.size).toBe(0);
      });

      it('opens new findings as seen now and not yet notified', async () => {
        const changes = await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a'), finding('b', { ruleIndex: 2 })] },
          T0,
        );
        expect(changes).toEqual({ opened: ['a', 'b'], closed: [], open: 2 });
        const open = (await store.getTarget(target))?.openFindings;
        const at = new Date(T0).toISOString();
        expect(open?.get('a')).toEqual({ ...finding('a'), firstSeen: at, lastSeen: at, lastNotified: null });
        expect(open?.get('b')?.ruleIndex).toBe(2);
      });

      it('keeps every member a finding has, the signing profile it is about included', async () => {
        const profileArn = 'arn:aws:signer:eu-west-1:111122223333:/signing-profiles/release';
        const aboutProfile = finding('a', { ruleIndex: 0, signingProfileArn: profileArn });
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [aboutProfile] },
          T0,
        );
        const at = new Date(T0).toISOString();
        expect((await store.getTarget(target))?.openFindings.get('a')).toEqual({
          ...aboutProfile,
          firstSeen: at,
          lastSeen: at,
          lastNotified: null,
        });
        const otherProfile = { ...aboutProfile, signingProfileArn: `${profileArn}_2` };
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [otherProfile] },
          T0 + MINUTE,
        );
        expect((await store.getTarget(target))?.openFindings.get('a')?.signingProfileArn).toBe(
          `${profileArn}_2`,
        );
      });

      it('stores only the members of a finding, not extra properties of the object given', async () => {
        const richer = { ...finding('a'), evaluationTrace: ['x'] };
        await store.saveTargetObservation(target, { status: 'ok', configuration, findings: [richer] }, T0);
        const open = (await store.getTarget(target))?.openFindings.get('a');
        expect(open).not.toHaveProperty('evaluationTrace');
      });

      it('keeps firstSeen and lastNotified of a finding seen again, with its new content and lastSeen', async () => {
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a')] },
          T0,
        );
        await store.markFindingsNotified(target, ['a'], T0 + MINUTE);
        const changes = await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a', { severity: 'critical' })] },
          T0 + 60 * MINUTE,
        );
        expect(changes).toEqual({ opened: [], closed: [], open: 1 });
        expect((await store.getTarget(target))?.openFindings.get('a')).toMatchObject({
          severity: 'critical',
          firstSeen: new Date(T0).toISOString(),
          lastSeen: new Date(T0 + 60 * MINUTE).toISOString(),
          lastNotified: new Date(T0 + MINUTE).toISOString(),
        });
      });

      it('closes the findings a later scan no longer produces', async () => {
        const findings = [finding('a'), finding('b'), finding('c')];
        await store.saveTargetObservation(target, { status: 'ok', configuration, findings }, T0);
        const changes = await store.saveTargetObservation(
          target,
          { status: 'ok', configuration: changedConfiguration, findings: [finding('b'), finding('d')] },
          T0 + MINUTE,
        );
        expect(changes).toEqual({ opened: ['d'], closed: ['a', 'c'], open: 2 });
        const record = await store.getTarget(target);
        expect([...(record?.openFindings.keys() ?? [])].sort()).toEqual(['b', 'd']);
        expect(record?.state.configuration).toEqual(changedConfiguration);
      });

      it('reopens a closed finding as new', async () => {
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a')] },
          T0,
        );
        await store.saveTargetObservation(target, { status: 'ok', configuration, findings: [] }, T0 + MINUTE);
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a')] },
          T0 + 2 * MINUTE,
        );
        const open = (await store.getTarget(target))?.openFindings.get('a');
        expect(open?.firstSeen).toBe(new Date(T0 + 2 * MINUTE).toISOString());
      });

      it('keeps configuration and findings when a scan fails, and records the failure', async () => {
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a')] },
          T0,
        );
        const error = { operation: 'GetSigningConfiguration', errorName: 'AccessDenied', message: 'denied' };
        const changes = await store.saveTargetObservation(target, { status: 'failed', error }, T0 + MINUTE);
        expect(changes).toEqual({ opened: [], closed: [], open: 1 });
        const record = await store.getTarget(target);
        expect(record?.state).toMatchObject({
          configuration,
          lastScan: { status: 'failed', error },
          lastScanAt: new Date(T0 + MINUTE).toISOString(),
          lastSuccessfulScanAt: new Date(T0).toISOString(),
        });
        expect(record?.openFindings.get('a')?.lastSeen).toBe(new Date(T0).toISOString());
      });

      it('replaces the alert bookkeeping when an observation brings it and keeps it when not', async () => {
        const bookkeeping = {
          lastScan: { status: 'ok', at: new Date(T0).toISOString() },
          signingNotConfigured: null,
        };
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [], alertBookkeeping: bookkeeping },
          T0,
        );
        expect((await store.getTarget(target))?.state.alertBookkeeping).toEqual(bookkeeping);
        const error = { operation: 'AssumeRole', errorName: 'AccessDenied', message: 'no role' };
        await store.saveTargetObservation(target, { status: 'failed', error }, T0 + MINUTE);
        expect((await store.getTarget(target))?.state.alertBookkeeping).toEqual(bookkeeping);
        const failedBookkeeping = {
          lastScan: { status: 'failed', at: new Date(T0 + 2 * MINUTE).toISOString() },
        };
        await store.saveTargetObservation(
          target,
          { status: 'failed', error, alertBookkeeping: failedBookkeeping },
          T0 + 2 * MINUTE,
        );
        expect((await store.getTarget(target))?.state.alertBookkeeping).toEqual(failedBookkeeping);
      });

      it('records a failed first scan with no configuration', async () => {
        const error = { operation: 'AssumeRole', errorName: 'AccessDenied', message: 'no role' };
        await store.saveTargetObservation(target, { status: 'failed', error }, T0);
        expect((await store.getTarget(target))?.state).toMatchObject({
          configuration: null,
          lastSuccessfulScanAt: null,
          lastScan: { status: 'failed', error },
        });
      });

      it('keeps the records of each target apart', async () => {
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a')] },
          T0,
        );
        await store.saveTargetObservation(
          otherTarget,
          { status: 'ok', configuration: changedConfiguration, findings: [finding('a', otherTarget)] },
          T0,
        );
        await store.saveTargetObservation(target, { status: 'ok', configuration, findings: [] }, T0 + MINUTE);
        expect((await store.getTarget(target))?.openFindings.size).toBe(0);
        const other = await store.getTarget(otherTarget);
        expect(other?.openFindings.get('a')?.accountId).toBe(otherTarget.accountId);
        expect(other?.state.configuration).toEqual(changedConfiguration);
      });

      it('round-trips 10,000 open findings and closes them all', async () => {
        const findings = Array.from({ length: 10_000 }, (_, i) =>
          finding(`fp-${String(i).padStart(5, '0')}`),
        );
        const opened = await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings },
          T0,
        );
        expect(opened.opened).toHaveLength(10_000);
        const open = (await store.getTarget(target))?.openFindings;
        expect(open?.size).toBe(10_000);
        expect(open?.get('fp-09999')?.message).toBe(findings[9999]?.message);
        const notified = [...(open?.keys() ?? [])].filter((_, i) => i % 100 === 0);
        expect(await store.markFindingsNotified(target, notified, T0 + MINUTE)).toBe(100);
        const closed = await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [] },
          T0 + 2 * MINUTE,
        );
        expect(closed.closed).toHaveLength(10_000);
        expect((await store.getTarget(target))?.openFindings.size).toBe(0);
      });

      it('stores a configuration at the model limits', async () => {
        const canonicalJson = JSON.stringify(largestConfiguration('state'));
        const large = { canonicalJson, hash: 'sha256:large' };
        await store.saveTargetObservation(target, { status: 'ok', configuration: large, findings: [] }, T0);
        expect((await store.getTarget(target))?.state.configuration?.canonicalJson).toBe(canonicalJson);
        await store.saveTargetObservation(target, { status: 'ok', configuration, findings: [] }, T0 + MINUTE);
        expect((await store.getTarget(target))?.state.configuration).toEqual(configuration);
      });

      it('marks only open findings notified and counts them', async () => {
        await store.saveTargetObservation(
          target,
          { status: 'ok', configuration, findings: [finding('a'), finding('b')] },
          T0,
        );
        expect(await store.markFindingsNotified(target, ['a', 'gone'], T0 + MINUTE)).toBe(1);
        const open = (await store.getTarget(target))?.openFindings;
        expect(open?.get('a')?.lastNotified).toBe(new Date(T0 + MINUTE).toISOString());
        expect(open?.get('b')?.lastNotified).toBeNull();
        expect(await store.markFindingsNotified(otherTarget, ['a'], T0)).toBe(0);
      });
    });

    describe('runs', () => {
      it('sets a run to expire after the retention period', async () => {
        const run = await store.recordRun({
          runId: 'run-1',
          mode: 'audit',
          startedAt: T0,
          finishedAt: null,
          counts: {},
        });
        expect(run.expiresAt).toBe((T0 + RETENTION_DAYS * DAY) / 1000);
        expect(run.startedAt).toBe(new Date(T0).toISOString());
      });

      it('replaces the record of a run when it finishes', async () => {
        const started = { runId: 'run-1', mode: 'remediate', startedAt: T0, finishedAt: null, counts: {} };
        await store.recordRun(started);
        const counts = { targets: 3, findings: { high: 2 } };
        await store.recordRun({ ...started, finishedAt: new Date(T0 + MINUTE), counts });
        expect(await store.listRuns(T0 + MINUTE)).toEqual([
          {
            runId: 'run-1',
            mode: 'remediate',
            startedAt: new Date(T0).toISOString(),
            finishedAt: new Date(T0 + MINUTE).toISOString(),
            counts,
            expiresAt: (T0 + RETENTION_DAYS * DAY) / 1000,
          },
        ]);
      });

      it('lists unexpired runs newest first, up to the limit', async () => {
        for (const [runId, startedAt] of [
          ['old', T0 - 10 * DAY],
          ['second', T0 - DAY],
          ['first', T0 - 2 * DAY],
          ['latest', T0],
        ] as const) {
          await store.recordRun({ runId, mode: 'audit', startedAt, finishedAt: null, counts: {} });
        }
        expect((await store.listRuns(T0)).map((run) => run.runId)).toEqual(['latest', 'second', 'first']);
        expect((await store.listRuns(T0, 2)).map((run) => run.runId)).toEqual(['latest', 'second']);
      });
    });

    describe('remediation journal', () => {
      it('has no entries for a target that was never remediated', async () => {
        expect(await store.listJournal(target)).toEqual([]);
        expect(await store.getJournalEntry(target, 'run-1')).toBeNull();
      });

      it("lists a target's entries newest first and gets one by run id", async () => {
        await store.saveJournalEntry(target, journalEntry('run-1'), T0);
        await store.saveJournalEntry(target, journalEntry('run-3'), T0 + 2 * MINUTE);
        await store.saveJournalEntry(target, journalEntry('run-2'), T0 + MINUTE);
        await store.saveJournalEntry(otherTarget, journalEntry('run-4'), T0 + 3 * MINUTE);
        expect((await store.listJournal(target)).map((entry) => entry.runId)).toEqual([
          'run-3',
          'run-2',
          'run-1',
        ]);
        expect(await store.getJournalEntry(target, 'run-2')).toEqual({
          ...journalEntry('run-2'),
          ...target,
          recordedAt: new Date(T0 + MINUTE).toISOString(),
          updatedAt: new Date(T0 + MINUTE).toISOString(),
        });
        expect(await store.getJournalEntry(target, 'run-4')).toBeNull();
      });

      it('keeps when an entry was recorded while its status changes', async () => {
        await store.saveJournalEntry(target, journalEntry('run-1'), T0);
        await store.saveJournalEntry(
          target,
          journalEntry('run-1', { status: 'rolled-back', reason: 'verification failed' }),
          T0 + MINUTE,
        );
        const entries = await store.listJournal(target);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          status: 'rolled-back',
          reason: 'verification failed',
          recordedAt: new Date(T0).toISOString(),
          updatedAt: new Date(T0 + MINUTE).toISOString(),
        });
      });

      it('stores an entry whose configurations before and after are at the model limits', async () => {
        const entry = journalEntry('run-1', {
          before: largestConfiguration('b'),
          after: largestConfiguration('c'),
          status: 'applied',
        });
        await store.saveJournalEntry(target, entry, T0);
        expect(await store.getJournalEntry(target, 'run-1')).toMatchObject(entry);
        expect((await store.listJournal(target))[0]?.after).toEqual(entry.after);
        await store.saveJournalEntry(target, journalEntry('run-1', { status: 'failed' }), T0 + MINUTE);
        expect(await store.getJournalEntry(target, 'run-1')).toMatchObject({
          status: 'failed',
          before: null,
        });
      });

      it('keeps the concurrent changes an entry overwrote, and a later release of the target', async () => {
        const overwroteConcurrentChange = [
          {
            principal: 'arn:aws:sts::222222222222:assumed-role/admin/alice',
            eventName: 'PutSigningConfiguration',
            eventTime: new Date(T0).toISOString(),
            signingConfiguration: largestConfiguration('d'),
          },
          {
            principal: 'arn:aws:iam::222222222222:user/bob',
            eventName: 'DeleteSigningConfiguration',
            eventTime: new Date(T0 + 1000).toISOString(),
            signingConfiguration: null,
          },
        ];
        await store.saveJournalEntry(
          target,
          journalEntry('run-1', { status: 'applied', overwroteConcurrentChange }),
          T0,
        );
        await store.saveJournalEntry(target, journalEntry('run-2', { status: 'released' }), T0 + MINUTE);

        const [released, applied] = await store.listJournal(target);
        expect(applied?.overwroteConcurrentChange).toEqual(overwroteConcurrentChange);
        expect(released).toMatchObject({ runId: 'run-2', status: 'released' });
        expect(released).not.toHaveProperty('overwroteConcurrentChange');
      });
    });

    describe('alert outbox', () => {
      it('keeps one alert when the same id is enqueued twice', async () => {
        expect(await store.enqueueAlert({ id: 'run-1:a:r', payload: { n: 1 } }, T0)).toBe(true);
        expect(await store.enqueueAlert({ id: 'run-1:a:r', payload: { n: 2 } }, T0 + MINUTE)).toBe(false);
        expect(await store.listPendingAlerts()).toEqual([
          {
            id: 'run-1:a:r',
            payload: { n: 1 },
            enqueuedAt: new Date(T0).toISOString(),
            attempts: 0,
            lastAttemptAt: null,
            lastError: null,
          },
        ]);
      });

      it('lists pending alerts oldest first', async () => {
        await store.enqueueAlert({ id: 'b', payload: 'second' }, T0 + MINUTE);
        await store.enqueueAlert({ id: 'c', payload: 'third' }, T0 + 2 * MINUTE);
        await store.enqueueAlert({ id: 'a', payload: 'first' }, T0);
        expect((await store.listPendingAlerts()).map((alert) => alert.payload)).toEqual([
          'first',
          'second',
          'third',
        ]);
      });

      it('keeps an alert pending after failed publishes, counting them', async () => {
        await store.enqueueAlert({ id: 'a', payload: null }, T0);
        await store.recordAlertFailure('a', 'Throttling: rate exceeded', T0 + MINUTE);
        const updated = await store.recordAlertFailure('a', 'InternalError', T0 + 2 * MINUTE);
        expect(updated).toMatchObject({ attempts: 2, lastError: 'InternalError' });
        expect(await store.listPendingAlerts()).toEqual([
          {
            id: 'a',
            payload: null,
            enqueuedAt: new Date(T0).toISOString(),
            attempts: 2,
            lastAttemptAt: new Date(T0 + 2 * MINUTE).toISOString(),
            lastError: 'InternalError',
          },
        ]);
      });

      it('refuses to record a failed publish of an alert that is not pending', async () => {
        await expect(store.recordAlertFailure('unknown', 'x', T0)).rejects.toBeInstanceOf(DriftStoreError);
      });

      it('takes a sent alert out of the outbox and does not enqueue its id again', async () => {
        await store.enqueueAlert({ id: 'a', payload: 1 }, T0);
        await store.enqueueAlert({ id: 'b', payload: 2 }, T0);
        await store.markAlertSent('a', T0 + MINUTE);
        expect((await store.listPendingAlerts()).map((alert) => alert.id)).toEqual(['b']);
        expect(await store.enqueueAlert({ id: 'a', payload: 1 }, T0 + 2 * MINUTE)).toBe(false);
        expect((await store.listPendingAlerts()).map((alert) => alert.id)).toEqual(['b']);
      });
    });

    describe('leases', () => {
      it('refuses a held lease to another owner until it expires', async () => {
        expect(await store.acquireLease('run', 'a', 10 * MINUTE, T0)).toBe(true);
        expect(await store.acquireLease('run', 'b', 10 * MINUTE, T0 + 9 * MINUTE)).toBe(false);
        expect(await store.acquireLease('run', 'b', 10 * MINUTE, T0 + 10 * MINUTE)).toBe(true);
        expect(await store.acquireLease('run', 'a', 10 * MINUTE, T0 + 11 * MINUTE)).toBe(false);
      });

      it('extends a lease its owner acquires again', async () => {
        expect(await store.acquireLease('run', 'a', 10 * MINUTE, T0)).toBe(true);
        expect(await store.acquireLease('run', 'a', 10 * MINUTE, T0 + 5 * MINUTE)).toBe(true);
        expect(await store.acquireLease('run', 'b', 10 * MINUTE, T0 + 12 * MINUTE)).toBe(false);
      });

      it('grants a lease to exactly one of many concurrent runs', async () => {
        const owners = Array.from({ length: 24 }, (_, i) => `run-${i}`);
        const granted = await Promise.all(
          owners.map((owner) => store.acquireLease('run', owner, MINUTE, T0)),
        );
        expect(granted.filter(Boolean)).toHaveLength(1);
        const winner = owners[granted.indexOf(true)] ?? '';
        expect(await store.acquireLease('run', winner, MINUTE, T0 + 1)).toBe(true);
      });

      it('grants an expired lease to exactly one of many concurrent runs', async () => {
        await store.acquireLease('run', 'crashed', MINUTE, T0);
        const owners = Array.from({ length: 24 }, (_, i) => `run-${i}`);
        const granted = await Promise.all(
          owners.map((owner) => store.acquireLease('run', owner, MINUTE, T0 + 2 * MINUTE)),
        );
        expect(granted.filter(Boolean)).toHaveLength(1);
      });

      it('ignores a release by another owner and frees the lease on release by its owner', async () => {
        await store.acquireLease('run', 'a', 10 * MINUTE, T0);
        expect(await store.releaseLease('run', 'b')).toBe(false);
        expect(await store.acquireLease('run', 'b', 10 * MINUTE, T0 + MINUTE)).toBe(false);
        expect(await store.releaseLease('run', 'a')).toBe(true);
        expect(await store.acquireLease('run', 'b', 10 * MINUTE, T0 + MINUTE)).toBe(true);
        expect(await store.releaseLease('run', 'a')).toBe(false);
      });

      it('renews a lease only for the owner still holding it, keeping when it was taken', async () => {
        await store.acquireLease('run', 'a', MINUTE, T0);
        expect(await store.renewLease('run', 'a', MINUTE, T0 + 50_000)).toBe(true);
        expect(await store.acquireLease('run', 'b', MINUTE, T0 + 100_000)).toBe(false);
        expect(await store.getLease('run', T0 + 100_000)).toEqual({
          owner: 'a',
          acquiredAt: new Date(T0).toISOString(),
          expiresAt: new Date(T0 + 110_000).toISOString(),
        });
        expect(await store.renewLease('run', 'b', MINUTE, T0 + 100_000)).toBe(false);
      });

      it('refuses a renewal once another owner took the lapsed lease', async () => {
        await store.acquireLease('run', 'a', MINUTE, T0);
        expect(await store.acquireLease('run', 'b', MINUTE, T0 + 2 * MINUTE)).toBe(true);
        expect(await store.renewLease('run', 'a', MINUTE, T0 + 2 * MINUTE)).toBe(false);
        expect((await store.getLease('run', T0 + 2 * MINUTE))?.owner).toBe('b');
      });

      it('renews a lapsed lease nobody took since, and never a released one', async () => {
        await store.acquireLease('run', 'a', MINUTE, T0);
        expect(await store.renewLease('run', 'a', MINUTE, T0 + 2 * MINUTE)).toBe(true);
        expect(await store.releaseLease('run', 'a')).toBe(true);
        expect(await store.renewLease('run', 'a', MINUTE, T0 + 2 * MINUTE)).toBe(false);
        expect(await store.renewLease('never-taken', 'a', MINUTE, T0)).toBe(false);
      });

      it('names no holder for a free, expired or released lease', async () => {
        expect(await store.getLease('run', T0)).toBeNull();
        await store.acquireLease('run', 'a', MINUTE, T0);
        expect(await store.getLease('run', T0 + MINUTE)).toBeNull();
        await store.acquireLease('other', 'a', MINUTE, T0);
        await store.releaseLease('other', 'a');
        expect(await store.getLease('other', T0)).toBeNull();
      });

      it('keeps leases of different names apart', async () => {
        expect(await store.acquireLease('run', 'a', MINUTE, T0)).toBe(true);
        expect(await store.acquireLease('remediate/eu-west-1', 'b', MINUTE, T0)).toBe(true);
        expect(await store.releaseLease('never-taken', 'a')).toBe(false);
      });
    });

    describe('counters', () => {
      it('counts takes up to the limit and refuses past it', async () => {
        const taken = [];
        for (let i = 0; i < 4; i++) taken.push(await store.takeFromCounter('remediations:run-1', 3, T0));
        expect(taken).toEqual([1, 2, 3, null]);
        expect(await store.takeFromCounter('remediations:run-2', 3, T0)).toBe(1);
      });

      it('never grants more than the limit to many concurrent takers', async () => {
        const taken = await Promise.all(
          Array.from({ length: 24 }, () => store.takeFromCounter('remediations:run-1', 5, T0)),
        );
        expect(taken.filter((n) => n !== null).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5]);
      });

      it('grants again what is given back, and never goes below zero', async () => {
        await store.giveBackToCounter('remediations:run-1');
        expect(await store.takeFromCounter('remediations:run-1', 1, T0)).toBe(1);
        expect(await store.takeFromCounter('remediations:run-1', 1, T0)).toBeNull();
        await store.giveBackToCounter('remediations:run-1');
        await store.giveBackToCounter('remediations:run-1');
        expect(await store.takeFromCounter('remediations:run-1', 1, T0)).toBe(1);
        expect(await store.takeFromCounter('remediations:run-1', 1, T0)).toBeNull();
      });
    });
  });
}
