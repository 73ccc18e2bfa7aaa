/**
 * A run: scan every target, process each (audit, remediate, record, enqueue alerts),
 * then publish the outbox and record the run. The Lambda handler and the CLI's `run`
 * command both call this.
 */

import { mapConcurrent } from '../concurrency/map-concurrent.js';
import { composeAlertMessage, EVENT_SEVERITY } from '../core/alerts/index.js';
import { compareTargets } from '../core/ordering.js';
import { type ScanError, SEVERITIES, type Severity } from '../core/types.js';
import type { JsonValue } from '../records/drift-store.js';
import type { ScanTarget } from '../scan/targets.js';
import { flushOutbox, type OutboxResult } from './outbox.js';
import { processTarget } from './process-target.js';
import type { RunDependencies, RunSettings, RunSummary, TargetResult } from './run-types.js';
import { scanFromImageCursor } from './scan-from-cursor.js';

/**
 * `discoveryErrors` fills while `targets` is iterated (a failed Organizations call ends the
 * listing); when it holds any, the run is failed and says so in an alert of its own.
 */
export async function executeRun(
  deps: RunDependencies,
  settings: RunSettings,
  targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>,
  onTarget?: (result: TargetResult) => void,
  discoveryErrors: readonly ScanError[] = [],
  accountWarnings: readonly ScanError[] = [],
): Promise<{ summary: RunSummary; results: TargetResult[] }> {
  const startedAt = deps.clock();
  deps.telemetry.info('run started', {
    runId: settings.runId,
    trigger: settings.trigger,
    remediation: settings.remediation,
  });
  const results: TargetResult[] = [];
  // Scanning and recording overlap across targets: each worker scans a target and processes it.
  const work = async (target: ScanTarget) => {
    const scanStartedAt = deps.clock();
    const { outcome, corruptRecord } = await scanFromImageCursor(deps, target);
    return processTarget(deps, settings, outcome, scanStartedAt, corruptRecord);
  };
  for await (const result of mapConcurrent(targets, settings.concurrency, work)) {
    results.push(result);
    onTarget?.(result);
  }
  for (const error of discoveryErrors) {
    deps.telemetry.warn('account discovery failed', {
      operation: error.operation,
      errorName: error.errorName,
    });
    await enqueueDiscoveryAlert(deps, settings, error, results.length);
  }
  const summary = await finishRun(deps, settings, results, startedAt, discoveryErrors, accountWarnings);
  return { summary, results };
}

/** Told every run it happens: a run that could not list the accounts is never a quiet one. */
async function enqueueDiscoveryAlert(
  deps: RunDependencies,
  settings: RunSettings,
  error: ScanError,
  targetsFound: number,
): Promise<void> {
  const { operation, errorName, message } = error;
  const composed = composeAlertMessage({
    runId: settings.runId,
    target: { accountId: error.accountId, region: error.region },
    events: [
      {
        type: 'discovery.failed',
        severity: EVENT_SEVERITY['discovery.failed'],
        error: { operation, errorName, message },
        targetsFound,
      },
    ],
  });
  await deps.store.enqueueAlert(
    {
      id: composed.alertId,
      payload: composed as unknown as JsonValue,
    },
    deps.clock(),
  );
}

/**
 * The end of a run (or of a scale-out worker's batch, recorded under the run's id): publish
 * the outbox, record the run's summary with a TTL, emit the metrics.
 */
export async function finishRun(
  deps: RunDependencies,
  settings: RunSettings,
  results: TargetResult[],
  startedAt: Date,
  discoveryErrors: readonly ScanError[] = [],
  accountWarnings: readonly ScanError[] = [],
): Promise<RunSummary> {
  const outbox = await flushOutbox({
    store: deps.store,
    publisher: deps.publisher,
    securityHub: deps.securityHub ?? null,
    owner: settings.runId,
    leaseTtlMs: settings.leaseTtlMs,
    telemetry: deps.telemetry,
    clock: deps.clock,
  });
  const finishedAt = deps.clock();
  const summary = summarize(settings, results, outbox, startedAt, finishedAt, discoveryErrors);
  summary.warnings.push(...accountWarnings);
  summary.warnings.sort(compareTargets);
  await deps.store.recordRun({
    runId: settings.runId,
    mode: settings.trigger,
    startedAt,
    finishedAt,
    counts: JSON.parse(
      JSON.stringify({ ...summary, errors: summary.errors.length, warnings: summary.warnings.length }),
    ),
  });
  report(deps, summary);
  return summary;
}

