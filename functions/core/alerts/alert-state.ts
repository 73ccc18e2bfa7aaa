/**
 * What the alert lifecycle remembers about one target between runs. Plain JSON (ISO-8601
 * strings, records keyed by fingerprint) so any store can persist it as it is.
 */
import type { TargetRef } from '../types.js';
import type { FindingSummary, ScanFailure } from './alert-event.js';
import type { ExpiredWaiverRecords } from './waiver-expiry.js';

export const ALERT_STATE_VERSION = 1 as const;

/** A finding present in the target's latest successful scan. */
export interface OpenFindingRecord extends FindingSummary {
  firstSeen: string;
  /** The latest successful scan that saw it. */
  lastSeen: string;
  /** When it was last alerted on its own; null while it never was (held back, or never published). */
  lastNotified: string | null;
}

/** The registry's signing configuration as the latest successful scan saw it. */
export interface ObservedConfiguration {
  hash: string;
  /** JSON of the configuration in the form the caller hashed (`null` when never configured). */
  canonicalJson: string;
}

export type LastScanRecord =
  | { status: 'ok'; at: string }
  | {
      status: 'failed';
      at: string;
      error: ScanFailure;
      /** The first failure of the current run of failures. */
      failingSince: string;
      /** When scan.failed was last alerted. */
      lastNotified: string;
    };

/** Set while a signing.not-configured alert stands for the target's findings. */
export interface SigningNotConfiguredRecord {
  since: string;
  lastNotified: string;
}

/**
 * Planned and failed remediation outcomes alerted for the target, keyed by a digest of
 * what they say, with when each was last alerted. The same outcome run after run is told
 * once, then again only each time the reminder interval passes; an applied one is always news.
 */
export type RemediationNoticeRecords = Record<string, string>;

export interface TargetAlertState extends TargetRef {
  stateVersion: typeof ALERT_STATE_VERSION;
  /** Null until a scan succeeds. */
  configuration: ObservedConfiguration | null;
  lastScan: LastScanRecord;
  signingNotConfigured: SigningNotConfiguredRecord | null;
  /** Keyed by fingerprint. */
  openFindings: Record<string, OpenFindingRecord>;
  remediationNotices: RemediationNoticeRecords;
  /** Expired waivers already told (absent in state written before waiver.expired existed). */
  expiredWaivers?: ExpiredWaiverRecords;
}
