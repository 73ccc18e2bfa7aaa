/**
 * Undoes an applied remediation by putting back the configuration its journal entry
 * recorded as `before` (deleting the configuration when the registry had never been
 * configured), through the same guarded change as the remediation itself. The rollback is
 * journaled under its own run; the remediation's entry stays as it is.
 */
import { configurationHash } from '../core/drift/index.js';
import type { SigningConfiguration, TargetRef } from '../core/types.js';
import type { JournalEntry } from '../records/drift-store.js';
import { describeTarget } from '../records/drift-store-error.js';
import { RollbackNotPossibleError } from './errors.js';
import { applyGuardedChange, type RemediationContext, readJournal } from './guarded-change.js';
import type { RemediationOutcome } from './remediation-outcome.js';

/** What a rollback journals as its plan. */
export interface RollbackPlan {
  /** The run whose remediation is undone. */
  rollbackOf: string;
  /** The configuration that remediation put, which the registry must still have. */
  replace: SigningConfiguration | null;
  /** The configuration from before that remediation (null: delete, back to never configured). */
  restore: SigningConfiguration | null;
}

/** The rollback that already undid `runId`'s remediation, if one did. */
function rollbackOf(journal: readonly JournalEntry[], runId: string): JournalEntry | undefined {
  return journal.find(
    (entry) =>
      entry.status === 'rolled-back' &&
      typeof entry.plan === 'object' &&
      entry.plan !== null &&
      !Array.isArray(entry.plan) &&
      entry.plan['rollbackOf'] === runId,
  );
}

function refuseIfRolledBack(journal: readonly JournalEntry[], entry: JournalEntry, where: string): void {
  const done = rollbackOf(journal, entry.runId);
  if (done) {
    throw new RollbackNotPossibleError(
      `the remediation of run ${entry.runId} on ${where} was already rolled back by run ${done.runId}: nothing to roll back`,
    );
  }
}

async function appliedEntry(
  context: RemediationContext,
  target: TargetRef,
  toRunId: string | undefined,
): Promise<JournalEntry> {
  const where = describeTarget(target);
  const journal = await readJournal(`listing the journal of ${where}`, () =>
    context.store.listJournal(target),
  );
  if (toRunId === undefined) {
    const newest = journal.find((entry) => entry.status === 'applied');
    if (!newest) {
      throw new RollbackNotPossibleError(
        `rollback run ${context.runId}: ${where} has no applied remediation in its journal to roll back`,
      );
    }
    refuseIfRolledBack(journal, newest, where);
    return newest;
  }
  const entry = await readJournal(`reading the journal entry of run ${toRunId} for ${where}`, () =>
    context.store.getJournalEntry(target, toRunId),
  );
  if (!entry) {
    throw new RollbackNotPossibleError(
      `run ${toRunId} has no journal entry for ${where}: nothing to roll back`,
    );
  }
  if (entry.status !== 'applied') {
    throw new RollbackNotPossibleError(
      `run ${toRunId} did not apply a remediation to ${where} (its journal entry is ${entry.status}): nothing to roll back`,
    );
  }
  refuseIfRolledBack(journal, entry, where);
  return entry;
}

/**
 * Rolls back the remediation of run `toRunId` on `target` (default: the newest applied
 * one). Refuses, writing nothing, when the registry changed since that remediation.
 * Throws RollbackNotPossibleError when there is no applied remediation to undo,
 * RemediationJournalError when the journal cannot be read or written.
 */
export async function rollbackRemediation(
  context: RemediationContext,
  target: TargetRef,
  toRunId?: string,
): Promise<RemediationOutcome> {
  const entry = await appliedEntry(context, target, toRunId);
  const plan: RollbackPlan = { rollbackOf: entry.runId, replace: entry.after, restore: entry.before };
  return applyGuardedChange(context, {
    kind: 'rollback',
    target,
    rollbackOf: entry.runId,
    expectedHash: configurationHash(entry.after),
    before: entry.after,
    after: entry.before,
    plan,
    successStatus: 'rolled-back',
    words: {
      changed: `the registry changed since the remediation of run ${entry.runId}: nothing was written, so the later change stays`,
      readBackDiffers: `the configuration read back differs from the one before run ${entry.runId}`,
      succeeded:
        entry.before === null
          ? `deleted the signing configuration: the registry was never configured before run ${entry.runId}`
          : `restored the configuration from before run ${entry.runId}`,
    },
  });
}