function summarize(
  settings: RunSettings,
  results: TargetResult[],
  outbox: OutboxResult,
  startedAt: Date,
  finishedAt: Date,
  discoveryErrors: readonly ScanError[],
): RunSummary {
  const findings = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const errors: ScanError[] = [];
  const count = (pred: (r: TargetResult) => boolean) => results.filter(pred).length;
  for (const r of results) {
    for (const f of r.findings) findings[f.severity]++;
    if (r.error) errors.push(r.error);
  }
  errors.push(...discoveryErrors, ...outbox.errors);
  return {
    runId: settings.runId,
    trigger: settings.trigger,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    targets: {
      scanned: count((r) => r.status === 'scanned'),
      failed: count((r) => r.status === 'failed'),
      skipped: count((r) => r.status === 'skipped'),
      heldByAnotherRun: count((r) => r.heldBy !== undefined),
      heldLongerThanLeaseTime: count((r) => r.heldBy?.longerThanLeaseTime === true),
    },
    discoveryFailed: discoveryErrors.length > 0,
    findings,
    findingChanges: {
      opened: count((r) => r.events.includes('finding.opened')),
      resolved: count((r) => r.events.includes('finding.resolved')),
    },
    drift: {
      drifted: count((r) => r.drifted),
    },
    coverage: {
      repositories: results.reduce((sum, r) => sum + (r.coverage?.repositories ?? 0), 0),
      coveredRepositories: results.reduce((sum, r) => sum + (r.coverage?.coveredRepositories ?? 0), 0),
    },
    remediation: {
      planned: count((r) => r.remediation === 'planned'),
      applied: count((r) => r.remediation === 'applied'),
      failed: count((r) => r.remediation === 'failed'),
      skipped: count((r) => r.remediation === 'skipped'),
    },
    alerts: {
      enqueued: count((r) => r.events.length > 0) + discoveryErrors.length,
      published: outbox.published,
      failed: outbox.failed,
      pending: outbox.pending,
    },
    imagesSampled: results.reduce((n, r) => n + (r.images?.sampled ?? 0), 0),
    imagesSkippedByBudget: results.reduce((n, r) => n + (r.images?.skippedByBudget ?? 0), 0),
    ...(outbox.securityHub ? { securityHub: { ...outbox.securityHub } } : {}),
    errors: errors.sort(compareTargets),
    warnings: results.flatMap((r) => r.warnings ?? []),
  };
}

function report(deps: RunDependencies, s: RunSummary): void {
  const t = deps.telemetry;
  t.count('TargetsScanned', s.targets.scanned);
  t.count('TargetsFailed', s.targets.failed);
  t.count('TargetsHeldByAnotherRun', s.targets.heldByAnotherRun);
  t.count('TargetsHeldTooLong', s.targets.heldLongerThanLeaseTime);
  t.count('DiscoveryFailed', s.discoveryFailed ? 1 : 0);
  t.count('FindingsCritical', s.findings.critical);
  t.count('FindingsHigh', s.findings.high);
  t.count('FindingsMedium', s.findings.medium);
  t.count('FindingsLow', s.findings.low);
  t.count('FindingsInfo', s.findings.info);
  t.count('FindingsOpened', s.findingChanges.opened);
  t.count('FindingsResolved', s.findingChanges.resolved);
  t.count('TargetsDrifted', s.drift.drifted);
  t.count('RemediationsApplied', s.remediation.applied);
  t.count('RemediationsFailed', s.remediation.failed);
  t.count('AlertsPublished', s.alerts.published);
  t.count('AlertsFailed', s.alerts.failed);
  t.count('RunDurationMs', Date.parse(s.finishedAt) - Date.parse(s.startedAt));
  t.info('run finished', {
    runId: s.runId,
    scanned: s.targets.scanned,
    failed: s.targets.failed,
    discoveryFailed: s.discoveryFailed,
    skipped: s.targets.skipped,
    heldByAnotherRun: s.targets.heldByAnotherRun,
    heldLongerThanLeaseTime: s.targets.heldLongerThanLeaseTime,
    alertsPublished: s.alerts.published,
    alertsPending: s.alerts.pending,
  });
  t.flush();
}
