/**
 * The drift store in one DynamoDB table (layout in dynamodb-table.ts), for the Lambda.
 * No client is built and no environment is read until the store is constructed.
 *
 * A target commit cannot be one transaction: TransactWriteItems takes 100 items and a
 * target may have 10,000 findings. It is ordered instead: changed findings are written,
 * then closed ones deleted, then the target state, so a reader sees the old state until
 * the commit is whole, and repeating an interrupted commit converges on the same records.
 */
import { type AttributeValue, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
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
import { DriftStoreError, describeTarget, withStorageErrors } from './drift-store-error.js';
import { type BatchRetry, DynamoDbDocuments, type Item, keyItem, number } from './dynamodb-documents.js';
import {
  counterKey,
  FINDING_SORT_PREFIX,
  findingKey,
  ItemKind,
  journalKey,
  journalPartition,
  leaseKey,
  OUTBOX_PARTITION,
  PARTITION_KEY,
  PENDING_ALERT_SORT_PREFIX,
  pendingAlertKey,
  RUN_PARTITION,
  runKey,
  SORT_KEY,
  sentAlertKey,
  TARGET_STATE_SORT_KEY,
  TTL_ATTRIBUTE,
  targetPartition,
  targetStateKey,
} from './dynamodb-table.js';
import { markNotified, planFindingChanges, type StoredFinding, toOpenFinding } from './finding-changes.js';
import { epochSecondsAfterDays, toEpochMs, toIso } from './instant.js';
import {
  buildJournalEntry,
  buildRunRecord,
  newestEntryFirst,
  newPendingAlert,
  nextTargetState,
  oldestAlertFirst,
  withFailedAttempt,
} from './record-builders.js';

export interface DynamoDbDriftStoreOptions extends DriftStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
  clientConfig?: DynamoDBClientConfig;
  /** How BatchWriteItem is sent again with its UnprocessedItems. */
  batchRetry?: Partial<BatchRetry>;
}

const DEFAULT_BATCH_RETRY: BatchRetry = { maxAttempts: 8, baseDelayMs: 50 };

const LEASE_EXPIRY_ATTRIBUTE = 'leaseExpiresAtMs';

/** When a lease lapses: in ms for the conditions, and as the TTL so DynamoDB removes leases a crashed run left. */
function leaseExpiry(expiresAtMs: number): {
  [LEASE_EXPIRY_ATTRIBUTE]: AttributeValue;
  [TTL_ATTRIBUTE]: AttributeValue;
} {
  return {
    [LEASE_EXPIRY_ATTRIBUTE]: number(expiresAtMs),
    [TTL_ATTRIBUTE]: number(Math.ceil(expiresAtMs / 1000)),
  };
}

export class DynamoDbDriftStore implements DriftStore {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly retentionDays: number;
  readonly #documents: DynamoDbDocuments;

