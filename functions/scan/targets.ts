/**
 * Targets: the (account, region) pairs a run scans, from an explicit list or from
 * Organizations discovery, minus exclusions.
 */
import type { AccountMetadata, TargetRef } from '../core/types.js';

export interface ScanTarget extends TargetRef {
  account?: AccountMetadata;
  /** The covered repository image sampling starts at (from the target's record); default: the first by name. */
  imageCursor?: string;
}

export interface TargetExclusions {
  accounts?: readonly string[];
  /** `ACCOUNT/REGION` pairs. */
  targets?: readonly string[];
}

export function targetKey(target: TargetRef): string {
  return `${target.accountId}/${target.region}`;
}

function excluded(target: TargetRef, exclusions: TargetExclusions): boolean {
  return (
    (exclusions.accounts ?? []).includes(target.accountId) ||
    (exclusions.targets ?? []).includes(targetKey(target))
  );
}

/** Every listed account in every listed region. */
export function* explicitTargets(
  accounts: readonly { accountId: string; account?: AccountMetadata }[],
  regions: readonly string[],
  exclusions: TargetExclusions = {},
): Generator<ScanTarget> {
  for (const { accountId, account } of accounts) {
    for (const region of regions) {
      const target: ScanTarget = { accountId, region, ...(account ? { account } : {}) };
      if (!excluded(target, exclusions)) yield target;
    }
  }
}

/** Every discovered account in every listed region, as the accounts arrive. */
export async function* discoveredTargets(
  accounts: AsyncIterable<{ accountId: string; metadata: AccountMetadata }>,
  regions: readonly string[],
  exclusions: TargetExclusions = {},
): AsyncGenerator<ScanTarget> {
  for await (const { accountId, metadata } of accounts) {
    for (const region of regions) {
      const target: ScanTarget = { accountId, region, account: metadata };
      if (!excluded(target, exclusions)) yield target;
    }
  }
}
