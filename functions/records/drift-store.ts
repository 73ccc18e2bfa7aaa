/**
 * The drift record store: what a run remembers between runs, per target and per run.
 * Two implementations keep the same contract (test/contract/drift-store.contract.ts):
 * FileDriftStore for the CLI and DynamoDbDriftStore for the Lambda.
 *
 * Times given to the store are `Instant`s (a Date or epoch milliseconds); times in records
 * come back as ISO-8601 strings in UTC, which sort in time order as plain strings.
 */
import type { Finding, SigningConfiguration, TargetRef } from '../core/types.js';

export type Instant = Date | number;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** How long run records and sent-alert markers are kept, unless a store is told otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

export interface DriftStoreOptions {
  /** Days run records and sent-alert markers are kept (DynamoDB: the `expiresAt` TTL). */
  retentionDays?: number;
}

/** A registry's signing configuration as last observed, in the form drift is computed on. */
export interface ObservedConfiguration {
  /** Canonical JSON of the configuration; `null` (the JSON text) when the registry was never configured. */
  canonicalJson: string;
  /** Hash of `canonicalJson`, compared across runs. */
  hash: string;
  /**
   * Who made this configuration, when the run that first saw it looked it up: a ChangedBy
   * of the alerts, null when CloudTrail had no event, `{ byThisTool: true, reason }` after
   * the tool's own remediation (its journal entry has the rest); absent when nobody looked.
   */
  changedBy?: JsonObject | null;
}

/** Why a target could not be scanned (a ScanError without its target). */
export interface ScanFailure {
  operation: string;
  errorName: string;
  message: string;
}

export type ScanOutcome = { status: 'ok' } | { status: 'failed'; error: ScanFailure };

export interface TargetState extends TargetRef {
  /** The configuration the latest successful scan saw; null until a scan succeeds. */
  configuration: ObservedConfiguration | null;
  lastScan: ScanOutcome;
  lastScanAt: string;
  lastSuccessfulScanAt: string | null;
  /** When the read behind the latest successful observation began: it saw every write before that. */
  lastReadStartedAt?: string;
  /** The alert lifecycle's own bookkeeping (scan-failure and no-configuration notices), opaque to the store. */
  alertBookkeeping?: JsonObject;
  /** The alert the latest observation led to, until a later observation replaces it (crash recovery). */
  unfinishedAlert?: UnfinishedAlert;
  /** The covered repository the next run's image sampling starts at (a budget cut the last one short). */
  imageCursor?: string;
  /** The Security Hub import the latest observation led to, kept like `unfinishedAlert` (crash recovery). */
  unfinishedFindingImport?: AlertInput;
}

/** An alert recorded with the observation it comes from, before it is put in the outbox. */
export interface UnfinishedAlert {
  id: string;
  payload: JsonValue;
  /** The findings it tells for the first time (or reminds of), to be marked notified. */
  fingerprints: string[];
}

/** A finding that was present in the target's latest successful scan. */
export interface OpenFinding extends Finding {
  firstSeen: string;
  /** The target's latest successful scan: an open finding was, by definition, seen by it. */
  lastSeen: string;
  /** When an alert about it was last published; null until one is. */
  lastNotified: string | null;
}

export interface TargetRecord {
  state: TargetState;
  /** Keyed by fingerprint. */
  openFindings: Map<string, OpenFinding>;
}

/** What one scan of one target produced, committed with `saveTargetObservation`. */
export type TargetObservation = (
  | {
      status: 'ok';
      configuration: ObservedConfiguration;
      /** Every finding the scan produced: those not given are closed. Same fingerprint twice: the last wins. */
      findings: readonly Finding[];
      /** When this run began reading the registry (ISO-8601). */
      readStartedAt?: string;
    }
  /** Configuration and findings are kept as they were: nothing was learnt about them. */
  | { status: 'failed'; error: ScanFailure }
) & {
  /** Replaces the target's alert bookkeeping; kept as it was when absent. */
  alertBookkeeping?: JsonObject;
  /** The alert this observation leads to; the record keeps it until the next observation. */
  unfinishedAlert?: UnfinishedAlert;
  /** Replaces the image-sampling cursor (null: the next run starts at the first repository); kept when absent. */
  imageCursor?: string | null;
  /** The Security Hub import it leads to, kept the same way. */
  unfinishedFindingImport?: AlertInput;
};

/** What a commit changed. Alert on `lastNotified === null`, not on `opened`, so findings an interrupted run committed are still alerted. */
export interface FindingChanges {
  opened: string[];
  closed: string[];
  /** Open findings after the commit. */
  open: number;
}

export interface RunInput {
  runId: string;
  mode: string;
  startedAt: Instant;
  finishedAt: Instant | null;
  /** Free-form summary: targets, findings by severity, remediations… */
  counts: JsonObject;
}

export interface RunRecord {
  runId: string;
  mode: string;
  startedAt: string;
  finishedAt: string | null;
  counts: JsonObject;
  /** Epoch seconds after which the record is gone: startedAt plus the retention. */
  expiresAt: number;
}

