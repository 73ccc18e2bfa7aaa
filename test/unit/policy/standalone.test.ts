import { describe, expect, it } from 'vitest';
import { PolicyLoadError } from '../../../functions/core/errors.js';
import { buildFacts } from '../../../functions/core/facts/index.js';
import {
  compilePolicySet,
  evaluatePolicies,
  generatePolicySetModule,
  parseFixture,
  policySetFromModule,
} from '../../../functions/core/policy/index.js';
import { loadPolicyDirectory } from '../../../functions/files/load-policy-directory.js';
import { useGeneratedModules } from './generated-modules.js';
import { approvedProfile, facts, otherProfile, policy, rule } from './helpers.js';

const { importModule } = useGeneratedModules('ecr-sign-drift-standalone-');

describe('generatePolicySetModule', () => {
  it('gives the same findings as the compiled set on every shipped fixture', async () => {
    const directory = await loadPolicyDirectory('policies');
    const compiled = compilePolicySet(directory.policies, directory.sharedSchemas);
    const source = generatePolicySetModule(directory.policies, directory.sharedSchemas);
    expect(source).not.toMatch(/\brequire\(/);
    const precompiled = policySetFromModule(await importModule('shipped.mjs', source));

    expect(precompiled.policies.map(({ validate: _, ...m }) => m)).toEqual(
      compiled.policies.map(({ validate: _, ...m }) => m),
    );
    expect(precompiled.sharedSchemaIds).toEqual(compiled.sharedSchemaIds);
    let findingCount = 0;
    for (const fixture of directory.fixtures) {
      const parsed = parseFixture(fixture);
      if ('problem' in parsed) throw new Error(parsed.problem);
      const registryFacts = buildFacts(parsed.registry);
      const expected = evaluatePolicies(compiled, registryFacts);
      findingCount += expected.length;
      expect(evaluatePolicies(precompiled, registryFacts), fixture.source).toEqual(expected);
    }
    expect(findingCount).toBeGreaterThan(10);
  });

  it('carries scope, formats and length checks into the generated code', async () => {
    const documents = [
      policy('scoped', {
        scope: { regions: ['eu-west-1'] },
        properties: { signingConfigured: { const: false } },
      }),
      policy('lengths', {
        properties: {
          repositories: {
            type: 'array',
            items: { type: 'object', properties: { repositoryName: { type: 'string', maxLength: 4 } } },
          },
        },
      }),
      policy('formats', { properties: { region: { type: 'string', format: 'email' } } }),
    ];
    const source = generatePolicySetModule(documents, []);
    const precompiled = policySetFromModule(await importModule('features.mjs', source));
    const registryFacts = facts({
      signingConfiguration: { rules: [rule(approvedProfile), rule(otherProfile)] },
    });
    const findings = evaluatePolicies(precompiled, registryFacts);
    expect(findings.map((f) => [f.policyId, f.repositoryName])).toEqual([
      ['lengths', 'team/api'],
      ['formats', undefined],
    ]);
    expect(findings).toEqual(evaluatePolicies(compilePolicySet(documents, []), registryFacts));
  });

  it('rejects the same broken policies compilePolicySet rejects', () => {
    expect(() => generatePolicySetModule([policy('no-severity', { severity: undefined })], [])).toThrowError(
      PolicyLoadError,
    );
  });
});

describe('policySetFromModule', () => {
  it('rejects a module that is not a generated policy set', () => {
    expect(() => policySetFromModule({})).toThrowError(
      'precompiled policy module has no policySetMetadata export',
    );
    const metadata = {
      sharedSchemaIds: [],
      policies: [
        {
          id: 'p',
          title: 'p',
          description: null,
          severity: 'high',
          scope: null,
          source: 'p',
          validateExport: 'v0',
        },
      ],
    };
    expect(() => policySetFromModule({ policySetMetadata: metadata })).toThrowError(
      'precompiled policy module has no validate function v0 for policy p',
    );
  });
});
