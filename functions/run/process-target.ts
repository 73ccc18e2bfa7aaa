/**
 * One target of a run, start to end: audit, remediate, decide alerts, record, enqueue.
 * The single-function run and the scale-out worker both call exactly this.
 * Records are written before the alert is enqueued, and nothing is published here.
 */

import {
  type ChangeAttribution,
  composeAlertMessage,
  EVENT_SEVERITY,
  expiredWaiverNotices,
  planAlerts,
  type ScanObservation,
} from '../core/alerts/index.js';
import { tryAuditRegistry } from '../core/audit.js';
import {
  canonicalJson,
  configurationHash,
  describeConfigurationChange,
  MATCHES_DESIRED_ID,
} from '../core/drift/index.js';
import type { UnevaluatedScope } from '../core/policy/index.js';
import type { SigningConfiguration, TargetRef } from '../core/types.js';
import type {
  AlertInput,
  JsonObject,
  JsonValue,
  ObservedConfiguration,
  TargetObservation,
  TargetRecord,
  UnfinishedAlert,
} from '../records/drift-store.js';
import { CorruptRecordError } from '../records/drift-store-error.js';
import { HeldLease, leaseHolderOf, runIdOfLeaseHolder } from '../records/held-lease.js';
import type { TargetOutcome } from '../scan/scan-targets.js';
import { targetKey } from '../scan/targets.js';
import { bookkeepingOf, notifiedFingerprints, toAlertState } from './alert-state.js';
import type { RunDependencies, RunSettings, TargetRemediation, TargetResult } from './run-types.js';
import { findingImportOf } from './security-hub-import.js';
import { unevaluatedFindings } from './unevaluated-findings.js';
import { unsampledImageFindings } from './unsampled-image-findings.js';

/**
 * Who made the configuration being recorded: this run's lookup, the tool itself after its
 * own write, or what the previous record said of the same configuration.
 */
function changedByRecord(
  before: ObservedConfiguration | null | undefined,
  recordedHash: string,
  attribution: ChangeAttribution | undefined,
  remediation: TargetRemediation | null,
): Pick<ObservedConfiguration, 'changedBy'> {
  if (remediation?.written !== undefined)
    return { changedBy: { byThisTool: true, reason: remediation.reason } };
  if (attribution) return { changedBy: attribution.changedBy as unknown as JsonObject | null };
  if (before?.hash === recordedHash && before.changedBy !== undefined) return { changedBy: before.changedBy };
  return {};
}

function skipped(target: TargetRef, reason: string, heldBy?: TargetResult['heldBy']): TargetResult {
  return {
    accountId: target.accountId,
    region: target.region,
    status: 'skipped',
    reason,
    ...(heldBy ? { heldBy } : {}),
    findings: [],
    drifted: false,
    events: [],
    remediation: null,
  };
}

/**
 * The heartbeat found another run holding the target (this run did not renew it for a whole
 * lease time): that run owns it now, so this one writes neither the registry nor the records.
 */
function lostLease(deps: RunDependencies, target: TargetRef): TargetResult {
  deps.telemetry.warn('target left: its lease went to another run', { target: targetKey(target) });
  return skipped(target, 'this run lost its lease on the target to another run');
}

/** A target another run holds: who, since when, and whether for longer than the lease time. */
async function heldByAnotherRun(
  deps: RunDependencies,
  settings: RunSettings,
  target: TargetRef,
  lease: string,
  now: Date,
): Promise<TargetResult> {
  const holder = await deps.store.getLease(lease, now);
  const heldForMs = holder ? now.getTime() - Date.parse(holder.acquiredAt) : 0;
  const heldBy = {
    // The lease may have been freed between the refusal and this read: its holder is then unknown.
    runId: holder ? runIdOfLeaseHolder(holder.owner) : null,
    since: holder?.acquiredAt ?? null,
    longerThanLeaseTime: heldForMs > settings.leaseTtlMs,
  };
  deps.telemetry.warn('target skipped: another run holds it', {
    target: targetKey(target),
    heldBy: heldBy.runId,
    heldSince: heldBy.since,
    longerThanLeaseTime: heldBy.longerThanLeaseTime,
  });
  const reason = heldBy.longerThanLeaseTime
    ? `run ${heldBy.runId} has held this target since ${heldBy.since}, longer than the lease time (${settings.leaseTtlMs / 1000} s)`
    : 'another run is processing this target';
  return skipped(target, reason, heldBy);
}

