/**
 * A remediation that replaced someone else's concurrent change holds its target: later
 * runs plan but do not write there until a person releases the hold (a `released`
 * journal entry, written by `ecr-sign-drift release`).
 */
import type { TargetRef } from '../core/types.js';
import type { JournalEntry } from '../records/drift-store.js';
import { describeTarget } from '../records/drift-store-error.js';

/** The journal entry that holds the target, or null; `journal` is newest first. */
export function findHold(journal: readonly JournalEntry[]): JournalEntry | null {
  for (const entry of journal) {
    if (entry.status === 'released') return null;
    if ((entry.overwroteConcurrentChange?.length ?? 0) > 0) return entry;
  }
  return null;
}

/** Why a held target is not written, and how to release it. */
export function holdReason(
  target: TargetRef,
  hold: Pick<JournalEntry, 'runId' | 'overwroteConcurrentChange'>,
): string {
  const who = [...new Set((hold.overwroteConcurrentChange ?? []).map((change) => change.principal))];
  return (
    `remediation of ${describeTarget(target)} is held: run ${hold.runId} replaced a change made meanwhile by ` +
    `${who.join(', ')}; after checking the registry, release it with ` +
    `ecr-sign-drift release --target ${target.accountId}/${target.region}`
  );
}
