/**
 * Translates between what the store keeps per target and what the alert lifecycle
 * reads and writes: open findings come from the store's records, the lifecycle's
 * scan-failure, no-configuration and remediation notices travel in the state's bookkeeping.
 */
import type {
  ExpiredWaiverRecords,
  LastScanRecord,
  RemediationNoticeRecords,
  SigningNotConfiguredRecord,
  TargetAlertState,
} from '../core/alerts/index.js';
import { ALERT_STATE_VERSION } from '../core/alerts/index.js';
import type { TargetRef } from '../core/types.js';
import type { JsonObject, TargetRecord } from '../records/drift-store.js';

interface Bookkeeping {
  lastScan: LastScanRecord;
  signingNotConfigured: SigningNotConfiguredRecord | null;
  remediationNotices: RemediationNoticeRecords;
  expiredWaivers?: ExpiredWaiverRecords;
}

export function toAlertState(target: TargetRef, record: TargetRecord | null): TargetAlertState | null {
  if (!record) return null;
  const { state } = record;
  const kept = state.alertBookkeeping as Partial<Bookkeeping> | undefined;
  const lastScan: LastScanRecord = kept?.lastScan ?? { status: 'ok', at: state.lastScanAt };
  return {
    accountId: target.accountId,
    region: target.region,
    stateVersion: ALERT_STATE_VERSION,
    configuration: state.configuration
      ? { hash: state.configuration.hash, canonicalJson: state.configuration.canonicalJson }
      : null,
    lastScan,
    signingNotConfigured: kept?.signingNotConfigured ?? null,
    remediationNotices: kept?.remediationNotices ?? {},
    ...(kept?.expiredWaivers ? { expiredWaivers: kept.expiredWaivers } : {}),
    openFindings: Object.fromEntries(
      [...record.openFindings].map(([fingerprint, f]) => [
        fingerprint,
        {
          fingerprint,
          policyId: f.policyId,
          policyTitle: f.policyTitle,
          severity: f.severity,
          ...(f.repositoryName !== undefined ? { repositoryName: f.repositoryName } : {}),
          ...(f.ruleIndex !== undefined ? { ruleIndex: f.ruleIndex } : {}),
          message: f.message,
          factsPath: f.factsPath,
          firstSeen: f.firstSeen,
          lastSeen: f.lastSeen,
          lastNotified: f.lastNotified,
        },
      ]),
    ),
  };
}

export function bookkeepingOf(state: TargetAlertState): JsonObject {
  const bookkeeping: Bookkeeping = {
    lastScan: state.lastScan,
    signingNotConfigured: state.signingNotConfigured,
    remediationNotices: state.remediationNotices,
    ...(state.expiredWaivers ? { expiredWaivers: state.expiredWaivers } : {}),
  };
  return JSON.parse(JSON.stringify(bookkeeping)) as JsonObject;
}

/** Fingerprints the lifecycle notified in this run (their lastNotified is now). */
export function notifiedFingerprints(state: TargetAlertState, nowIso: string): string[] {
  return Object.values(state.openFindings)
    .filter((f) => f.lastNotified === nowIso)
    .map((f) => f.fingerprint);
}
