/**
 * ECR has no conditional put: between a remediation's last read and its write, someone
 * else's write can land and be replaced unseen. This check asks CloudTrail afterwards who
 * else wrote the registry in that window, so the lost change is at least journaled and told.
 */
import type { SigningChangeHistory } from '../aws/signing-change-history.js';
import { configurationHash } from '../core/drift/index.js';
import type { SigningConfiguration } from '../core/types.js';
import type { OverwrittenChange } from '../records/drift-store.js';

export interface ConcurrentWriteCheck {
  /**
   * Successful writes by other principals from `from` to `to`, oldest first, that wrote
   * something other than `seen` (the configuration the re-read found): a write of the
   * same configuration lost nothing, and one in the re-read's own second that the re-read
   * already saw is not a race.
   */
  writesByOthers(from: Date, to: Date, seen: SigningConfiguration | null): Promise<OverwrittenChange[]>;
}

/** CloudTrail event times have whole seconds: the window is widened to them. */
function floorToSecond(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / 1000) * 1000);
}

function ceilToSecond(instant: Date): Date {
  return new Date(Math.ceil(instant.getTime() / 1000) * 1000);
}

/**
 * `ownPrincipal` is the ARN the run writes as (its assumed-role session, or its own identity
 * in its own account): its own writes in the window are not someone else's.
 */
export function cloudTrailWriteCheck(
  history: Pick<SigningChangeHistory, 'writesBetween'>,
  ownPrincipal: () => Promise<string>,
): ConcurrentWriteCheck {
  return {
    async writesByOthers(from, to, seen) {
      const seenHash = configurationHash(seen);
      const [self, writes] = await Promise.all([
        ownPrincipal(),
        history.writesBetween(floorToSecond(from), ceilToSecond(to)),
      ]);
      return writes
        .filter(
          (write) =>
            write.errorCode === null &&
            write.principal !== self &&
            (write.signingConfiguration === undefined ||
              configurationHash(write.signingConfiguration) !== seenHash),
        )
        .map((write) => ({
          principal: write.principal,
          eventName: write.eventName,
          eventTime: write.eventTime.toISOString(),
          ...(write.signingConfiguration === undefined
            ? {}
            : { signingConfiguration: write.signingConfiguration }),
        }));
    },
  };
}
