/**
 * The DynamoDB table the drift store needs, named once for the store and the CDK stack:
 * string partition key `pk`, string sort key `sk`, TTL on `expiresAt` (epoch seconds),
 * no secondary index. Every record is an item keyed as below; `kind` names its type.
 */
import type { TargetRef } from '../core/types.js';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Number, epoch seconds: run records, sent-alert markers, leases, counters and body parts expire. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const ItemKind = {
  TargetState: 'target-state',
  OpenFinding: 'open-finding',
  Run: 'run',
  JournalEntry: 'journal-entry',
  PendingAlert: 'pending-alert',
  SentAlert: 'sent-alert',
  Lease: 'lease',
  Counter: 'counter',
  BodyPart: 'body-part',
} as const;
export type ItemKind = (typeof ItemKind)[keyof typeof ItemKind];

export interface ItemKey {
  pk: string;
  sk: string;
}

/** A target's state and its open findings share a partition, so one query reads them all. */
export function targetPartition(target: TargetRef): string {
  return `TARGET#${target.accountId}#${target.region}`;
}

export const TARGET_STATE_SORT_KEY = 'STATE';
export const FINDING_SORT_PREFIX = 'FINDING#';

export function targetStateKey(target: TargetRef): ItemKey {
  return { pk: targetPartition(target), sk: TARGET_STATE_SORT_KEY };
}

export function findingKey(target: TargetRef, fingerprint: string): ItemKey {
  return { pk: targetPartition(target), sk: `${FINDING_SORT_PREFIX}${fingerprint}` };
}

export const RUN_PARTITION = 'RUN';

/** Sorted by start time, so the newest runs are read first without reading them all. */
export function runKey(startedAtIso: string, runId: string): ItemKey {
  return { pk: RUN_PARTITION, sk: `${startedAtIso}#${runId}` };
}

export function journalPartition(target: TargetRef): string {
  return `JOURNAL#${target.accountId}#${target.region}`;
}

export function journalKey(target: TargetRef, runId: string): ItemKey {
  return { pk: journalPartition(target), sk: runId };
}

export const OUTBOX_PARTITION = 'OUTBOX';
export const PENDING_ALERT_SORT_PREFIX = 'PENDING#';
export const SENT_ALERT_SORT_PREFIX = 'SENT#';

export function pendingAlertKey(id: string): ItemKey {
  return { pk: OUTBOX_PARTITION, sk: `${PENDING_ALERT_SORT_PREFIX}${id}` };
}

/** Kept for the retention after the alert is sent, so enqueueing its id again does nothing. */
export function sentAlertKey(id: string): ItemKey {
  return { pk: OUTBOX_PARTITION, sk: `${SENT_ALERT_SORT_PREFIX}${id}` };
}

export function leaseKey(name: string): ItemKey {
  return { pk: `LEASE#${name}`, sk: 'LEASE' };
}

/** A counter shared by processes (a run's remediations), changed only by conditional ADDs. */
export function counterKey(name: string): ItemKey {
  return { pk: `COUNTER#${name}`, sk: 'COUNTER' };
}
