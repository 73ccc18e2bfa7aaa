/**
 * One SNS message per target per run, grouping the target's events: a subject, a
 * MessageStructure=json document with a body per protocol, and message attributes for
 * subscription filter policies. Pure: publishing is the SNS adapter's job.
 */
import type { TargetRef } from '../types.js';
import type { AlertEvent, Attributed } from './alert-event.js';
import { alertIdOf } from './alert-id.js';
import { composeSubject } from './alert-subject.js';
import { defaultText, emailText } from './alert-text.js';
import { changedByTypeOf } from './change-attribution.js';
import { byImportance, byPresentationOrder } from './event-order.js';
import { eventTypesOf, highestSeverity, policyIdsOf } from './event-summary.js';
import { ALERT_MESSAGE_SCHEMA_VERSION, type AlertMessageBody, truncationNote } from './machine-body.js';
import { type AlertAttributeValue, MAX_PUBLISH_BYTES, publishSizeBytes } from './sns-publish-limits.js';

export interface AlertMessageInput {
  runId: string;
  target: TargetRef;
  /** The target's events of this run, as planAlerts gives them. */
  events: readonly AlertEvent[];
  accountName?: string;
  /** Default: derived from the target and its transitions (alertIdOf). */
  alertId?: string;
}

export interface ComposeAlertOptions {
  /** Defaults to SNS's limit; lower it to leave room for anything the caller adds. */
  maxPublishBytes?: number;
}

/** Fits the SNS publisher adapter's OutgoingAlert. */
export interface ComposedAlert {
  /** The message's id: the outbox key, the `alertId` attribute and the body's `alertId`. */
  alertId: string;
  subject: string;
  /** JSON object with `default`, `email`, `sqs`, `lambda` and `https` bodies, all strings. */
  message: string;
  messageStructure: 'json';
  /**
   * alertId, eventType (String.Array), severity, accountId, region (String), policyIds
   * (String.Array, when any), changedByType (String, when the run looked up who made a change).
   */
  messageAttributes: Record<string, AlertAttributeValue>;
}

export function composeAlertMessage(
  input: AlertMessageInput,
  options: ComposeAlertOptions = {},
): ComposedAlert {
  const { runId, target, events } = input;
  if (events.length === 0) {
    throw new RangeError(
      'composeAlertMessage needs at least one event: a run without transitions sends nothing',
    );
  }
  const maxBytes = options.maxPublishBytes ?? MAX_PUBLISH_BYTES;
  const subject = composeSubject(target, events);
  const severity = highestSeverity(events);
  const eventTypes = eventTypesOf(events);
  const policyIds = policyIdsOf(events);
  const alertId = input.alertId ?? alertIdOf(runId, target, events);
  const messageAttributes: Record<string, AlertAttributeValue> = {
    alertId: { dataType: 'String', value: alertId },
    eventType: { dataType: 'String.Array', value: eventTypes },
    severity: { dataType: 'String', value: severity },
    accountId: { dataType: 'String', value: target.accountId },
    region: { dataType: 'String', value: target.region },
  };
  // SNS refuses empty attribute values; filters can test for an absent policyIds instead.
  if (policyIds.length > 0) messageAttributes['policyIds'] = { dataType: 'String.Array', value: policyIds };
  const attributed = events.find((event) => 'changedBy' in event && event.changedBy !== undefined) as
    | Attributed
    | undefined;
  if (attributed?.changedBy !== undefined) {
    messageAttributes['changedByType'] = { dataType: 'String', value: changedByTypeOf(attributed.changedBy) };
  }
  const byPriority = [...events].sort(byImportance);

  const withFirst = (kept: number): ComposedAlert => {
    const included = byPriority.slice(0, kept).sort(byPresentationOrder);
    const body: AlertMessageBody = {
      schemaVersion: ALERT_MESSAGE_SCHEMA_VERSION,
      alertId,
      runId,
      accountId: target.accountId,
      region: target.region,
      ...(input.accountName === undefined ? {} : { accountName: input.accountName }),
      severity,
      eventTypes,
      policyIds,
      events: included,
    };
    const truncated = truncationNote(runId, events, included, maxBytes);
    if (truncated) body.truncated = truncated;
    const text = {
      runId,
      target,
      accountName: input.accountName,
      headline: subject,
      events: included,
      totalEvents: events.length,
    };
    const machine = JSON.stringify(body);
    const message = JSON.stringify({
      default: defaultText(text),
      email: emailText(text),
      sqs: machine,
      lambda: machine,
      https: machine,
    });
    return { alertId, subject, message, messageStructure: 'json', messageAttributes };
  };
  const fits = (alert: ComposedAlert) => publishSizeBytes(alert) <= maxBytes;

  const mostThatCanFit = upperBoundOfEventsThatFit(byPriority, maxBytes);
  if (mostThatCanFit === events.length) {
    const whole = withFirst(events.length);
    if (fits(whole)) return whole;
  }
  let fitting = withFirst(0);
  if (!fits(fitting)) {
    throw new RangeError(
      `an alert for ${target.accountId}/${target.region} exceeds ${maxBytes} bytes even without events`,
    );
  }
  // Size grows with the events kept: find the most that fit by bisection.
  let [low, high] = [0, Math.min(events.length, mostThatCanFit + 1)];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const candidate = withFirst(middle);
    if (fits(candidate)) [low, fitting] = [middle, candidate];
    else high = middle;
  }
  return fitting;
}

/**
 * How many of the events, in priority order, could fit at most: each stands in the three
 * machine copies at least once, and UTF-8 takes at least a byte per UTF-16 unit. Saves
 * composing thousands of events only to find they cannot fit.
 */
function upperBoundOfEventsThatFit(events: readonly AlertEvent[], maxBytes: number): number {
  let bytes = 0;
  for (const [index, event] of events.entries()) {
    bytes += 3 * JSON.stringify(event).length;
    if (bytes > maxBytes) return index;
  }
  return events.length;
}
