/**
 * Writes moments apart are one change to the detector: a signing-change run waits a short
 * settling time after the write before it reads, and an event whose write a recorded read
 * already saw (that read began after the write) needs no read of its own. So a burst of
 * edits is one read and one alert. CloudTrail's eventTime has whole seconds: a write at
 * `10:00:00Z` happened before `10:00:01Z`, and only a read begun after that has seen it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TargetState } from '../records/drift-store.js';
import { type DetectorRunConfig, runDetector } from './detector.js';
import type { RunSummary, TargetResult } from './run-types.js';
import type { SigningChangeRequest } from './signing-change-event.js';

/** How long after a write's second has ended the run waits before reading. */
export const SETTLE_MS = 1_500;
const EVENT_TIME_RESOLUTION_MS = 1_000;

function seenAfter(eventTime: string): number {
  return Date.parse(eventTime) + EVENT_TIME_RESOLUTION_MS;
}

/** Milliseconds to wait before reading, for a write at `eventTime` (none without one, at most the settling time). */
export function settleDelayMs(eventTime: string | undefined, now: Date, settleMs = SETTLE_MS): number {
  if (eventTime === undefined || Number.isNaN(Date.parse(eventTime))) return 0;
  return Math.max(
    0,
    Math.min(settleMs + EVENT_TIME_RESOLUTION_MS, seenAfter(eventTime) + settleMs - now.getTime()),
  );
}

/** True when the target's recorded read began after the write: the event brings nothing new. */
export function coveredByRecordedRead(state: TargetState | null, eventTime: string | undefined): boolean {
  if (!state?.lastReadStartedAt || eventTime === undefined) return false;
  return Date.parse(state.lastReadStartedAt) >= seenAfter(eventTime);
}

/** What a signing-change run did: read and processed its target, or found the write already seen. */
export type SigningChangeOutcome =
  | { coalesced: false; summary: RunSummary; results: TargetResult[] }
  | { coalesced: true; recordedReadStartedAt: string };

/**
 * Runs the detector for one signing-change event, `config` already scoped to its target:
 * waits for the write to settle, then reads unless a recorded read has already seen it.
 * The Lambda, `run --event`, the demo and the bench all go through here.
 */
export async function runSigningChange(
  request: SigningChangeRequest,
  config: DetectorRunConfig,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<SigningChangeOutcome> {
  await wait(settleDelayMs(request.eventTime, new Date()));
  // An unreadable record is the run's to report (it moves the record aside): read on.
  const record = await config.store.getTarget(request.target).catch(() => null);
  if (coveredByRecordedRead(record?.state ?? null, request.eventTime)) {
    return { coalesced: true, recordedReadStartedAt: record!.state.lastReadStartedAt! };
  }
  return { coalesced: false, ...(await runDetector(config)) };
}
