/**
 * Publishes what the outbox holds, oldest first: this run's alerts and any earlier
 * run's that failed to go out. A publish that fails stays pending for the next run;
 * one that succeeds is marked sent, so it is never published twice. While another run
 * publishes, this one waits for it to finish, then publishes what is left: alerts it
 * enqueued after the other run listed the outbox would otherwise wait for a third run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeAwsError } from '../aws/aws-error.js';
import type { ComposedAlert } from '../core/alerts/index.js';
import type { ScanError } from '../core/types.js';
import type { DriftStore } from '../records/drift-store.js';
import type { AlertPublisher } from './run-types.js';
import type { RunTelemetry } from './telemetry.js';

export interface OutboxResult {
  published: number;
  failed: number;
  /**
   * Alerts left for a later run: those this flush could not publish. Alerts another run
   * enqueued meanwhile are not counted: that run publishes them once this flush is over.
   */
  pending: number;
  /** One per failed publish: the alert's target, the topic and what SNS answered. */
  errors: ScanError[];
}

/** Lease name that keeps two overlapping runs from publishing the same pending alert. */
export const OUTBOX_LEASE = 'outbox';

/** How long a run waits for another run's flush; past it, its alerts are left for the next run. */
export const OUTBOX_LEASE_WAIT_MS = 60_000;
const LEASE_RETRY_MS = 100;

export async function flushOutbox(input: {
  store: DriftStore;
  publisher: AlertPublisher | null;
  owner: string;
  leaseTtlMs: number;
  telemetry: RunTelemetry;
  clock: () => Date;
  /** How long to wait while another run holds the outbox (default OUTBOX_LEASE_WAIT_MS), in real time. */
  leaseWaitMs?: number;
}): Promise<OutboxResult> {
  const { store, publisher, telemetry, clock } = input;
  if (!publisher)
    return { published: 0, failed: 0, pending: (await store.listPendingAlerts()).length, errors: [] };
  if (!(await acquireOutbox(input, input.leaseWaitMs ?? OUTBOX_LEASE_WAIT_MS))) {
    telemetry.warn('outbox held by another run for too long; alerts are left for the next run');
    return { published: 0, failed: 0, pending: (await store.listPendingAlerts()).length, errors: [] };
  }
  const result: OutboxResult = { published: 0, failed: 0, pending: 0, errors: [] };
  try {
    const listed = await store.listPendingAlerts();
    for (const alert of listed) {
      const payload = alert.payload as unknown as ComposedAlert;
      try {
        await publisher.publish(payload);
        await store.markAlertSent(alert.id, clock());
        result.published++;
      } catch (error) {
        const { errorName, message } = summarizeAwsError(error);
        await store.recordAlertFailure(alert.id, `${errorName}: ${message}`, clock());
        telemetry.warn('alert publish failed; kept for the next run', { alertId: alert.id, errorName });
        result.errors.push(publishError(payload, publisher, errorName, message));
        result.failed++;
      }
    }
    const tried = new Set(listed.map((alert) => alert.id));
    result.pending = (await store.listPendingAlerts()).filter((alert) => tried.has(alert.id)).length;
    return result;
  } finally {
    await store.releaseLease(OUTBOX_LEASE, input.owner);
  }
}

/** A failed publish as the run reports it: on the alert's target, naming the destination. */
function publishError(
  alert: ComposedAlert,
  publisher: AlertPublisher,
  errorName: string,
  message: string,
): ScanError {
  const attribute = (name: string) => {
    const value = alert.messageAttributes?.[name]?.value;
    return typeof value === 'string' ? value : '';
  };
  return {
    accountId: attribute('accountId'),
    region: attribute('region'),
    operation: 'Publish',
    errorName,
    message: `publishing to ${publisher.destination ?? 'the alert topic'} failed: ${message} (the alert stays in the outbox for the next run)`,
  };
}

/** Takes the outbox lease, waiting up to `waitMs` for the run that holds it to finish. */
async function acquireOutbox(
  input: { store: DriftStore; owner: string; leaseTtlMs: number; clock: () => Date },
  waitMs: number,
): Promise<boolean> {
  const giveUpAt = performance.now() + waitMs;
  for (;;) {
    if (await input.store.acquireLease(OUTBOX_LEASE, input.owner, input.leaseTtlMs, input.clock()))
      return true;
    const left = giveUpAt - performance.now();
    if (left <= 0) return false;
    await sleep(Math.min(LEASE_RETRY_MS, left));
  }
}
