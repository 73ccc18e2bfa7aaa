/**
 * Publishes what the outbox holds, oldest first: this run's alerts and any earlier
 * run's that failed to go out. A publish that fails stays pending for the next run;
 * one that succeeds is marked sent, so it is never published twice. While another run
 * publishes, this one waits for it to finish, then publishes what is left: alerts it
 * enqueued after the other run listed the outbox would otherwise wait for a third run.
 *
 * The outbox lease is renewed while the flush lasts (see HeldLease), and confirmed before
 * each publish: a run whose lease lapsed and was taken by another stops at once, so the
 * other run, which lists the outbox afresh, is the only one publishing what is left.
 *
 * Security Hub imports wait in the same outbox and go out the same way. Once one fails, the
 * later ones wait for the next run: a newer import (a finding archived) must never overtake
 * an older one (the same finding opened). Findings Security Hub still refuses after the
 * adapter's retries are reported as errors; the import is then done (sending them again
 * would be refused again).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeAwsError } from '../aws/aws-error.js';
import type { ComposedAlert } from '../core/alerts/index.js';
import type { ScanError } from '../core/types.js';
import type { DriftStore } from '../records/drift-store.js';
import { HeldLease, leaseHolderOf } from '../records/held-lease.js';
import type { AlertPublisher, FindingImporter } from './run-types.js';
import { isFindingImport, type SecurityHubDestination } from './security-hub-import.js';
import type { RunTelemetry } from './telemetry.js';

export interface OutboxResult {
  published: number;
  failed: number;
  /**
   * Alerts left for a later run: those this flush could not publish. Alerts another run
   * enqueued meanwhile are not counted: that run publishes them once this flush is over.
   */
  pending: number;
  /**
   * One per failed publish (the alert's target, the topic and what SNS answered), failed
   * Security Hub import and finding Security Hub refused (on the importing account).
   */
  errors: ScanError[];
  /** With Security Hub: findings imported, findings refused after the retries, imports that failed. */
  securityHub?: { imported: number; refused: number; failed: number };
}

/** Lease name that keeps two overlapping runs from publishing the same pending alert. */
export const OUTBOX_LEASE = 'outbox';

/** How long a run waits for another run's flush; past it, its alerts are left for the next run. */
export const OUTBOX_LEASE_WAIT_MS = 60_000;
const LEASE_RETRY_MS = 100;

export async function flushOutbox(input: {
  store: DriftStore;
  publisher: AlertPublisher | null;
  securityHub?: { importer: FindingImporter; destination: SecurityHubDestination } | null;
  /** The run's id; the lease is held under a holder of this flush's own, so workers of one run exclude each other. */
  owner: string;
  leaseTtlMs: number;
  telemetry: RunTelemetry;
  clock: () => Date;
  /** How long to wait while another run holds the outbox (default OUTBOX_LEASE_WAIT_MS), in real time. */
  leaseWaitMs?: number;
}): Promise<OutboxResult> {
  const { store, publisher, telemetry, clock } = input;
  const securityHub = input.securityHub ?? null;
  const nothingSent = async (): Promise<OutboxResult> => ({
    published: 0,
    failed: 0,
    pending: (await store.listPendingAlerts()).length,
    errors: [],
    ...(securityHub ? { securityHub: { imported: 0, refused: 0, failed: 0 } } : {}),
  });
  if (!publisher && !securityHub) return nothingSent();
  const lease = await acquireOutbox(input, input.leaseWaitMs ?? OUTBOX_LEASE_WAIT_MS);
  if (!lease) {
    telemetry.warn('outbox held by another run for too long; alerts are left for the next run');
    return nothingSent();
  }
  const imports = { imported: 0, refused: 0, failed: 0 };
  const result: OutboxResult = {
    published: 0,
    failed: 0,
    pending: 0,
    errors: [],
    ...(securityHub ? { securityHub: imports } : {}),
  };
  let importsWait = false;
  try {
    const listed = await store.listPendingAlerts();
    for (const alert of listed) {
      if (!(await lease.confirm())) {
        telemetry.warn('outbox lease lost to another run; it publishes what is left', {
          alertId: alert.id,
        });
        break;
      }
      if (isFindingImport(alert.payload)) {
        if (!securityHub || importsWait) continue;
        try {
          const out = await securityHub.importer.importFindings(alert.payload.findings);
          await store.markAlertSent(alert.id, clock());
          imports.imported += out.imported;
          imports.refused += out.refused.length;
          const { accountId, region } = securityHub.destination.account;
          for (const refused of out.refused) {
            telemetry.warn('Security Hub refused a finding', {
              findingId: refused.id,
              errorCode: refused.errorCode,
            });
            result.errors.push({
              accountId,
              region,
              operation: 'BatchImportFindings',
              errorName: refused.errorCode,
              message: `finding ${refused.id}: ${refused.errorMessage}`,
            });
          }
        } catch (error) {
          const { errorName, message } = summarizeAwsError(error);
          await store.recordAlertFailure(alert.id, `${errorName}: ${message}`, clock());
          telemetry.warn('Security Hub import failed; kept for the next run', {
            importId: alert.id,
            errorName,
          });
          const { accountId, region } = securityHub.destination.account;
          result.errors.push({
            accountId,
            region,
            operation: 'BatchImportFindings',
            errorName,
            message: `importing ${alert.payload.findings.length} findings failed: ${message} (the import stays in the outbox for the next run)`,
          });
          imports.failed++;
          importsWait = true;
        }
        continue;
      }
      if (!publisher) continue;
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
    await lease.release();
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
  input: {
    store: DriftStore;
    owner: string;
    leaseTtlMs: number;
    clock: () => Date;
    telemetry: RunTelemetry;
  },
  waitMs: number,
): Promise<HeldLease | null> {
  const giveUpAt = performance.now() + waitMs;
  for (;;) {
    const lease = await HeldLease.take({
      store: input.store,
      name: OUTBOX_LEASE,
      owner: leaseHolderOf(input.owner),
      ttlMs: input.leaseTtlMs,
      clock: input.clock,
      onRenewalError: (error) =>
        input.telemetry.warn('renewing the outbox lease failed; trying again', {
          error: error instanceof Error ? error.message : String(error),
        }),
    });
    if (lease) return lease;
    const left = giveUpAt - performance.now();
    if (left <= 0) return null;
    await sleep(Math.min(LEASE_RETRY_MS, left));
  }
}
