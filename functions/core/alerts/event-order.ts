/**
 * Orders of events. Messages present events grouped by type; when a message must drop
 * events to fit SNS's size limit, it keeps the most important ones.
 */
import { severityRank } from '../severity.js';
import { ALERT_EVENT_TYPES, type AlertEvent } from './alert-event.js';

/** By type (ALERT_EVENT_TYPES order), then most severe first, then fingerprint. */
export function byPresentationOrder(a: AlertEvent, b: AlertEvent): number {
  return typeRank(a) - typeRank(b) || severityOrder(a, b) || compareText(fingerprintOf(a), fingerprintOf(b));
}

/** Most severe first, then by type, then fingerprint: what to keep when not everything fits. */
export function byImportance(a: AlertEvent, b: AlertEvent): number {
  return severityOrder(a, b) || typeRank(a) - typeRank(b) || compareText(fingerprintOf(a), fingerprintOf(b));
}

/** By code unit, not locale: orderings must not depend on where the run happens. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeRank(event: AlertEvent): number {
  return ALERT_EVENT_TYPES.indexOf(event.type);
}

function severityOrder(a: AlertEvent, b: AlertEvent): number {
  return severityRank(a.severity) - severityRank(b.severity);
}

function fingerprintOf(event: AlertEvent): string {
  return 'fingerprint' in event ? event.fingerprint : '';
}
