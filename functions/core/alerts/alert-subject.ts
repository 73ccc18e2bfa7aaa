/**
 * The email subject of an alert: severity, target and what happened in counts, e.g.
 * `[HIGH] ECR signing in 111122223333/us-east-1: 3 new findings, 1 resolved`.
 */
import type { TargetRef } from '../types.js';
import { type AlertEvent, type AlertEventType, RESOLUTION_EVENT_TYPES } from './alert-event.js';
import { highestSeverity } from './event-summary.js';
import { MAX_SUBJECT_LENGTH } from './sns-publish-limits.js';

/** Subject words by type, in the order a subject says them: what needs action first. */
const COUNT_WORDS: [AlertEventType, (count: number) => string][] = [
  ['finding.opened', (count) => `${count} new finding${count === 1 ? '' : 's'}`],
  ['finding.reminder', (count) => `${count} still open`],
  ['finding.resolved', (count) => `${count} resolved`],
  ['signing.not-configured', () => 'signing not configured'],
  ['waiver.expired', (count) => `${count} waiver${count === 1 ? '' : 's'} expired`],
  ['discovery.failed', () => 'account discovery failed'],
  ['scan.failed', () => 'scan failed'],
  ['remediation.conflict', () => 'remediation overwrote a change'],
  ['remediation.failed', (count) => (count > 1 ? `${count} remediations failed` : 'remediation failed')],
  ['config.changed', () => 'config changed'],
  ['remediation.planned', (count) => (count > 1 ? `${count} remediations planned` : 'remediation planned')],
  ['remediation.applied', (count) => (count > 1 ? `${count} remediations applied` : 'remediation applied')],
  ['signing.configured', () => 'signing configured'],
  ['scan.recovered', () => 'scan recovered'],
];

const ELLIPSIS = ', ...';

/** What happened, in counts by type: `3 new findings`, `1 resolved`, `scan failed`. */
function eventCountWords(events: readonly AlertEvent[]): string[] {
  const counts = new Map<AlertEventType, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  return COUNT_WORDS.flatMap(([type, words]) => {
    const count = counts.get(type);
    return count ? [words(count)] : [];
  });
}

/** Printable ASCII only and under 100 characters; drops trailing counts (not words) to fit. */
export function composeSubject(target: TargetRef, events: readonly AlertEvent[]): string {
  const goodNews = events.every((event) => RESOLUTION_EVENT_TYPES.includes(event.type));
  const tag = goodNews ? 'RESOLVED' : highestSeverity(events).toUpperCase();
  const head = toSubjectText(`[${tag}] ECR signing in ${target.accountId}/${target.region}: `);
  const parts = eventCountWords(events);
  for (let kept = parts.length; kept > 0; kept -= 1) {
    const subject = head + parts.slice(0, kept).join(', ') + (kept < parts.length ? ELLIPSIS : '');
    if (subject.length <= MAX_SUBJECT_LENGTH) return subject;
  }
  return head.slice(0, MAX_SUBJECT_LENGTH).trimEnd();
}

/** Replaces what SNS refuses in a subject (line breaks, control and non-ASCII characters). */
export function toSubjectText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
