/**
 * Publishes what the outbox holds, oldest first: this run's alerts and any earlier
 * run's that failed to go out. A publish that fails stays pending for the next run;
 * one that succeeds is marked sent, so it is never published twice.
 */
import { summarizeAwsError } from '../aws/aws-error.js';
import type { ComposedAlert } from '../core/alerts/sns-message.js';
import type { DriftStore } from '../records/drift-store.js';
import type { AlertPublisher } from './run-types.js';
import type { RunTelemetry } from './telemetry.js';

export interface OutboxResult {
  published: number;
  failed: number;
  pending: number;
}

/** Lease name that keeps two overlapping runs from publishing the same pending alert. */
export const OUTBOX_LEASE = 'outbox';

export async function flushOutbox(input: {
  store: DriftStore;
  publisher: AlertPublisher | null;
  owner: string;
  leaseTtlMs: number;
  telemetry: RunTelemetry;
  clock: () => Date;
}): Promise<OutboxResult> {
  const { store, publisher, telemetry, clock } = input;
  if (!publisher) return { published: 0, failed: 0, pending: (await store.listPendingAlerts()).length };
  if (!(await store.acquireLease(OUTBOX_LEASE, input.owner, input.leaseTtlMs, clock()))) {
    telemetry.info('outbox is being flushed by another run');
    return { published: 0, failed: 0, pending: (await store.listPendingAlerts()).length };
  }
  const result: OutboxResult = { published: 0, failed: 0, pending: 0 };
  try {
    for (const alert of await store.listPendingAlerts()) {
      try {
        const payload = alert.payload as unknown as ComposedAlert;
        await publisher.publish(payload);
        await store.markAlertSent(alert.id, clock());
        result.published++;
      } catch (error) {
        const { errorName, message } = summarizeAwsError(error);
        await store.recordAlertFailure(alert.id, `${errorName}: ${message}`, clock());
        telemetry.warn('alert publish failed; kept for the next run', { alertId: alert.id, errorName });
        result.failed++;
      }
    }
    result.pending = (await store.listPendingAlerts()).length;
    return result;
  } finally {
    await store.releaseLease(OUTBOX_LEASE, input.owner);
  }
}
