import { resolve } from 'node:path';
import { buildFacts } from '../../functions/core/facts.js';
import { evaluatePolicies } from '../../functions/core/policy/evaluate.js';
import { loadPolicySet } from '../../functions/files/load-policy-directory.js';
import { formatMs, measure } from '../harness.js';
import type { BenchSection } from '../sections.js';
import { worstCaseRegistry } from '../worst-case-registry.js';

const TARGET_MS = 50;

export const policiesSection: BenchSection = {
  id: 'policies',
  title: 'Facts + every shipped policy: 10,000 repositories, 10 rules x 100 filters',
  async run() {
    const { policySet } = await loadPolicySet(resolve('policies'));
    const registry = worstCaseRegistry();
    const findings = evaluatePolicies(policySet, buildFacts(registry));
    const evaluate = measure(
      'evaluate policies (facts given)',
      () => evaluatePolicies(policySet, buildFacts(registry)),
      {
        warmup: 5,
        samples: 21,
      },
    );
    const facts = buildFacts(registry);
    const only = measure('evaluate policies only', () => evaluatePolicies(policySet, facts), {
      warmup: 5,
      samples: 21,
    });
    return {
      measurements: [only, evaluate],
      notes: [
        `${policySet.policies.length} policies, ${findings.length} findings on this registry`,
        `the second row is facts building plus evaluation, the figure the target is about`,
        `target: facts + all policies under ${TARGET_MS} ms median — ${evaluate.medianMs < TARGET_MS ? 'met' : 'NOT met'} (${formatMs(evaluate.medianMs)})`,
      ],
    };
  },
};
