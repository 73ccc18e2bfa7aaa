/**
 * The example world audited with the repository's policies and one waiver in force, for the
 * tests of the finding formats (ASFF, OCSF): findings of every kind, waived ones among them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AuditReport, auditRegistries } from '../../functions/core/audit.js';
import type { PolicySet } from '../../functions/core/policy/index.js';
import type { Snapshot } from '../../functions/core/types.js';
import { loadDesiredDirectory } from '../../functions/files/load-desired-directory.js';
import { loadPolicySet } from '../../functions/files/load-policy-directory.js';

export const WAIVER_REASON = 'scratch repositories are never deployed';

export async function waivedExampleAudit(
  generatedAt: string,
): Promise<{ policySet: PolicySet; report: AuditReport }> {
  const world = JSON.parse(
    readFileSync(resolve('functions/local-aws/example-world.json'), 'utf8'),
  ) as Snapshot;
  const loaded = await loadPolicySet(resolve('policies'));
  const policySet: PolicySet = {
    ...loaded.policySet,
    waivers: [
      {
        policyId: 'all-repositories-covered',
        reason: WAIVER_REASON,
        owner: 'platform@example.com',
        ticket: 'SEC-1',
        expires: '2099-01-01',
        source: 'policies/waivers/scratch.json#0',
      },
    ],
  };
  const report = auditRegistries({
    registries: world.registries,
    policySet,
    desired: await loadDesiredDirectory(resolve('policies', 'desired')),
    strategy: 'merge',
    generatedAt,
    today: generatedAt.slice(0, 10),
  });
  return { policySet, report };
}
