export type { LostChange, RemediationOutcome } from './alert-event.js';
export { EVENT_SEVERITY } from './alert-event.js';
export type {
  LastScanRecord,
  RemediationNoticeRecords,
  SigningNotConfiguredRecord,
  TargetAlertState,
} from './alert-state.js';
export { ALERT_STATE_VERSION } from './alert-state.js';
export type { ChangeAttribution, ChangedBy } from './change-attribution.js';
export type { ScanObservation } from './lifecycle.js';
export { DEFAULT_REMINDER_INTERVAL_MS, planAlerts } from './lifecycle.js';
export type { ComposedAlert } from './sns-message.js';
export { composeAlertMessage } from './sns-message.js';
export type { ExpiredWaiverNotice, ExpiredWaiverRecords } from './waiver-expiry.js';
export { expiredWaiverNotices } from './waiver-expiry.js';
