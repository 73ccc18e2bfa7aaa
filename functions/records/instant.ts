import type { Instant } from './drift-store.js';

const MS_PER_DAY = 86_400_000;

export function toEpochMs(instant: Instant): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

/** ISO-8601 in UTC with milliseconds: fixed width, so these strings sort in time order. */
export function toIso(instant: Instant): string {
  return new Date(toEpochMs(instant)).toISOString();
}

/** Epoch seconds `days` after `instant`, the unit DynamoDB TTL reads. */
export function epochSecondsAfterDays(instant: Instant, days: number): number {
  return Math.floor((toEpochMs(instant) + days * MS_PER_DAY) / 1000);
}
