/**
 * What a set of events adds up to: the facts subscribers route on (attributes) and read
 * first (subject, headline), always over every event, dropped for size or not.
 */
import { severityRank } from '../severity.js';
import type { Severity } from '../types.js';
import { ALERT_EVENT_TYPES, type AlertEvent, type AlertEventType } from './alert-event.js';
import { compareText } from './event-order.js';

export function highestSeverity(events: readonly AlertEvent[]): Severity {
  let highest: Severity = 'info';
  for (const event of events) {
    if (severityRank(event.severity) < severityRank(highest)) highest = event.severity;
  }
  return highest;
}

/** Distinct, in ALERT_EVENT_TYPES order. */
export function eventTypesOf(events: readonly AlertEvent[]): AlertEventType[] {
  const present = new Set(events.map((event) => event.type));
  return ALERT_EVENT_TYPES.filter((type) => present.has(type));
}

/** Distinct policy ids the events are about, sorted. */
export function policyIdsOf(events: readonly AlertEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if ('policyId' in event) ids.add(event.policyId);
    if (event.type === 'signing.not-configured')
      for (const policy of event.policies) ids.add(policy.policyId);
  }
  return [...ids].sort(compareText);
}

/** Distinct repositories named by finding events, sorted (signing.not-configured lists its own). */
export function repositoryNamesOf(events: readonly AlertEvent[]): string[] {
  const names = new Set<string>();
  for (const event of events) {
    if ('repositoryName' in event && event.repositoryName) names.add(event.repositoryName);
  }
  return [...names].sort(compareText);
}
