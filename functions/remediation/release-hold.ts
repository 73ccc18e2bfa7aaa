/**
 * Releasing a held target: a person has looked at a registry whose remediation replaced
 * someone else's concurrent change, and lets remediation write there again.
 */
import type { TargetRef } from '../core/types.js';
import type { DriftStore, Instant, JournalEntry } from '../records/drift-store.js';
import { describeTarget } from '../records/drift-store-error.js';
import { NothingToReleaseError } from './errors.js';
import { readJournal } from './guarded-change.js';
import { findHold } from './remediation-hold.js';

/**
 * Journals a `released` entry under `runId` after the entry that holds `target`; returns
 * that entry. Throws NothingToReleaseError when the target is not held.
 */
export async function releaseHold(input: {
  store: DriftStore;
  target: TargetRef;
  runId: string;
  /** Who released it and why, in the journal. */
  reason: string;
  now: Instant;
}): Promise<JournalEntry> {
  const where = describeTarget(input.target);
  const journal = await readJournal(`listing the journal of ${where}`, () =>
    input.store.listJournal(input.target),
  );
  const hold = findHold(journal);
  if (!hold) throw new NothingToReleaseError(`${where} is not held: nothing to release`);
  await input.store.saveJournalEntry(
    input.target,
    {
      runId: input.runId,
      before: hold.after,
      after: hold.after,
      plan: { release: hold.runId },
      status: 'released',
      reason: input.reason,
    },
    input.now,
  );
  return hold;
}
