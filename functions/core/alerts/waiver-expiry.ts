/**
 * `waiver.expired`: a waiver stopped applying to a target, so the findings it covered
 * count (and are alerted) again. Told once per target for each waiver and expiry date: a
 * waiver renewed and left to expire again is told again.
 */
import type { WaivedFinding } from '../policy/index.js';
import { bySeverity } from '../severity.js';
import type { WaiverExpiredEvent } from './alert-event.js';

/** When each expired waiver was told, keyed by `waiverKey`. */
export type ExpiredWaiverRecords = Record<string, string>;

/** What the run saw of one expired waiver on the target: the event without its type. */
export type ExpiredWaiverNotice = Omit<WaiverExpiredEvent, 'type'>;

export function waiverKey(notice: Pick<ExpiredWaiverNotice, 'waiverSource' | 'expires'>): string {
  return `${notice.waiverSource}@${notice.expires}`;
}

/** One notice per expired waiver, from the findings only an expired waiver covered. */
export function expiredWaiverNotices(expired: readonly WaivedFinding[]): ExpiredWaiverNotice[] {
  const byWaiver = new Map<string, ExpiredWaiverNotice>();
  for (const { finding, waiver } of expired) {
    const key = waiverKey({ waiverSource: waiver.source, expires: waiver.expires });
    const notice = byWaiver.get(key);
    if (notice) {
      notice.findingCount += 1;
      if (bySeverity(finding, notice) < 0) notice.severity = finding.severity;
      continue;
    }
    byWaiver.set(key, {
      waiverSource: waiver.source,
      policyId: waiver.policyId,
      owner: waiver.owner,
      reason: waiver.reason,
      ...(waiver.ticket ? { ticket: waiver.ticket } : {}),
      expires: waiver.expires,
      severity: finding.severity,
      findingCount: 1,
    });
  }
  return [...byWaiver.values()];
}

/**
 * The events for waivers not told before, and what to remember: the waivers expired now
 * (a waiver removed from the files is forgotten). A failed scan (`notices` undefined)
 * learnt nothing: what was told stays told.
 */
export function planWaiverExpiry(
  told: ExpiredWaiverRecords,
  notices: readonly ExpiredWaiverNotice[] | undefined,
  now: string,
): { events: WaiverExpiredEvent[]; told: ExpiredWaiverRecords } {
  if (!notices) return { events: [], told };
  const events: WaiverExpiredEvent[] = [];
  const next: ExpiredWaiverRecords = {};
  for (const notice of notices) {
    const key = waiverKey(notice);
    const at = told[key];
    if (at === undefined) events.push({ type: 'waiver.expired', ...notice });
    next[key] = at ?? now;
  }
  return { events, told: next };
}
