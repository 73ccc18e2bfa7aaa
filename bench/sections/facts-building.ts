import { buildFacts } from '../../functions/core/facts/index.js';
import { formatMs, measure } from '../harness.js';
import type { BenchSection } from '../sections.js';
import { broadRegistry, worstCaseRegistry } from '../worst-case-registry.js';

const TARGET_MS = 50;
const BROAD_TARGET_MS = 50;

export const factsBuildingSection: BenchSection = {
  id: 'facts',
  title: 'Facts building: 10,000 repositories, 10 rules x 100 filters (typical and broad)',
  run() {
    const registry = worstCaseRegistry();
    const facts = buildFacts(registry);
    const build = measure('buildFacts', () => buildFacts(registry), {
      warmup: 5,
      samples: 21,
      operationsPerRun: registry.repositories.length,
      operation: 'repo',
    });
    const broad = broadRegistry();
    const broadFacts = buildFacts(broad);
    const matchesPerName =
      broadFacts.rules.reduce((n, r) => n + r.filters.reduce((m, f) => m + f.matchCount, 0), 0) /
      broadFacts.counts.repositories;
    const meanLength =
      broad.repositories.reduce((n, r) => n + r.repositoryName.length, 0) / broad.repositories.length;
    const buildBroad = measure('buildFacts, broad case', () => buildFacts(broad), {
      warmup: 3,
      samples: 15,
      operationsPerRun: broad.repositories.length,
      operation: 'repo',
    });
    return {
      measurements: [build, buildBroad],
      notes: [
        `typical: ${facts.counts.coveredRepositories} of ${facts.counts.repositories} repositories covered, ${facts.counts.filters} filters`,
        `broad: names of ${meanLength.toFixed(0)} characters on average, filters with 2-3 stars, ${matchesPerName.toFixed(1)} matching filters per name`,
        `target typical: median under ${TARGET_MS} ms — ${build.medianMs < TARGET_MS ? 'met' : 'NOT met'} (${formatMs(build.medianMs)})`,
        `target broad: median under ${BROAD_TARGET_MS} ms — ${buildBroad.medianMs < BROAD_TARGET_MS ? 'met' : 'NOT met'} (${formatMs(buildBroad.medianMs)})`,
      ],
    };
  },
};
