import { buildFacts } from '../../functions/core/facts/index.js';
import { formatMs, measure } from '../harness.js';
import type { BenchSection } from '../sections.js';
import { worstCaseRegistry } from '../worst-case-registry.js';

const TARGET_MS = 50;

export const factsBuildingSection: BenchSection = {
  id: 'facts',
  title: 'Facts building: 10,000 repositories, 10 rules x 100 filters',
  run() {
    const registry = worstCaseRegistry();
    const facts = buildFacts(registry);
    const build = measure('buildFacts', () => buildFacts(registry), {
      warmup: 5,
      samples: 21,
      operationsPerRun: registry.repositories.length,
      operation: 'repo',
    });
    return {
      measurements: [build],
      notes: [
        `${facts.counts.coveredRepositories} of ${facts.counts.repositories} repositories covered, ${facts.counts.filters} filters`,
        `target: median under ${TARGET_MS} ms — ${build.medianMs < TARGET_MS ? 'met' : 'NOT met'} (${formatMs(build.medianMs)})`,
      ],
    };
  },
};
