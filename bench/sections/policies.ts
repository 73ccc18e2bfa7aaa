import { resolve } from 'node:path';
import { buildFacts } from '../../functions/core/facts/index.js';
import { applyPolicySetWaivers, evaluatePolicies, type Waiver } from '../../functions/core/policy/index.js';
import type { RegistrySnapshot } from '../../functions/core/types.js';
import { loadPolicySet } from '../../functions/files/load-policy-directory.js';
import { formatMs, measure } from '../harness.js';
import type { BenchSection } from '../sections.js';
import { withProfilePerRule, worstCaseRegistry } from '../worst-case-registry.js';

const TARGET_MS = 50;

export const policiesSection: BenchSection = {
  id: 'policies',
  title: 'Facts + every shipped policy: 10,000 repositories, 10 rules x 100 filters',
  async run() {
    const { policySet } = await loadPolicySet(resolve('policies'));
    const shared = worstCaseRegistry();
    const distinct = withProfilePerRule(shared);
    const findingsOf = (r: RegistrySnapshot) => evaluatePolicies(policySet, buildFacts(r)).length;
    const options = { warmup: 5, samples: 21 };
    const distinctRun = measure(
      'facts + policies, a profile per rule',
      () => evaluatePolicies(policySet, buildFacts(distinct)),
      options,
    );
    const sharedRun = measure(
      'facts + policies, 4 profiles over 10 rules',
      () => evaluatePolicies(policySet, buildFacts(shared)),
      options,
    );
    // 1,000 waivers of one policy, each for its own repository pattern: matched through the index.
    const waivers: Waiver[] = Array.from({ length: 1000 }, (_, i) => ({
      policyId: 'no-duplicate-signing',
      accountId: shared.accountId,
      region: shared.region,
      repository: `waived-${i}/*`,
      reason: 'bench',
      owner: 'bench@example.com',
      expires: '2099-12-31',
      source: `bench#${i}`,
    }));
    const waivedSet = { ...policySet, waivers };
    const waivedRun = measure(
      'facts + policies + 1,000 waivers, 4 profiles over 10 rules',
      () => applyPolicySetWaivers(waivedSet, evaluatePolicies(waivedSet, buildFacts(shared)), '2026-01-01'),
      options,
    );
    const facts = buildFacts(shared);
    const validateOnly = measure(
      'ajv validation alone (4 profiles)',
      () => policySet.policies.map((p) => p.validate(facts)),
      options,
    );
    const sharedFindings = findingsOf(shared);
    const perFindingUs =
      ((sharedRun.medianMs - distinctRun.medianMs) / Math.max(1, sharedFindings - findingsOf(distinct))) *
      1000;
    return {
      measurements: [distinctRun, sharedRun, waivedRun, validateOnly],
      notes: [
        `${policySet.policies.length} policies; findings: ${findingsOf(distinct)} with a profile per rule, ${sharedFindings} with 4 profiles shared by 10 overlapping rules (no-duplicate-signing fires on almost every repository)`,
        `each extra finding costs about ${perFindingUs.toFixed(1)} µs (subject, sha256 fingerprint, message): the cost follows the findings, not the registry`,
        `target: facts + all policies under ${TARGET_MS} ms median — ${distinctRun.medianMs < TARGET_MS ? 'met' : 'NOT met'} for the registry with a profile per rule (${formatMs(distinctRun.medianMs)}), ${sharedRun.medianMs < TARGET_MS ? 'met' : 'NOT met'} for the one with ${sharedFindings} findings (${formatMs(sharedRun.medianMs)})`,
      ],
    };
  },
};
