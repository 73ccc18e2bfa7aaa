/**
 * One journaled, checked change of a registry's signing configuration: what remediation
 * and rollback share.
 *
 * 1. The journal entry is saved `planned` first, so an interrupted process leaves a trace.
 * 2. The registry is read again just before writing; if it no longer has the configuration
 *    the change was decided on, nothing is written (someone else changed it meanwhile).
 * 3. The configuration is put (or deleted, to return to "never configured"), with no other
 *    await between the re-read and the write: ECR has no conditional put, so that window
 *    can only be kept short.
 * 4. It is read back and must equal what was written.
 * 5. When the change took effect, CloudTrail is asked who else wrote the registry between
 *    the re-read and the write; a write it replaced is journaled (`overwroteConcurrentChange`)
 *    and reported, so the target can be held until a person looks.
 * 6. The entry is saved with the final status.
 *
 * In a `failed` entry, `after` is what the registry held when the attempt ended (the
 * intended configuration stays in `plan`); when that could not be read, `after` is the
 * intended configuration and the reason says the registry's state is unknown.
 */
import { summarizeAwsError } from '../aws/aws-error.js';
import type { EcrRegistry } from '../aws/ecr-registry.js';
import { configurationHash } from '../core/drift/index.js';
import type { SigningConfiguration, TargetRef } from '../core/types.js';
import type {
  DriftStore,
  Instant,
  JournalEntryInput,
  JsonValue,
  OverwrittenChange,
  RemediationStatus,
} from '../records/drift-store.js';
import { describeTarget } from '../records/drift-store-error.js';
import type { ConcurrentWriteCheck } from './concurrent-writes.js';
import { RemediationJournalError } from './errors.js';
import type {
  AppliedOutcome,
  FailedOutcome,
  FailedStep,
  RegistryChangeKind,
  SkippedOutcome,
} from './remediation-outcome.js';

/** The registry operations a change needs; an EcrRegistry for the target's account and region. */
export type SigningConfigurationStore = Pick<
  EcrRegistry,
  'getSigningConfiguration' | 'putSigningConfiguration' | 'deleteSigningConfiguration'
>;

/** What remediation and rollback run with; the run pipeline, the CLI and the Lambda all build one. */
export interface RemediationContext {
  ecr: SigningConfigurationStore;
  store: DriftStore;
  /** The run making the change: its journal entries are keyed by it. */
  runId: string;
  /** The clock for journal times, read at each step. */
  now: () => Instant;
  /** Who else wrote the registry while the change was made; without it nobody is asked. */
  concurrentWrites?: ConcurrentWriteCheck;
}

export interface GuardedChange {
  kind: RegistryChangeKind;
  target: TargetRef;
  rollbackOf?: string;
  /** The hash the registry must still have when the write is about to happen. */
  expectedHash: string;
  before: SigningConfiguration | null;
  /** What to write; null deletes the configuration. */
  after: SigningConfiguration | null;
  /** Journaled as the entry's plan (a remediation plan or a rollback plan): plain data. */
  plan: object;
  successStatus: Extract<RemediationStatus, 'applied' | 'rolled-back'>;
  words: {
    /** Why nothing is written when the registry no longer has `expectedHash`. */
    changed: string;
    /** Why the change failed when the read-back is not `after`. */
    readBackDiffers: string;
    succeeded: string;
  };
}

export type GuardedChangeOutcome = AppliedOutcome | FailedOutcome | SkippedOutcome;

/** Journal statuses after which the run has nothing left to do for the target. */
const SETTLED_STATUSES: readonly RemediationStatus[] = ['applied', 'rolled-back'];

type ReadResult = { ok: true; configuration: SigningConfiguration | null } | { ok: false; error: unknown };

