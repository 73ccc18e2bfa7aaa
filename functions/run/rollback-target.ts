/**
 * Rollback of one target's remediation, for the CLI's `rollback` and the Lambda's
 * manual `rollback` action: the target's account is reached the way a scan reaches it.
 */
import type { TargetRef } from '../core/types.js';
import type { DriftStore } from '../records/drift-store.js';
import { cloudTrailWriteCheck } from '../remediation/concurrent-writes.js';
import type { RemediationOutcome } from '../remediation/remediation-outcome.js';
import { rollbackRemediation } from '../remediation/rollback.js';
import { type ScanConfig, ScanSession } from '../scan/scan-session.js';

export async function rollbackTarget(input: {
  scan: ScanConfig;
  store: DriftStore;
  runId: string;
  target: TargetRef;
  toRunId?: string;
  clock?: () => Date;
}): Promise<RemediationOutcome> {
  const session = new ScanSession(input.scan);
  try {
    const scanner = await session.scanner();
    return await rollbackRemediation(
      {
        ecr: scanner.ecrFor(input.target),
        concurrentWrites: cloudTrailWriteCheck(scanner.historyFor(input.target), () =>
          scanner.principalArnFor(input.target),
        ),
        store: input.store,
        runId: input.runId,
        now: input.clock ?? (() => new Date()),
      },
      input.target,
      input.toRunId,
    );
  } finally {
    session.close();
  }
}