/** `released`: a person lifted the hold an overwritten concurrent change put on the target. */
export const REMEDIATION_STATUSES = ['planned', 'applied', 'failed', 'rolled-back', 'released'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

export interface JournalEntryInput {
  runId: string;
  before: SigningConfiguration | null;
  after: SigningConfiguration | null;
  /** The remediation plan, opaque to the store. */
  plan: JsonValue;
  status: RemediationStatus;
  reason: string | null;
  /**
   * Writes by other principals that this change replaced: made between its last read and
   * its write, found in CloudTrail afterwards. Present only when there were some.
   */
  overwroteConcurrentChange?: OverwrittenChange[];
}

/** A signing-configuration write by another principal, as CloudTrail recorded it. */
export interface OverwrittenChange {
  principal: string;
  eventName: string;
  /** ISO-8601. */
  eventTime: string;
  /** What it wrote (null: deleted); absent when CloudTrail did not show it. */
  signingConfiguration?: SigningConfiguration | null;
}

export interface JournalEntry extends JournalEntryInput, TargetRef {
  /** When the entry was first saved; kept when its status changes. */
  recordedAt: string;
  updatedAt: string;
}

export interface AlertInput {
  /** Deterministic, e.g. `${runId}:${accountId}:${region}`, so a repeated enqueue is a no-op. */
  id: string;
  /** The composed message, opaque to the store. */
  payload: JsonValue;
}

/** Who holds a lease, as `getLease` reads it. */
export interface LeaseHolder {
  owner: string;
  /** When this owner took the lease; renewals keep it. ISO-8601. */
  acquiredAt: string;
  /** When the lease lapses unless renewed. ISO-8601. */
  expiresAt: string;
}

export interface PendingAlert {
  id: string;
  payload: JsonValue;
  enqueuedAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  lastError: string | null;
}

/**
 * Everything a run records. Writers are expected to hold the run lease: the store keeps
 * single writes safe for concurrent readers, and leases safe for concurrent writers.
 */
export interface DriftStore {
  /** The target's state and open findings; null when no observation was ever committed. */
  getTarget(target: TargetRef): Promise<TargetRecord | null>;

  /**
   * Commits one scan of a target: its state, and (on success) its findings, opening the new
   * ones (firstSeen = now) and closing the ones not given. Repeating an interrupted commit
   * converges on the same records.
   */
  saveTargetObservation(
    target: TargetRef,
    observation: TargetObservation,
    now: Instant,
  ): Promise<FindingChanges>;

  /** Sets lastNotified on the given open findings; returns how many were open (closed ones are skipped). */
  markFindingsNotified(target: TargetRef, fingerprints: readonly string[], now: Instant): Promise<number>;

  /** Creates or replaces the record of a run (keyed by runId and startedAt). */
  recordRun(run: RunInput): Promise<RunRecord>;

  /** Unexpired runs, newest first. */
  listRuns(now: Instant, limit?: number): Promise<RunRecord[]>;

  /** Creates or replaces the target's journal entry for entry.runId. */
  saveJournalEntry(target: TargetRef, entry: JournalEntryInput, now: Instant): Promise<JournalEntry>;

  /** The target's journal, newest first. */
  listJournal(target: TargetRef): Promise<JournalEntry[]>;

  getJournalEntry(target: TargetRef, runId: string): Promise<JournalEntry | null>;

  /** Adds an alert to the outbox; false (and nothing changes) when that id is pending or was sent. */
  enqueueAlert(alert: AlertInput, now: Instant): Promise<boolean>;

  /** Alerts not yet sent, oldest first. */
  listPendingAlerts(): Promise<PendingAlert[]>;

  /** Takes the alert out of the outbox and remembers its id for the retention period. */
  markAlertSent(id: string, now: Instant): Promise<void>;

  /** Counts a failed publish; the alert stays pending. Throws DriftStoreError when the id is not pending. */
  recordAlertFailure(id: string, error: string, now: Instant): Promise<PendingAlert>;

  /** Granted when the lease is free, expired, or already held by `owner` (then extended). */
  acquireLease(name: string, owner: string, ttlMs: number, now: Instant): Promise<boolean>;

  /**
   * Extends the lease to `now + ttlMs` when `owner` still holds it (even past its expiry, as
   * long as nobody took it since); false, and nothing changes, when another owner has it or
   * it was released. A holder that gets false has lost the lease and must stop what it fences.
   */
  renewLease(name: string, owner: string, ttlMs: number, now: Instant): Promise<boolean>;

  /** The lease's holder while it is held at `now`; null when it is free, expired or released. */
  getLease(name: string, now: Instant): Promise<LeaseHolder | null>;

  /** Frees the lease when `owner` holds it; returns false (and changes nothing) otherwise. */
  releaseLease(name: string, owner: string): Promise<boolean>;

  /**
   * Takes one from the counter `name` when fewer than `limit` are taken, atomically across
   * processes (a run's remediation limit, shared by its scale-out workers): the number taken
   * so far, this one included, or null when the limit is reached. Counters expire with the retention.
   */
  takeFromCounter(name: string, limit: number, now: Instant): Promise<number | null>;

  /** Gives one back to the counter (one taken that was not used); never below zero. */
  giveBackToCounter(name: string): Promise<void>;
}