async function readRegistry(ecr: SigningConfigurationStore): Promise<ReadResult> {
  try {
    return { ok: true, configuration: await ecr.getSigningConfiguration() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeError(error: unknown): string {
  const { errorName, message } = summarizeAwsError(error);
  return `${errorName}: ${message}`;
}

export async function applyGuardedChange(
  context: RemediationContext,
  change: GuardedChange,
): Promise<GuardedChangeOutcome> {
  return new GuardedChangeAttempt(context, change).run();
}

/** One attempt: the steps in order, and what each failure journals and returns. */
class GuardedChangeAttempt {
  readonly #context: RemediationContext;
  readonly #change: GuardedChange;
  readonly #journaledPlan: JsonValue;
  readonly #where: string;
  /** Named in a journal failure, so an operator knows whether the registry needs a look. */
  #registryState = 'the registry was not written';

  constructor(context: RemediationContext, change: GuardedChange) {
    this.#context = context;
    this.#change = change;
    this.#journaledPlan = JSON.parse(JSON.stringify(change.plan)) as JsonValue;
    this.#where = describeTarget(change.target);
  }

  async run(): Promise<GuardedChangeOutcome> {
    const { store, runId, ecr } = this.#context;
    const { target, before, after, expectedHash, words } = this.#change;
    const existing = await readJournal(`reading the journal entry of run ${runId} for ${this.#where}`, () =>
      store.getJournalEntry(target, runId),
    );
    if (existing !== null && SETTLED_STATUSES.includes(existing.status)) {
      // Saving again would replace the entry, and with it the `before` a rollback needs.
      return {
        ...this.#outcomeBase(),
        status: 'skipped',
        reason: `run ${runId} already changed ${this.#where}: its journal entry is ${existing.status}`,
      };
    }

    await this.#journal({ status: 'planned', before, after, reason: null });

    // Wall time, not the journal clock: the window is compared with CloudTrail's event times.
    const windowStart = new Date();
    const current = await readRegistry(ecr);
    if (!current.ok) {
      const reason = `reading the registry before writing failed: ${describeError(current.error)}`;
      return this.#fail('check', reason, { error: current.error, observed: current, leftAsFound: true });
    }
    const foundHash = configurationHash(current.configuration);
    if (foundHash !== expectedHash) {
      return this.#fail('check', words.changed, { error: null, observed: current, leftAsFound: true });
    }

    const operation = after === null ? 'DeleteSigningConfiguration' : 'PutSigningConfiguration';
    let writeError: unknown = null;
    try {
      this.#registryState = `the registry may have been written: ${operation} did not complete`;
      if (after === null) await ecr.deleteSigningConfiguration();
      else await ecr.putSigningConfiguration(after);
      this.#registryState = 'the registry was written';
    } catch (error) {
      writeError = error;
    }
    const windowEnd = new Date();

    const readBack = await readRegistry(ecr);
    if (!readBack.ok) {
      const reason =
        writeError === null
          ? `${operation} succeeded but reading the registry back failed: ${describeError(readBack.error)}`
          : `${operation} failed: ${describeError(writeError)}; reading the registry back failed too (${describeError(readBack.error)}), so its state is unknown`;
      return this.#fail(writeError === null ? 'read-back' : 'write', reason, {
        error: writeError ?? readBack.error,
        observed: readBack,
        leftAsFound: null,
      });
    }
    const readBackHash = configurationHash(readBack.configuration);
    const leftAsFound = readBackHash === foundHash;
    if (readBackHash === configurationHash(after)) {
      // A write that reported an error but took effect (say, the reply was lost) is still
      // journaled as done: otherwise no rollback could find it.
      const written =
        writeError === null
          ? words.succeeded
          : `${words.succeeded} (${operation} reported ${describeError(writeError)}, but the read-back shows it took effect)`;
      const check = await this.#concurrentWrites(windowStart, windowEnd, current.configuration);
      const reason = `${written}${check.note}`;
      await this.#journal({
        status: this.#change.successStatus,
        before,
        after: readBack.configuration,
        reason,
        ...(check.overwritten.length > 0 ? { overwroteConcurrentChange: check.overwritten } : {}),
      });
      return {
        ...this.#outcomeBase(),
        status: 'applied',
        reason,
        ...(check.overwritten.length > 0 ? { overwroteConcurrentChange: check.overwritten } : {}),
      };
    }
    if (writeError !== null) {
      const consequence = leftAsFound
        ? 'the registry kept its previous configuration'
        : 'the registry now holds a configuration that is neither the previous one nor the planned one';
      const reason = `${operation} failed: ${describeError(writeError)}; ${consequence}`;
      return this.#fail('write', reason, { error: writeError, observed: readBack, leftAsFound });
    }
    return this.#fail('read-back', words.readBackDiffers, { error: null, observed: readBack, leftAsFound });
  }

  /** A failed check is said in the reason; it does not undo a change that took effect. */
  async #concurrentWrites(
    from: Date,
    to: Date,
    seen: SigningConfiguration | null,
  ): Promise<{ overwritten: OverwrittenChange[]; note: string }> {
    const check = this.#context.concurrentWrites;
    if (!check) return { overwritten: [], note: '' };
    try {
      const overwritten = await check.writesByOthers(from, to, seen);
      return {
        overwritten,
        note:
          overwritten.length === 0
            ? ''
            : `; it replaced ${overwritten.length === 1 ? 'a change' : `${overwritten.length} changes`} made meanwhile by ${[...new Set(overwritten.map((w) => w.principal))].join(', ')}`,
      };
    } catch (error) {
      return {
        overwritten: [],
        note: `; whether someone else changed the registry meanwhile is unknown: CloudTrail LookupEvents failed (${describeError(error)})`,
      };
    }
  }

  #outcomeBase() {
    const { kind, target, rollbackOf, before, after } = this.#change;
    return {
      kind,
      accountId: target.accountId,
      region: target.region,
      runId: this.#context.runId,
      ...(rollbackOf === undefined ? {} : { rollbackOf }),
      before,
      after,
    };
  }

  async #journal(entry: Omit<JournalEntryInput, 'runId' | 'plan'>): Promise<void> {
    const { store, runId, now } = this.#context;
    try {
      await store.saveJournalEntry(
        this.#change.target,
        { runId, plan: this.#journaledPlan, ...entry },
        now(),
      );
    } catch (error) {
      throw new RemediationJournalError(
        `saving the ${entry.status} journal entry of run ${runId} for ${this.#where} failed (${this.#registryState}): ${describeError(error)}`,
        { cause: error },
      );
    }
  }

  async #fail(
    step: FailedStep,
    reason: string,
    details: { error: unknown; observed: ReadResult; leftAsFound: boolean | null },
  ): Promise<FailedOutcome> {
    const { observed, error, leftAsFound } = details;
    const { before, after } = this.#change;
    await this.#journal({
      status: 'failed',
      before,
      after: observed.ok ? observed.configuration : after,
      reason,
    });
    return {
      ...this.#outcomeBase(),
      status: 'failed',
      step,
      reason,
      error: error === null ? null : summarizeAwsError(error),
      ...(observed.ok ? { observed: observed.configuration } : {}),
      leftAsFound,
    };
  }
}

/** Runs a journal read made before anything is written, reporting a failure as a RemediationJournalError. */
export async function readJournal<T>(action: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new RemediationJournalError(
      `${action} failed (the registry was not written): ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}
