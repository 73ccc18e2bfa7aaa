/**
 * The drift store in JSON files under one directory, for the CLI. Every file is replaced
 * whole and atomically, so a second process reads either the old or the new records;
 * writers take the run lease first, which these files provide across processes too.
 *
 * Layout (names percent-encoded):
 *   targets/<account>@<region>.json         state and open findings of one target
 *   runs/<startedAt>@<runId>.json           one run record
 *   journal/<account>@<region>/<runId>.json one remediation journal entry
 *   outbox/pending/<id>.json                an alert not yet sent
 *   outbox/sent/<id>.json                   the marker of a sent alert, kept for the retention
 *   leases/<name>/<generation>.json         see FileLeases
 *   counters/<name>.json                    see FileCounters
 */
import { readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TargetRef } from '../core/types.js';
import {
  type AlertInput,
  DEFAULT_RETENTION_DAYS,
  type DriftStore,
  type DriftStoreOptions,
  type FindingChanges,
  type Instant,
  type JournalEntry,
  type JournalEntryInput,
  type LeaseHolder,
  type PendingAlert,
  type RunInput,
  type RunRecord,
  type TargetObservation,
  type TargetRecord,
  type TargetState,
} from './drift-store.js';
import {
  CorruptRecordError,
  DriftStoreError,
  describeTarget,
  withStorageErrors,
} from './drift-store-error.js';
import { FileCounters } from './file-counters.js';
import { FileLeases } from './file-leases.js';
import { markNotified, planFindingChanges, type StoredFinding, toOpenFinding } from './finding-changes.js';
import { epochSecondsAfterDays, toEpochMs, toIso } from './instant.js';
import {
  createJson,
  fileNamePart,
  listJsonFiles,
  readAllJson,
  readJson,
  removeFile,
  writeJson,
} from './json-files.js';
import {
  buildJournalEntry,
  buildRunRecord,
  newestEntryFirst,
  newestRunFirst,
  newPendingAlert,
  nextTargetState,
  oldestAlertFirst,
  withFailedAttempt,
} from './record-builders.js';

/** Where the CLI keeps its records unless told otherwise, relative to the working directory. */
export const DEFAULT_FILE_STORE_DIRECTORY = '.ecr-sign-drift';

export interface FileDriftStoreOptions extends DriftStoreOptions {
  directory: string;
}

interface TargetFile {
  state: TargetState;
  findings: StoredFinding[];
}

interface SentMarker {
  id: string;
  sentAt: string;
  expiresAt: number;
}

export class FileDriftStore implements DriftStore {
  readonly directory: string;
  readonly retentionDays: number;
  readonly #leases: FileLeases;
  readonly #counters: FileCounters;

  constructor(options: FileDriftStoreOptions) {
    this.directory = options.directory;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#leases = new FileLeases(join(this.directory, 'leases'));
    this.#counters = new FileCounters(join(this.directory, 'counters'));
  }

