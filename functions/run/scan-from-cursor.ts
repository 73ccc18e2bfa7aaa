/**
 * Scans a target from where its last run's image sampling stopped: the cursor is read from
 * the target's record, so runs with a small image budget rotate over every covered repository.
 */
import { CorruptRecordError } from '../records/drift-store-error.js';
import { scanOne, type TargetOutcome } from '../scan/scan-targets.js';
import type { ScanTarget } from '../scan/targets.js';
import type { RunDependencies } from './run-types.js';

/**
 * `corruptRecord` is set when the record could not be read: the store has moved it aside, so
 * processTarget must be told to report it (its own read finds no record).
 */
export async function scanFromImageCursor(
  deps: RunDependencies,
  target: ScanTarget,
): Promise<{ outcome: TargetOutcome; corruptRecord?: CorruptRecordError }> {
  if (!deps.scanner.samplesImages) return { outcome: await scanOne(deps.scanner, target) };
  let imageCursor: string | undefined;
  let corruptRecord: CorruptRecordError | undefined;
  try {
    imageCursor = (await deps.store.getTarget(target))?.state.imageCursor;
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw error;
    corruptRecord = error;
  }
  const outcome = await scanOne(
    deps.scanner,
    imageCursor === undefined ? target : { ...target, imageCursor },
  );
  return { outcome, ...(corruptRecord ? { corruptRecord } : {}) };
}
