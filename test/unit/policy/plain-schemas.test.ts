import { describe, expect, it } from 'vitest';
import { PolicyLoadError } from '../../../functions/core/errors.js';
import {
  compilePolicySet,
  describeLintWarning,
  evaluatePolicies,
  generatePolicySetModule,
  policySetFromModule,
} from '../../../functions/core/policy/index.js';
import { useGeneratedModules } from './generated-modules.js';
import { approvedProfile, facts, ifThen, rule } from './helpers.js';

const { importModule } = useGeneratedModules('ecr-sign-drift-plain-');

/** As authors write them: a top-level required list without properties, if/then subschemas without types. */
const plainPolicies = [
  {
    source: 'registry-identified.policy.json',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'registry-identified',
      severity: 'low',
      required: ['accountId', 'region', 'owner'],
    },
  },
  {
    source: 'prod-signed.policy.json',
    schema: {
      $id: 'prod-signed',
      severity: 'high',
      properties: {
        repositories: {
          items: ifThen(
            { properties: { repositoryName: { pattern: '-prod$' } } },
            { properties: { covered: { const: true } } },
          ),
        },
      },
    },
  },
];

const registryFacts = facts({
  signingConfiguration: { rules: [rule(approvedProfile, 'team/*')] },
  repositories: [
    { repositoryName: 'team/api-prod' },
    { repositoryName: 'web-prod' },
    { repositoryName: 'web' },
  ],
});

describe('plain JSON Schema 2020-12 policies', () => {
  it('load and give the findings their authors mean', () => {
    const policySet = compilePolicySet(plainPolicies, []);
    expect(
      evaluatePolicies(policySet, registryFacts).map((f) => [f.policyId, f.repositoryName ?? null]),
    ).toEqual([
      ['registry-identified', null],
      ['prod-signed', 'web-prod'],
    ]);
  });

  it('carry lint warnings naming the file, the pointer and what to add', () => {
    const lines = (compilePolicySet(plainPolicies, []).lintWarnings ?? []).map(describeLintWarning);
    expect(lines).toContain(
      'registry-identified.policy.json: (root): required "accountId" has no "properties" entry: add "properties": { "accountId": {} } (strictRequired)',
    );
    expect(lines).toContain(
      'prod-signed.policy.json: (root): "properties" without "type": add "type": "object" (strictTypes)',
    );
    expect(lines).toContain(
      'prod-signed.policy.json: /properties/repositories/items/if: "properties" without "type": add "type": "object" (strictTypes)',
    );
  });

  it('compile to the same findings in the precompiled (standalone) module', async () => {
    const precompiled = policySetFromModule(
      await importModule('plain.mjs', generatePolicySetModule(plainPolicies, [])),
    );
    expect(evaluatePolicies(precompiled, registryFacts)).toEqual(
      evaluatePolicies(compilePolicySet(plainPolicies, []), registryFacts),
    );
  });

  it('still refuse unknown keywords and unknown formats, which are typos', () => {
    const typo = { source: 't.policy.json', schema: { $id: 't', severity: 'low', requird: ['x'] } };
    expect(() => compilePolicySet([typo], [])).toThrowError(PolicyLoadError);
    const format = {
      source: 'f.policy.json',
      schema: { $id: 'f', severity: 'low', properties: { region: { format: 'aws-region' } } },
    };
    expect(() => compilePolicySet([format], [])).toThrowError(
      /^f\.policy\.json: invalid schema: unknown format "aws-region"/,
    );
  });
});