  /**
   * Removes temporary files a killed process left behind (older than `olderThanMs`, so a
   * write in flight in another process is never touched); returns how many.
   */
  async removeOrphanedTemporaryFiles(olderThanMs: number, nowMs = Date.now()): Promise<number> {
    return withStorageErrors(`cleaning temporary files in ${this.directory}`, async () => {
      let removed = 0;
      let entries: string[];
      try {
        entries = await readdir(this.directory, { recursive: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
      for (const entry of entries.filter((name) => name.endsWith('.tmp'))) {
        const path = join(this.directory, entry);
        const stats = await stat(path).catch(() => null);
        if (stats?.isFile() && nowMs - stats.mtimeMs > olderThanMs && (await removeFile(path))) removed++;
      }
      return removed;
    });
  }

  /** Throws CorruptRecordError, after moving the file aside, when the target's record cannot be parsed. */
  getTarget(target: TargetRef): Promise<TargetRecord | null> {
    return withStorageErrors(`reading target ${describeTarget(target)}`, async () => {
      const path = this.#targetPath(target);
      const file = await readTargetFile(path);
      if (!file) return null;
      const { state } = file;
      return {
        state,
        openFindings: new Map(file.findings.map((f) => [f.fingerprint, toOpenFinding(f, state)])),
      };
    });
  }

  saveTargetObservation(
    target: TargetRef,
    observation: TargetObservation,
    now: Instant,
  ): Promise<FindingChanges> {
    return withStorageErrors(`saving the observation of ${describeTarget(target)}`, async () => {
      const path = this.#targetPath(target);
      const previous = await readJson<TargetFile>(path);
      const stored = findingMap(previous);
      const nowIso = toIso(now);
      const state = nextTargetState(target, previous?.state ?? null, observation, nowIso);
      if (observation.status === 'failed') {
        await writeJson(path, { state, findings: [...stored.values()] } satisfies TargetFile);
        return { opened: [], closed: [], open: stored.size };
      }
      const { put, changes } = planFindingChanges(stored, observation.findings, nowIso);
      for (const fingerprint of changes.closed) stored.delete(fingerprint);
      for (const finding of put) stored.set(finding.fingerprint, finding);
      await writeJson(path, { state, findings: [...stored.values()] } satisfies TargetFile);
      return changes;
    });
  }

  markFindingsNotified(target: TargetRef, fingerprints: readonly string[], now: Instant): Promise<number> {
    return withStorageErrors(`marking findings of ${describeTarget(target)} notified`, async () => {
      const path = this.#targetPath(target);
      const file = await readJson<TargetFile>(path);
      if (!file) return 0;
      const stored = findingMap(file);
      const notified = markNotified(stored, fingerprints, toIso(now));
      if (notified.length === 0) return 0;
      for (const finding of notified) stored.set(finding.fingerprint, finding);
      await writeJson(path, { state: file.state, findings: [...stored.values()] } satisfies TargetFile);
      return notified.length;
    });
  }

  recordRun(run: RunInput): Promise<RunRecord> {
    return withStorageErrors(`recording run ${run.runId}`, async () => {
      const record = buildRunRecord(run, this.retentionDays);
      const directory = join(this.directory, 'runs');
      await writeJson(
        join(directory, `${fileNamePart(record.startedAt)}@${fileNamePart(record.runId)}.json`),
        record,
      );
      // Once a run rather than on every write: both folders grow with the retention period.
      await this.#removeExpired<RunRecord>(directory, toEpochMs(run.startedAt));
      await this.#removeExpired<SentMarker>(join(this.directory, 'outbox', 'sent'), toEpochMs(run.startedAt));
      await this.#removeExpired<{ expiresAt: number }>(this.#counters.directory, toEpochMs(run.startedAt));
      return record;
    });
  }

  listRuns(now: Instant, limit?: number): Promise<RunRecord[]> {
    return withStorageErrors('listing runs', async () => {
      const nowSeconds = toEpochMs(now) / 1000;
      const runs = await readAllJson<RunRecord>(join(this.directory, 'runs'));
      return runs
        .filter((run) => run.expiresAt > nowSeconds)
        .sort(newestRunFirst)
        .slice(0, limit);
    });
  }

  saveJournalEntry(target: TargetRef, entry: JournalEntryInput, now: Instant): Promise<JournalEntry> {
    return withStorageErrors(
      `saving the journal entry of run ${entry.runId} for ${describeTarget(target)}`,
      async () => {
        const path = this.#journalPath(target, entry.runId);
        const saved = buildJournalEntry(target, entry, await readJson<JournalEntry>(path), toIso(now));
        await writeJson(path, saved);
        return saved;
      },
    );
  }

  listJournal(target: TargetRef): Promise<JournalEntry[]> {
    return withStorageErrors(`listing the journal of ${describeTarget(target)}`, async () => {
      const entries = await readAllJson<JournalEntry>(join(this.directory, 'journal', targetName(target)));
      return entries.sort(newestEntryFirst);
    });
  }

  getJournalEntry(target: TargetRef, runId: string): Promise<JournalEntry | null> {
    return withStorageErrors(`reading the journal entry of run ${runId} for ${describeTarget(target)}`, () =>
      readJson<JournalEntry>(this.#journalPath(target, runId)),
    );
  }

  enqueueAlert(alert: AlertInput, now: Instant): Promise<boolean> {
    return withStorageErrors(`enqueueing alert ${alert.id}`, async () => {
      if ((await readJson<SentMarker>(this.#alertPath('sent', alert.id))) !== null) return false;
      return createJson(this.#alertPath('pending', alert.id), newPendingAlert(alert, toIso(now)));
    });
  }

  listPendingAlerts(): Promise<PendingAlert[]> {
    return withStorageErrors('listing pending alerts', async () => {
      const alerts = await readAllJson<PendingAlert>(join(this.directory, 'outbox', 'pending'));
      return alerts.sort(oldestAlertFirst);
    });
  }

  markAlertSent(id: string, now: Instant): Promise<void> {
    return withStorageErrors(`marking alert ${id} sent`, async () => {
      const marker: SentMarker = {
        id,
        sentAt: toIso(now),
        expiresAt: epochSecondsAfterDays(now, this.retentionDays),
      };
      // The marker first: should the removal not happen, the alert is sent again, as after a crash just after publishing.
      await writeJson(this.#alertPath('sent', id), marker);
      await removeFile(this.#alertPath('pending', id));
    });
  }

  recordAlertFailure(id: string, error: string, now: Instant): Promise<PendingAlert> {
    return withStorageErrors(`recording a failed attempt of alert ${id}`, async () => {
      const path = this.#alertPath('pending', id);
      const pending = await readJson<PendingAlert>(path);
      if (!pending) throw new DriftStoreError(`alert ${id} is not pending`);
      const updated = withFailedAttempt(pending, error, toIso(now));
      await writeJson(path, updated);
      return updated;
    });
  }

  acquireLease(name: string, owner: string, ttlMs: number, now: Instant): Promise<boolean> {
    return withStorageErrors(`acquiring lease ${name}`, () =>
      this.#leases.acquire(fileNamePart(name), owner, ttlMs, toEpochMs(now)),
    );
  }

  renewLease(name: string, owner: string, ttlMs: number, now: Instant): Promise<boolean> {
    return withStorageErrors(`renewing lease ${name}`, () =>
      this.#leases.renew(fileNamePart(name), owner, ttlMs, toEpochMs(now)),
    );
  }

  getLease(name: string, now: Instant): Promise<LeaseHolder | null> {
    return withStorageErrors(`reading lease ${name}`, async () => {
      const holder = await this.#leases.holder(fileNamePart(name), toEpochMs(now));
      return (
        holder && {
          owner: holder.owner,
          acquiredAt: toIso(holder.acquiredAtMs),
          expiresAt: toIso(holder.expiresAtMs),
        }
      );
    });
  }

  releaseLease(name: string, owner: string): Promise<boolean> {
    return withStorageErrors(`releasing lease ${name}`, () =>
      this.#leases.release(fileNamePart(name), owner),
    );
  }

  takeFromCounter(name: string, limit: number, now: Instant): Promise<number | null> {
    return withStorageErrors(`taking from counter ${name}`, () =>
      this.#counters.take(name, limit, epochSecondsAfterDays(now, this.retentionDays)),
    );
  }

  giveBackToCounter(name: string): Promise<void> {
    return withStorageErrors(`giving back to counter ${name}`, () => this.#counters.giveBack(name));
  }

  #targetPath(target: TargetRef): string {
    return join(this.directory, 'targets', `${targetName(target)}.json`);
  }

  #journalPath(target: TargetRef, runId: string): string {
    return join(this.directory, 'journal', targetName(target), `${fileNamePart(runId)}.json`);
  }

  #alertPath(folder: 'pending' | 'sent', id: string): string {
    return join(this.directory, 'outbox', folder, `${fileNamePart(id)}.json`);
  }

  /** What DynamoDB's TTL does for the table: records past their expiresAt go. */
  async #removeExpired<T extends { expiresAt: number }>(directory: string, nowMs: number): Promise<void> {
    const names = await listJsonFiles(directory);
    for (const name of names) {
      const record = await readJson<T>(join(directory, name));
      if (record !== null && record.expiresAt * 1000 <= nowMs) await removeFile(join(directory, name));
    }
  }
}

function findingMap(file: TargetFile | null): Map<string, StoredFinding> {
  return new Map((file?.findings ?? []).map((finding) => [finding.fingerprint, finding]));
}

function targetName(target: TargetRef): string {
  return `${fileNamePart(target.accountId)}@${fileNamePart(target.region)}`;
}

/** The target's file, or null; a file that is not a target record is moved aside as `<name>.corrupt-<time>`. */
async function readTargetFile(path: string): Promise<TargetFile | null> {
  let file: TargetFile | null;
  let problem: string | null = null;
  try {
    file = await readJson<TargetFile>(path);
    if (file !== null && !isTargetFile(file)) problem = 'it is not a target record';
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    file = null;
    problem = `it is not valid JSON (${error.message})`;
  }
  if (problem === null) return file;
  const movedTo = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, movedTo);
  throw new CorruptRecordError(`${path}: ${problem}; moved aside to ${movedTo}`, movedTo);
}

function isTargetFile(value: unknown): value is TargetFile {
  const file = value as Partial<TargetFile> | null;
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.state === 'object' &&
    file.state !== null &&
    typeof file.state.lastScanAt === 'string' &&
    Array.isArray(file.findings)
  );
}
