/**
 * The versioned machine body SQS, Lambda and HTTPS subscribers receive (schema:
 * alert-message.schema.json). It repeats what the message attributes say, because SNS
 * does not deliver attributes with a MessageStructure=json publish.
 */
import type { Severity } from '../types.js';
import type { AlertEvent, AlertEventType } from './alert-event.js';

export const ALERT_MESSAGE_SCHEMA_VERSION = 1 as const;

/** Present when events were left out to fit SNS's size limit. */
export interface TruncationNote {
  /** The run whose records hold every event. */
  runId: string;
  totalEvents: number;
  includedEvents: number;
  droppedEvents: number;
  droppedByType: Partial<Record<AlertEventType, number>>;
  reason: string;
}

export interface AlertMessageBody {
  schemaVersion: typeof ALERT_MESSAGE_SCHEMA_VERSION;
  /** The same for every delivery of the same transitions: subscribers deduplicate on it. */
  alertId: string;
  runId: string;
  accountId: string;
  region: string;
  accountName?: string;
  /** The highest severity over all events, included or not. */
  severity: Severity;
  /** Distinct event types over all events. */
  eventTypes: AlertEventType[];
  /** Distinct policy ids over all events. */
  policyIds: string[];
  /** Grouped by type, most severe first; when truncated, the most severe events are the ones kept. */
  events: AlertEvent[];
  truncated?: TruncationNote;
}

export function truncationNote(
  runId: string,
  all: readonly AlertEvent[],
  included: readonly AlertEvent[],
  maxBytes: number,
): TruncationNote | undefined {
  if (included.length === all.length) return undefined;
  const droppedByType: Partial<Record<AlertEventType, number>> = {};
  const kept = new Set(included);
  for (const event of all) {
    if (!kept.has(event)) droppedByType[event.type] = (droppedByType[event.type] ?? 0) + 1;
  }
  return {
    runId,
    totalEvents: all.length,
    includedEvents: included.length,
    droppedEvents: all.length - included.length,
    droppedByType,
    reason: `the SNS message would exceed ${maxBytes} bytes; the least severe events were dropped`,
  };
}
