import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyBundleSources } from '../../../functions/build/policy-bundle-source.js';
import { PolicyLoadError } from '../../../functions/core/errors.js';
import type { PolicySet } from '../../../functions/core/policy/index.js';
import {
  compilePolicySet,
  evaluatePolicies,
  generatePolicySetModule,
  policySetFromModule,
} from '../../../functions/core/policy/index.js';
import { useGeneratedModules } from './generated-modules.js';
import { facts, policy } from './helpers.js';

const generated = useGeneratedModules('ecr-sign-drift-linear-');

/** "^(a+)+$" backtracks exponentially in JavaScript's engine on "aaa…a!" (90 s at 40 characters). */
const catastrophic = policy('only-a-names', {
  properties: {
    repositories: {
      type: 'array',
      items: {
        type: 'object',
        properties: { repositoryName: { type: 'string', pattern: '^(a+)+$' } },
      },
    },
  },
});
const hostile = facts({
  repositories: [{ repositoryName: `${'a'.repeat(40)}!` }, { repositoryName: 'aaa' }],
});

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

/** The hostile name is the one finding, well within a second. */
function expectLinear(policySet: PolicySet): void {
  const { value: findings, ms } = timed(() => evaluatePolicies(policySet, hostile));
  expect(findings.map((f) => f.repositoryName)).toEqual([`${'a'.repeat(40)}!`]);
  expect(ms).toBeLessThan(1000);
}

describe('policy patterns', () => {
  it('run in linear time when compiled at load', () => {
    expectLinear(compilePolicySet([catastrophic], []));
  });

  it('run in linear time in the precompiled (standalone) module the Lambda bundles', async () => {
    const source = generatePolicySetModule([catastrophic], []);
    expect(source).toContain('re2js');
    expectLinear(policySetFromModule(await generated.importModule('catastrophic.mjs', source)));
  });

  it('run in linear time in the validators the Lambda build bundles from a policies directory', async () => {
    const policies = join(generated.directory, 'policies');
    mkdirSync(policies);
    writeFileSync(join(policies, catastrophic.source), JSON.stringify(catastrophic.schema));
    const { validators } = await policyBundleSources(policies);
    expectLinear(policySetFromModule(await generated.importModule('bundled-validators.mjs', validators)));
  });

  it('keep JavaScript pattern semantics: unanchored search, classes and escapes', () => {
    const policySet = compilePolicySet(
      [
        policy('team-names', {
          properties: {
            repositories: {
              type: 'array',
              items: {
                type: 'object',
                properties: { repositoryName: { type: 'string', pattern: '[a-z]+/\\d+' } },
              },
            },
          },
        }),
      ],
      [],
    );
    const findings = evaluatePolicies(
      policySet,
      facts({ repositories: [{ repositoryName: 'x-team/42-y' }, { repositoryName: 'web' }] }),
    );
    expect(findings.map((f) => f.repositoryName)).toEqual(['web']);
  });

  it('refuse a construct without a linear-time match (lookahead) at load, naming the file', () => {
    const lookahead = policy('lookahead', {
      properties: { region: { type: 'string', pattern: '^(?=us-)' } },
    });
    expect(() => compilePolicySet([lookahead], [])).toThrowError(PolicyLoadError);
    expect(() => compilePolicySet([lookahead], [])).toThrowError(
      /^lookahead\.policy\.json: invalid schema: .*\(\?=/,
    );
  });
});
