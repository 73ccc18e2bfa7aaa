import { describe, expect, it } from 'vitest';
import { compilePolicySet, evaluatePolicies } from '../../../functions/core/policy/index.js';
import { approvedProfile, facts, ifThen, otherProfile, policy, rule } from './helpers.js';

/** "Repositories ending in -prod are signed by the release profile", as issue 9 writes it. */
const prodRepositorySchema = {
  type: 'object',
  ...ifThen(
    { type: 'object', properties: { repositoryName: { type: 'string', pattern: '-prod$' } } },
    {
      type: 'object',
      properties: { signingProfileArns: { type: 'array', contains: { const: approvedProfile } } },
    },
  ),
};
const prodSignedByRelease = policy('prod-signed-by-release', {
  properties: { repositories: { type: 'array', items: prodRepositorySchema } },
});

const registryFacts = facts({
  signingConfiguration: { rules: [rule(otherProfile, '*'), rule(approvedProfile, 'web-*')] },
  repositories: [
    { repositoryName: 'api-prod' },
    { repositoryName: 'worker-prod' },
    { repositoryName: 'web-prod' },
    { repositoryName: 'api' },
  ],
});

describe('one finding per violation', () => {
  it('gives a failed contains under if/then one finding per violating repository, about the repository', () => {
    const findings = evaluatePolicies(compilePolicySet([prodSignedByRelease], []), registryFacts);
    expect(findings.map((f) => [f.repositoryName, f.signingProfileArn ?? null, f.factsPath])).toEqual([
      ['api-prod', null, '/repositories/0/signingProfileArns'],
      ['worker-prod', null, '/repositories/1/signingProfileArns'],
    ]);
    expect(findings[0]!.message).toContain('signingProfileArns must contain at least 1 valid item');
  });

  it('uses the author message on the failing applicator', () => {
    const authored = policy('prod-signed-by-release', {
      properties: {
        repositories: {
          type: 'array',
          items: {
            ...prodRepositorySchema,
            errorMessage: '{repositoryName} is not signed by the release profile',
          },
        },
      },
    });
    const findings = evaluatePolicies(compilePolicySet([authored], []), registryFacts);
    expect(findings.map((f) => f.message)).toEqual([
      'api-prod is not signed by the release profile',
      'worker-prod is not signed by the release profile',
    ]);
  });

  it('gives a failed anyOf or oneOf one finding, not one per alternative', () => {
    for (const keyword of ['anyOf', 'oneOf']) {
      const set = compilePolicySet(
        [
          policy(`profiles-${keyword.toLowerCase()}`, {
            properties: {
              repositories: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    signingProfileArns: {
                      type: 'array',
                      [keyword]: [{ contains: { const: approvedProfile } }, { maxItems: 0 }],
                    },
                  },
                },
              },
            },
          }),
        ],
        [],
      );
      const findings = evaluatePolicies(set, registryFacts);
      expect(
        findings.map((f) => [f.repositoryName, f.factsPath]),
        keyword,
      ).toEqual([
        ['api-prod', '/repositories/0/signingProfileArns'],
        ['worker-prod', '/repositories/1/signingProfileArns'],
        ['api', '/repositories/3/signingProfileArns'],
      ]);
    }
  });
});
