/**
 * The id of an alert message, the same every time the same transitions of a target are
 * told: a run that crashed after recording a target but before marking its findings
 * notified plans the same events again, and the outbox then finds the id already taken.
 * SNS has no idempotency key, so the id also travels as the `alertId` message attribute
 * and in the machine body, for subscribers to deduplicate on.
 */
import { createHash } from 'node:crypto';
import type { TargetRef } from '../types.js';
import type { AlertEvent } from './alert-event.js';

/**
 * What makes an event the same transition again. Finding events are re-planned after a
 * crash from what was recorded (fingerprint and the recorded times), so their key is their
 * content; every other event's bookkeeping is committed with the record it comes from, so
 * it cannot be planned twice, and the run that planned it names it.
 */
function transitionKey(event: AlertEvent, runId: string): string {
  switch (event.type) {
    case 'finding.opened':
      return `detected:${event.fingerprint}:${event.firstSeen}`;
    case 'finding.reminder':
      return `reminder:${event.fingerprint}:${event.previouslyNotified}`;
    case 'finding.resolved':
      return `resolved:${event.fingerprint}:${event.lastSeen}`;
    default:
      return `${event.type}:${runId}`;
  }
}

/** `alert-` and 32 hex digits, from the target and the transitions the message tells. */
export function alertIdOf(runId: string, target: TargetRef, events: readonly AlertEvent[]): string {
  const keys = events.map((event) => transitionKey(event, runId)).sort();
  const digest = createHash('sha256')
    .update(JSON.stringify([target.accountId, target.region, keys]))
    .digest('hex')
    .slice(0, 32);
  return `alert-${digest}`;
}
