/**
 * How records are derived from what a caller gives, shared by both stores so that only
 * the storage differs between them.
 */
import type { TargetRef } from '../core/types.js';
import type {
  AlertInput,
  JournalEntry,
  JournalEntryInput,
  PendingAlert,
  RunInput,
  RunRecord,
  TargetObservation,
  TargetState,
} from './drift-store.js';
import { epochSecondsAfterDays, toIso } from './instant.js';

export function nextTargetState(
  target: TargetRef,
  previous: TargetState | null,
  observation: TargetObservation,
  nowIso: string,
): TargetState {
  const bookkeeping = observation.alertBookkeeping ?? previous?.alertBookkeeping;
  const imageCursor =
    observation.imageCursor === undefined ? previous?.imageCursor : (observation.imageCursor ?? undefined);
  const base = {
    accountId: target.accountId,
    region: target.region,
    lastScanAt: nowIso,
    ...(bookkeeping ? { alertBookkeeping: bookkeeping } : {}),
    ...(observation.unfinishedAlert ? { unfinishedAlert: observation.unfinishedAlert } : {}),
    ...(imageCursor !== undefined ? { imageCursor } : {}),
    ...(observation.unfinishedFindingImport
      ? { unfinishedFindingImport: observation.unfinishedFindingImport }
      : {}),
  };
  if (observation.status === 'ok') {
    return {
      ...base,
      configuration: { ...observation.configuration },
      lastScan: { status: 'ok' },
      lastSuccessfulScanAt: nowIso,
      ...(observation.readStartedAt ? { lastReadStartedAt: observation.readStartedAt } : {}),
    };
  }
  return {
    ...base,
    configuration: previous?.configuration ?? null,
    lastScan: { status: 'failed', error: { ...observation.error } },
    lastSuccessfulScanAt: previous?.lastSuccessfulScanAt ?? null,
    ...(previous?.lastReadStartedAt ? { lastReadStartedAt: previous.lastReadStartedAt } : {}),
  };
}

export function buildRunRecord(run: RunInput, retentionDays: number): RunRecord {
  return {
    runId: run.runId,
    mode: run.mode,
    startedAt: toIso(run.startedAt),
    finishedAt: run.finishedAt === null ? null : toIso(run.finishedAt),
    counts: run.counts,
    expiresAt: epochSecondsAfterDays(run.startedAt, retentionDays),
  };
}

export function newestRunFirst(a: RunRecord, b: RunRecord): number {
  return compareDescending(a.startedAt, b.startedAt) || compareDescending(a.runId, b.runId);
}

export function buildJournalEntry(
  target: TargetRef,
  entry: JournalEntryInput,
  existing: JournalEntry | null,
  nowIso: string,
): JournalEntry {
  return {
    accountId: target.accountId,
    region: target.region,
    runId: entry.runId,
    before: entry.before,
    after: entry.after,
    plan: entry.plan,
    status: entry.status,
    reason: entry.reason,
    ...(entry.overwroteConcurrentChange === undefined
      ? {}
      : { overwroteConcurrentChange: entry.overwroteConcurrentChange }),
    recordedAt: existing?.recordedAt ?? nowIso,
    updatedAt: nowIso,
  };
}

export function newestEntryFirst(a: JournalEntry, b: JournalEntry): number {
  return compareDescending(a.recordedAt, b.recordedAt) || compareDescending(a.runId, b.runId);
}

export function newPendingAlert(alert: AlertInput, nowIso: string): PendingAlert {
  return {
    id: alert.id,
    payload: alert.payload,
    enqueuedAt: nowIso,
    attempts: 0,
    lastAttemptAt: null,
    lastError: null,
  };
}

export function withFailedAttempt(alert: PendingAlert, error: string, nowIso: string): PendingAlert {
  return { ...alert, attempts: alert.attempts + 1, lastAttemptAt: nowIso, lastError: error };
}

export function oldestAlertFirst(a: PendingAlert, b: PendingAlert): number {
  return compareDescending(b.enqueuedAt, a.enqueuedAt) || compareDescending(b.id, a.id);
}

function compareDescending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