/**
 * The policies this run judged the target by: all (undefined) or the run's subset, less
 * those whose scope could not be evaluated there; the others' recorded findings stay open.
 */
function evaluatedPolicyIds(
  deps: RunDependencies,
  settings: RunSettings,
  unevaluated: UnevaluatedScope | null,
): readonly string[] | undefined {
  let ids = settings.evaluatedPolicyIds;
  if (unevaluated) {
    const skipped = new Set(unevaluated.policyIds);
    ids = (ids ?? deps.audit.policySet.policies.map((p) => p.id)).filter((id) => !skipped.has(id));
  }
  // The built-in matches-desired check is judged unless the subset left it out.
  return ids && !deps.audit.policySet.withoutMatchesDesired ? [...ids, MATCHES_DESIRED_ID] : ids;
}

/**
 * `corruptBeforeScan` is the CorruptRecordError a read before the scan met (that read moved the
 * record aside). `scanStartedAt`, when given, is when this run began reading the target: a target another
 * run recorded after that is left alone, since this run's observation may be the older one
 * (alerting it, or remediating from it, would undo or contradict what that run did).
 */
export async function processTarget(
  deps: RunDependencies,
  settings: RunSettings,
  outcome: TargetOutcome,
  scanStartedAt?: Date,
  corruptBeforeScan?: CorruptRecordError,
): Promise<TargetResult> {
  const { target } = outcome;
  const leaseName = `target:${targetKey(target)}`;
  const lease = await HeldLease.take({
    store: deps.store,
    name: leaseName,
    owner: leaseHolderOf(settings.runId),
    ttlMs: settings.leaseTtlMs,
    clock: deps.clock,
    onRenewalError: (error) =>
      deps.telemetry.warn('renewing a target lease failed; trying again', {
        target: targetKey(target),
        error: error instanceof Error ? error.message : String(error),
      }),
  });
  if (!lease) return heldByAnotherRun(deps, settings, target, leaseName, deps.clock());
  try {
    let previousRecord: TargetRecord | null;
    try {
      previousRecord = await deps.store.getTarget(target);
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      return await reportCorruptRecord(deps, settings, target, error);
    }
    // The read before the scan (for the image cursor) found it corrupt and the store moved it aside.
    if (!previousRecord && corruptBeforeScan) {
      return await reportCorruptRecord(deps, settings, target, corruptBeforeScan);
    }
    const recordedAt = previousRecord ? Date.parse(previousRecord.state.lastScanAt) : null;
    if (scanStartedAt && recordedAt !== null && recordedAt > scanStartedAt.getTime()) {
      deps.telemetry.warn('target skipped: another run recorded it after this run read it', {
        target: targetKey(target),
      });
      return skipped(target, 'another run recorded this target after this run read it');
    }
    return await processLeasedTarget(deps, settings, outcome, previousRecord, lease, scanStartedAt);
  } finally {
    await lease.release();
  }
}

/**
 * One unreadable record is that target's error, told once: the store has moved it aside,
 * so the next run starts the target afresh (its open findings are told again as new).
 */
async function reportCorruptRecord(
  deps: RunDependencies,
  settings: RunSettings,
  target: TargetRef,
  error: CorruptRecordError,
): Promise<TargetResult> {
  const now = deps.clock();
  deps.telemetry.warn('target record is corrupt: moved aside', { target: targetKey(target) });
  const failure = { operation: 'ReadRecord', errorName: 'CorruptRecordError', message: error.message };
  const composed = composeAlertMessage({
    runId: settings.runId,
    target,
    events: [
      {
        type: 'scan.failed',
        severity: EVENT_SEVERITY['scan.failed'],
        error: failure,
        failingSince: now.toISOString(),
        reminder: false,
      },
    ],
  });
  await deps.store.enqueueAlert({ id: composed.alertId, payload: composed as unknown as JsonValue }, now);
  return {
    accountId: target.accountId,
    region: target.region,
    status: 'failed',
    findings: [],
    drifted: false,
    events: ['scan.failed'],
    remediation: null,
    error: { accountId: target.accountId, region: target.region, ...failure },
  };
}

