/**
 * What the audit and run commands load before touching AWS: the policy set, the
 * desired configurations and (offline) the snapshot; and the live scan itself.
 */
import { join, resolve } from 'node:path';
import type { DesiredConfigurationSet } from '../core/drift/index.js';
import type { PolicySet } from '../core/policy/index.js';
import {
  type AccountMetadataNeeds,
  accountMetadataNeeded,
  policiesReadRepositoryTags,
  selectPolicies,
} from '../core/policy/index.js';
import type { ScanError, Snapshot } from '../core/types.js';
import { loadDesiredDirectory } from '../files/load-desired-directory.js';
import { DEFAULT_POLICY_DIRECTORY, loadPolicySet } from '../files/load-policy-directory.js';
import { ScanSession } from '../scan/scan-session.js';
import type { ScanResult } from '../scan/scan-targets.js';
import type { CommandIO } from './command.js';
import { progressReporter } from './progress.js';
import { scanConfigFromOptions, type TargetOptionValues } from './target-options.js';

export interface AuditInputs {
  policySet: PolicySet;
  desired: DesiredConfigurationSet;
  /** Where the desired configurations were read from (absolute). */
  desiredDirectory: string;
  /** Some loaded policy looks at repository tags. */
  readsRepositoryTags: boolean;
  /** What the policies' scopes need to know about accounts. */
  accountMetadata: AccountMetadataNeeds;
}

export async function loadAuditInputs(options: {
  cwd: string;
  policies?: string;
  desired?: string;
  onlyPolicies?: readonly string[];
}): Promise<AuditInputs> {
  const policyDirectory = resolve(options.cwd, options.policies ?? DEFAULT_POLICY_DIRECTORY);
  const { directory, policySet } = await loadPolicySet(policyDirectory);
  const selected = options.onlyPolicies?.length ? selectPolicies(policySet, options.onlyPolicies) : policySet;
  const desiredDirectory = options.desired
    ? resolve(options.cwd, options.desired)
    : join(policyDirectory, 'desired');
  const desired = await loadDesiredDirectory(desiredDirectory, { required: options.desired !== undefined });
  const used = new Set(selected.policies.map((p) => p.source));
  return {
    policySet: selected,
    desired,
    desiredDirectory,
    readsRepositoryTags: policiesReadRepositoryTags(directory.policies.filter((p) => used.has(p.source))),
    accountMetadata: accountMetadataNeeded(selected.policies),
  };
}

function scanErrorsOf(value: unknown): ScanError[] {
  if (!Array.isArray(value)) return [];
  const fields = ['accountId', 'region', 'operation', 'errorName', 'message'] as const;
  return value.filter(
    (e): e is ScanError =>
      typeof e === 'object' && e !== null && fields.every((f) => typeof e[f] === 'string'),
  );
}

/**
 * The targets the scan that captured a snapshot could not read (`source.errors`) and its
 * warnings, so replaying an incomplete snapshot reports it as incomplete.
 */
export function snapshotScanProblems(snapshot: Pick<Snapshot, 'source'>): {
  errors: ScanError[];
  warnings: ScanError[];
} {
  return {
    errors: scanErrorsOf(snapshot.source?.['errors']),
    warnings: scanErrorsOf(snapshot.source?.['warnings']),
  };
}

/** Scans the targets the flags name, with a progress line on a TTY. */
export async function scanLive(
  values: TargetOptionValues,
  io: CommandIO,
  inputs: Pick<AuditInputs, 'readsRepositoryTags' | 'accountMetadata'>,
): Promise<ScanResult> {
  const session = new ScanSession(
    await scanConfigFromOptions(values, io.env, inputs.readsRepositoryTags, inputs.accountMetadata),
  );
  const progress = progressReporter(io.stderr);
  try {
    return await session.scan({ onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
    session.close();
  }
}
