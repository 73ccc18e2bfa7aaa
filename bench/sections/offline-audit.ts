import { resolve } from 'node:path';
import { auditRegistries } from '../../functions/core/audit.js';
import { parseSnapshot } from '../../functions/core/facts/index.js';
import { renderReport } from '../../functions/core/report/index.js';
import type { RegistrySnapshot, Snapshot } from '../../functions/core/types.js';
import { loadDesiredDirectory } from '../../functions/files/load-desired-directory.js';
import { loadPolicySet } from '../../functions/files/load-policy-directory.js';
import { measure } from '../harness.js';
import type { BenchSection } from '../sections.js';
import { withProfilePerRule, worstCaseRegistry } from '../worst-case-registry.js';

const REGISTRIES = 100;
const REPOSITORIES_PER_REGISTRY = 500;

/** 100 registries cut from the worst-case generator, each with its own account id. */
function snapshotText(): string {
  const registries: RegistrySnapshot[] = Array.from({ length: REGISTRIES }, (_, i) => ({
    ...withProfilePerRule(worstCaseRegistry({ repositories: REPOSITORIES_PER_REGISTRY, seed: i + 1 })),
    accountId: String(100000000000 + i),
  }));
  const snapshot: Snapshot = { snapshotVersion: 1, capturedAt: new Date(0).toISOString(), registries };
  return JSON.stringify(snapshot);
}

export const offlineAuditSection: BenchSection = {
  id: 'audit',
  title: `Offline audit: a ${REGISTRIES}-registry snapshot (${REPOSITORIES_PER_REGISTRY} repositories, 10 rules x 100 filters each)`,
  async run() {
    const { policySet } = await loadPolicySet(resolve('policies'));
    const desired = await loadDesiredDirectory(resolve('policies', 'desired'));
    const text = snapshotText();
    const audit = () => {
      const snapshot = parseSnapshot(JSON.parse(text), 'bench.json');
      const report = auditRegistries({
        registries: snapshot.registries,
        policySet,
        desired,
        strategy: 'merge',
        generatedAt: new Date(0).toISOString(),
      });
      return renderReport(report, 'json', {
        colour: false,
        policies: policySet.policies,
        toolVersion: 'bench',
      });
    };
    const report = JSON.parse(audit()) as { summary: { findings: number; drift: { drifted: number } } };
    const full = measure('parse + validate + audit + JSON report', audit, {
      warmup: 1,
      samples: 5,
      operationsPerRun: REGISTRIES,
      operation: 'registry',
    });
    // One registry at 10,000 and 100,000 repositories: the audit must stay linear in its size.
    const single = (repositories: number) => {
      const registry = withProfilePerRule(worstCaseRegistry({ repositories, seed: 1 }));
      return measure(
        `one registry of ${repositories.toLocaleString('en-US')} repositories`,
        () =>
          auditRegistries({
            registries: [registry],
            policySet,
            desired,
            strategy: 'merge',
            generatedAt: new Date(0).toISOString(),
          }),
        {
          warmup: 1,
          samples: repositories > 50_000 ? 3 : 7,
          operationsPerRun: repositories,
          operation: 'repo',
        },
      );
    };
    const small = single(10_000);
    const large = single(100_000);
    const growth = large.medianMs / small.medianMs;
    return {
      measurements: [full, small, large],
      notes: [
        `one registry: 10x the repositories took ${growth.toFixed(1)}x the time (linear: 10x; exponent ${(Math.log(growth) / Math.log(10)).toFixed(2)})`,
        `${(text.length / 1024 / 1024).toFixed(1)} MiB of snapshot, ${report.summary.findings} findings, ${report.summary.drift.drifted} drifted registries`,
      ],
    };
  },
};