  constructor(options: DynamoDbDriftStoreOptions) {
    this.client = options.client ?? new DynamoDBClient(options.clientConfig ?? {});
    this.tableName = options.tableName;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#documents = new DynamoDbDocuments(this.client, this.tableName, {
      ...DEFAULT_BATCH_RETRY,
      ...options.batchRetry,
    });
  }

  getTarget(target: TargetRef): Promise<TargetRecord | null> {
    return withStorageErrors(`reading target ${describeTarget(target)}`, async () => {
      const { state, findings } = await this.#readTarget(target);
      if (!state) return null;
      const openFindings = new Map([...findings].map(([fp, finding]) => [fp, toOpenFinding(finding, state)]));
      return { state, openFindings };
    });
  }

  saveTargetObservation(
    target: TargetRef,
    observation: TargetObservation,
    now: Instant,
  ): Promise<FindingChanges> {
    return withStorageErrors(`saving the observation of ${describeTarget(target)}`, async () => {
      const previous = await this.#readTarget(target);
      const nowIso = toIso(now);
      const state = nextTargetState(target, previous.state, observation, nowIso);
      let changes: FindingChanges = { opened: [], closed: [], open: previous.findings.size };
      if (observation.status === 'ok') {
        const plan = planFindingChanges(previous.findings, observation.findings, nowIso);
        await this.#putFindings(target, plan.put);
        await this.#documents.deleteAll(plan.changes.closed.map((fp) => findingKey(target, fp)));
        changes = plan.changes;
      }
      await this.#documents.put(targetStateKey(target), ItemKind.TargetState, state);
      return changes;
    });
  }

  markFindingsNotified(target: TargetRef, fingerprints: readonly string[], now: Instant): Promise<number> {
    return withStorageErrors(`marking findings of ${describeTarget(target)} notified`, async () => {
      const items = await this.#documents.query(targetPartition(target), {
        sortKeyPrefix: FINDING_SORT_PREFIX,
      });
      const stored = await this.#findingMap(items);
      const notified = markNotified(stored, fingerprints, toIso(now));
      await this.#putFindings(target, notified);
      return notified.length;
    });
  }

  recordRun(run: RunInput): Promise<RunRecord> {
    return withStorageErrors(`recording run ${run.runId}`, async () => {
      const record = buildRunRecord(run, this.retentionDays);
      await this.#documents.put(runKey(record.startedAt, record.runId), ItemKind.Run, record, {
        expiresAt: record.expiresAt,
      });
      return record;
    });
  }

  listRuns(now: Instant, limit?: number): Promise<RunRecord[]> {
    return withStorageErrors('listing runs', async () => {
      const items = await this.#documents.query(RUN_PARTITION, {
        newestFirst: true,
        unexpiredAtSeconds: Math.floor(toEpochMs(now) / 1000),
        ...(limit === undefined ? {} : { limit }),
      });
      return this.#bodies<RunRecord>(items);
    });
  }

  saveJournalEntry(target: TargetRef, entry: JournalEntryInput, now: Instant): Promise<JournalEntry> {
    return withStorageErrors(
      `saving the journal entry of run ${entry.runId} for ${describeTarget(target)}`,
      async () => {
        const key = journalKey(target, entry.runId);
        const existing = await this.#documents.get<JournalEntry>(key);
        const saved = buildJournalEntry(target, entry, existing, toIso(now));
        await this.#documents.put(key, ItemKind.JournalEntry, saved);
        return saved;
      },
    );
  }

  listJournal(target: TargetRef): Promise<JournalEntry[]> {
    return withStorageErrors(`listing the journal of ${describeTarget(target)}`, async () => {
      const items = await this.#documents.query(journalPartition(target));
      return (await this.#bodies<JournalEntry>(items)).sort(newestEntryFirst);
    });
  }

  getJournalEntry(target: TargetRef, runId: string): Promise<JournalEntry | null> {
    return withStorageErrors(`reading the journal entry of run ${runId} for ${describeTarget(target)}`, () =>
      this.#documents.get<JournalEntry>(journalKey(target, runId)),
    );
  }

  enqueueAlert(alert: AlertInput, now: Instant): Promise<boolean> {
    return withStorageErrors(`enqueueing alert ${alert.id}`, async () => {
      if ((await this.#documents.getItem(sentAlertKey(alert.id))) !== null) return false;
      return this.#documents.put(
        pendingAlertKey(alert.id),
        ItemKind.PendingAlert,
        newPendingAlert(alert, toIso(now)),
        {
          condition: 'absent',
        },
      );
    });
  }

  listPendingAlerts(): Promise<PendingAlert[]> {
    return withStorageErrors('listing pending alerts', async () => {
      const items = await this.#documents.query(OUTBOX_PARTITION, {
        sortKeyPrefix: PENDING_ALERT_SORT_PREFIX,
      });
      return (await this.#bodies<PendingAlert>(items)).sort(oldestAlertFirst);
    });
  }

  markAlertSent(id: string, now: Instant): Promise<void> {
    return withStorageErrors(`marking alert ${id} sent`, async () => {
      const key = sentAlertKey(id);
      // The marker first: should the delete not happen, the alert is sent again, as after a crash just after publishing.
      await this.#documents.putItem({
        ...keyItem(key),
        kind: { S: ItemKind.SentAlert },
        sentAt: { S: toIso(now) },
        [TTL_ATTRIBUTE]: number(epochSecondsAfterDays(now, this.retentionDays)),
      });
      await this.#documents.delete(pendingAlertKey(id));
    });
  }

  recordAlertFailure(id: string, error: string, now: Instant): Promise<PendingAlert> {
    return withStorageErrors(`recording a failed attempt of alert ${id}`, async () => {
      const key = pendingAlertKey(id);
      const pending = await this.#documents.get<PendingAlert>(key);
      const updated = pending && withFailedAttempt(pending, error, toIso(now));
      // Conditional, so an alert marked sent meanwhile is not brought back.
      if (
        !updated ||
        !(await this.#documents.put(key, ItemKind.PendingAlert, updated, { condition: 'present' }))
      ) {
        throw new DriftStoreError(`alert ${id} is not pending`);
      }
      return updated;
    });
  }

  /** A free or expired lease is taken with a conditional put; one this owner holds is renewed. */
  acquireLease(name: string, owner: string, ttlMs: number, now: Instant): Promise<boolean> {
    return withStorageErrors(`acquiring lease ${name}`, async () => {
      const nowMs = toEpochMs(now);
      const item: Item = {
        ...keyItem(leaseKey(name)),
        kind: { S: ItemKind.Lease },
        owner: { S: owner },
        acquiredAtMs: number(nowMs),
        ...leaseExpiry(nowMs + ttlMs),
      };
      const taken = await this.#documents.putItem(item, {
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiry <= :now',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#expiry': LEASE_EXPIRY_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': number(nowMs) },
      });
      return taken || this.#renewLease(name, owner, nowMs + ttlMs);
    });
  }

  renewLease(name: string, owner: string, ttlMs: number, now: Instant): Promise<boolean> {
    return withStorageErrors(`renewing lease ${name}`, () =>
      this.#renewLease(name, owner, toEpochMs(now) + ttlMs),
    );
  }

  getLease(name: string, now: Instant): Promise<LeaseHolder | null> {
    return withStorageErrors(`reading lease ${name}`, async () => {
      const item = await this.#documents.getItem(leaseKey(name));
      const owner = item?.['owner']?.S;
      const expiresAtMs = Number(item?.[LEASE_EXPIRY_ATTRIBUTE]?.N);
      if (owner === undefined || !(expiresAtMs > toEpochMs(now))) return null;
      const acquiredAtMs = Number(item?.['acquiredAtMs']?.N ?? expiresAtMs);
      return { owner, acquiredAt: toIso(acquiredAtMs), expiresAt: toIso(expiresAtMs) };
    });
  }

  releaseLease(name: string, owner: string): Promise<boolean> {
    return withStorageErrors(`releasing lease ${name}`, () =>
      this.#documents.deleteItem(leaseKey(name), {
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: owner } },
      }),
    );
  }

  takeFromCounter(name: string, limit: number, now: Instant): Promise<number | null> {
    return withStorageErrors(`taking from counter ${name}`, async () => {
      // One conditional ADD: DynamoDB applies it atomically, so concurrent workers never pass the limit.
      const updated = await this.#documents.updateItem(counterKey(name), {
        UpdateExpression: 'ADD #taken :one SET #kind = :kind, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#taken) OR #taken < :limit',
        ExpressionAttributeNames: { '#taken': 'taken', '#kind': 'kind', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':one': number(1),
          ':limit': number(limit),
          ':kind': { S: ItemKind.Counter },
          ':ttl': number(epochSecondsAfterDays(now, this.retentionDays)),
        },
      });
      return updated === null ? null : Number(updated['taken']?.N);
    });
  }

  giveBackToCounter(name: string): Promise<void> {
    return withStorageErrors(`giving back to counter ${name}`, async () => {
      await this.#documents.updateItem(counterKey(name), {
        UpdateExpression: 'ADD #taken :minusOne',
        ConditionExpression: '#taken > :zero',
        ExpressionAttributeNames: { '#taken': 'taken' },
        ExpressionAttributeValues: { ':minusOne': number(-1), ':zero': number(0) },
      });
    });
  }

  /** Extends the lease while `owner` holds it; false when another owner took it or it was released. */
  async #renewLease(name: string, owner: string, expiresAtMs: number): Promise<boolean> {
    const expiry = leaseExpiry(expiresAtMs);
    const updated = await this.#documents.updateItem(leaseKey(name), {
      UpdateExpression: 'SET #expiry = :expiry, #ttl = :ttl',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: {
        '#owner': 'owner',
        '#expiry': LEASE_EXPIRY_ATTRIBUTE,
        '#ttl': TTL_ATTRIBUTE,
      },
      ExpressionAttributeValues: {
        ':owner': { S: owner },
        ':expiry': expiry[LEASE_EXPIRY_ATTRIBUTE],
        ':ttl': expiry[TTL_ATTRIBUTE],
      },
    });
    return updated !== null;
  }

  /** The state and open findings of a target, in one query of its partition. */
  async #readTarget(
    target: TargetRef,
  ): Promise<{ state: TargetState | null; findings: Map<string, StoredFinding> }> {
    const items = await this.#documents.query(targetPartition(target));
    const stateItem = items.find((item) => item[SORT_KEY]?.S === TARGET_STATE_SORT_KEY);
    const findingItems = items.filter((item) => item[SORT_KEY]?.S?.startsWith(FINDING_SORT_PREFIX));
    return {
      state: stateItem ? await this.#documents.body<TargetState>(stateItem) : null,
      findings: await this.#findingMap(findingItems),
    };
  }

  async #findingMap(items: Item[]): Promise<Map<string, StoredFinding>> {
    const findings = await this.#bodies<StoredFinding>(items);
    return new Map(findings.map((finding) => [finding.fingerprint, finding]));
  }

  #putFindings(target: TargetRef, findings: readonly StoredFinding[]): Promise<void> {
    return this.#documents.putAll(
      findings.map((finding) => ({
        key: findingKey(target, finding.fingerprint),
        kind: ItemKind.OpenFinding,
        body: finding,
      })),
    );
  }

  #bodies<T>(items: Item[]): Promise<T[]> {
    return Promise.all(items.map((item) => this.#documents.body<T>(item)));
  }
}