/**
 * A run that died after recording a target but before its alert reached the outbox, or
 * before the findings were marked notified, left the alert in the record: put it in the
 * outbox (a no-op when it is there or was sent) and mark its findings, so this run does
 * not tell them again. True when there was something to finish.
 */
async function recoverUnfinishedAlert(
  deps: RunDependencies,
  target: TargetRef,
  record: TargetRecord | null,
  now: Date,
): Promise<boolean> {
  const findingImport = record?.state.unfinishedFindingImport;
  if (findingImport && (await deps.store.enqueueAlert(findingImport, now))) {
    deps.telemetry.warn('finished the Security Hub import of an interrupted run', {
      target: targetKey(target),
      importId: findingImport.id,
    });
  }
  const unfinished = record?.state.unfinishedAlert;
  if (!unfinished) return false;
  // A no-op when the alert is in the outbox or was sent: only a crash before the enqueue leaves work.
  if (await deps.store.enqueueAlert({ id: unfinished.id, payload: unfinished.payload }, now)) {
    deps.telemetry.warn('finished the alert of an interrupted run', {
      target: targetKey(target),
      alertId: unfinished.id,
    });
  }
  const unmarked = unfinished.fingerprints.filter((fp) => record.openFindings.get(fp)?.lastNotified === null);
  if (unmarked.length === 0) return false;
  await deps.store.markFindingsNotified(target, unmarked, now);
  return true;
}

async function processLeasedTarget(
  deps: RunDependencies,
  settings: RunSettings,
  outcome: TargetOutcome,
  recordAsRead: TargetRecord | null,
  lease: HeldLease,
  scanStartedAt: Date | undefined,
): Promise<TargetResult> {
  let previousRecord = recordAsRead;
  const { target } = outcome;
  const now = deps.clock();
  if (await recoverUnfinishedAlert(deps, target, previousRecord, now)) {
    previousRecord = await deps.store.getTarget(target);
  }
  const previous = toAlertState(target, previousRecord);

  let observation: ScanObservation;
  let stored: TargetObservation;
  let result: TargetResult;
  let remediation: TargetRemediation | null = null;
  let findingImport: AlertInput | null = null;
  // A registry whose evaluation ran out of time is that target's error, like a failed read.
  const audited = outcome.ok
    ? { registry: outcome.scan.registry, ...tryAuditRegistry(outcome.scan.registry, deps.audit) }
    : { ok: false as const, error: outcome.error };
  if (!audited.ok) {
    const { error } = audited;
    const { operation, errorName, message } = error;
    observation = { kind: 'failed', error };
    stored = { status: 'failed', error: { operation, errorName, message } };
    result = {
      accountId: target.accountId,
      region: target.region,
      status: 'failed',
      findings: [],
      drifted: false,
      events: [],
      remediation: null,
      error,
    };
  } else {
    const { registry, audit } = audited;
    const sampling = outcome.ok ? outcome.scan.imageSampling : undefined;
    // What this run says is open: its own findings and, when it evaluated a subset, the rest as recorded.
    const openFindings = [
      ...audit.findings,
      ...unevaluatedFindings(previousRecord, evaluatedPolicyIds(deps, settings, audit.unevaluatedScope)),
      ...unsampledImageFindings(previousRecord, registry, sampling),
    ];
    const configuration = registry.signingConfiguration;
    const hash = configurationHash(configuration);
    if (lease.lost) return lostLease(deps, target);
    remediation = await deps.remediate({ target, registry, audit, evaluatedHash: hash });
    const before = previousRecord?.state.configuration;
    const configurationChange =
      before && before.hash !== hash
        ? describeConfigurationChange(
            JSON.parse(before.canonicalJson) as SigningConfiguration | null,
            configuration,
          )
        : undefined;
    const since = previousRecord?.state.lastSuccessfulScanAt;
    const changeAttribution =
      configurationChange && since && deps.scanner.attributeChange
        ? await deps.scanner.attributeChange(target, {
            since: new Date(since),
            until: new Date(),
            observed: configuration,
          })
        : undefined;
    observation = {
      kind: 'scanned',
      configurationHash: hash,
      configuration,
      signingConfigured: audit.facts.signingConfigured && audit.facts.rules.length > 0,
      findings: openFindings,
      expiredWaivers: expiredWaiverNotices(audit.expiredWaivers),
      ...(configurationChange ? { configurationChange } : {}),
      ...(changeAttribution ? { changeAttribution } : {}),
    };
    // After our own write the registry holds what we wrote: recording it keeps the next run from calling it a change.
    const recorded = remediation?.written !== undefined ? remediation.written : configuration;
    const recordedHash = configurationHash(recorded);
    stored = {
      status: 'ok',
      configuration: {
        canonicalJson: canonicalJson(recorded),
        hash: recordedHash,
        ...changedByRecord(before, recordedHash, changeAttribution, remediation),
      },
      findings: openFindings,
      ...(scanStartedAt ? { readStartedAt: scanStartedAt.toISOString() } : {}),
      ...(sampling ? { imageCursor: sampling.nextCursor } : {}),
    };
    if (deps.securityHub) {
      findingImport = findingImportOf({
        runId: settings.runId,
        target,
        previous: previousRecord,
        findings: openFindings,
        now,
        destination: deps.securityHub.destination,
      });
    }
    result = {
      accountId: target.accountId,
      region: target.region,
      status: 'scanned',
      findings: audit.findings,
      drifted: audit.drift?.status === 'drifted',
      events: [],
      remediation: remediation?.status ?? null,
      coverage: {
        repositories: audit.facts.counts.repositories,
        coveredRepositories: audit.facts.counts.coveredRepositories,
      },
      ...(sampling
        ? { images: { sampled: sampling.imagesSampled, skippedByBudget: sampling.imagesSkippedByBudget } }
        : {}),
      ...(audit.unevaluatedScope ? { warnings: [audit.unevaluatedScope.warning] } : {}),
    };
  }

  const plan = planAlerts({
    target,
    previous,
    observation,
    ...(remediation ? { remediations: remediation.alerts } : {}),
    now,
    reminderIntervalMs: settings.reminderIntervalMs,
  });
  const composed =
    plan.events.length > 0
      ? composeAlertMessage({
          runId: settings.runId,
          target,
          events: plan.events,
          ...(outcome.target.account?.name ? { accountName: outcome.target.account.name } : {}),
        })
      : null;
  const notified = notifiedFingerprints(plan.nextState, now.toISOString());
  const unfinished: UnfinishedAlert | null = composed
    ? { id: composed.alertId, payload: composed as unknown as JsonValue, fingerprints: notified }
    : null;
  // Records first: the state and findings with the alert they lead to, then the alert in the
  // outbox, then who was notified. A crash in between is finished by the next run (recoverUnfinishedAlert).
  if (lease.lost) return lostLease(deps, target);
  await deps.store.saveTargetObservation(
    target,
    {
      ...stored,
      alertBookkeeping: bookkeepingOf(plan.nextState),
      ...(unfinished ? { unfinishedAlert: unfinished } : {}),
      ...(findingImport ? { unfinishedFindingImport: findingImport } : {}),
    },
    now,
  );
  if (unfinished) await deps.store.enqueueAlert({ id: unfinished.id, payload: unfinished.payload }, now);
  if (findingImport) await deps.store.enqueueAlert(findingImport, now);
  if (notified.length > 0) await deps.store.markFindingsNotified(target, notified, now);
  result.events = plan.events.map((e) => e.type);
  return result;
}
