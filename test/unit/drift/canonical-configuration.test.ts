import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalConfiguration,
  canonicalJson,
  configurationHash,
} from '../../../functions/core/drift/index.js';
import type { SigningConfiguration, SigningRule } from '../../../functions/core/types.js';
import { configurationArbitrary } from '../../support/signing-arbitraries.js';

const prod = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/prod_signing';
const dev = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/dev_signing';
const wildcard = (filter: string) => ({ filter, filterType: 'WILDCARD_MATCH' as const });

describe('canonicalConfiguration', () => {
  it('sorts rules by profile, rules without filters first, and sorts filters', () => {
    const config: SigningConfiguration = {
      rules: [
        { signingProfileArn: prod, repositoryFilters: [wildcard('web'), wildcard('*prod*')] },
        { signingProfileArn: prod },
        { signingProfileArn: dev, repositoryFilters: [wildcard('team/*')] },
      ],
    };
    expect(canonicalConfiguration(config)).toEqual({
      rules: [
        { signingProfileArn: dev, repositoryFilters: [wildcard('team/*')] },
        { signingProfileArn: prod },
        { signingProfileArn: prod, repositoryFilters: [wildcard('*prod*'), wildcard('web')] },
      ],
    });
  });

  it('drops repeated filters within a rule and repeated identical rules', () => {
    const rule: SigningRule = {
      signingProfileArn: prod,
      repositoryFilters: [wildcard('web'), wildcard('web')],
    };
    expect(canonicalConfiguration({ rules: [rule, rule] })).toEqual({
      rules: [{ signingProfileArn: prod, repositoryFilters: [wildcard('web')] }],
    });
  });

  it('keeps members outside the model out of the canonical form', () => {
    const withExtras = {
      rules: [{ signingProfileArn: prod, note: 'x' }],
      $metadata: {},
    } as unknown as SigningConfiguration;
    expect(canonicalJson(withExtras)).toBe(`{"rules":[{"signingProfileArn":"${prod}"}]}`);
  });

  it('keeps never configured distinct from configured with no rules', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({ rules: [] })).toBe('{"rules":[]}');
    expect(configurationHash(null)).not.toBe(configurationHash({ rules: [] }));
  });

  it('keeps a rule without filters distinct from one with filters', () => {
    expect(configurationHash({ rules: [{ signingProfileArn: prod }] })).not.toBe(
      configurationHash({ rules: [{ signingProfileArn: prod, repositoryFilters: [wildcard('*')] }] }),
    );
  });
});

/** The rule with its filters shuffled and some of them repeated. */
function shuffledRule(rule: SigningRule): fc.Arbitrary<SigningRule> {
  const filters = rule.repositoryFilters;
  if (filters === undefined) return fc.constant(rule);
  return fc
    .tuple(fc.shuffledSubarray(filters, { minLength: filters.length }), fc.subarray(filters))
    .map(([shuffled, repeated]) => ({ ...rule, repositoryFilters: [...shuffled, ...repeated] }));
}

describe('configurationHash', () => {
  it('is the sha256 of the canonical JSON in hex', () => {
    expect(configurationHash({ rules: [] })).toMatch(/^[0-9a-f]{64}$/);
    expect(configurationHash(null)).toBe('74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b');
  });

  it('does not change when rules and filters are shuffled or repeated', () => {
    const shuffledCopy = configurationArbitrary.chain((original) =>
      fc
        .tuple(
          fc.shuffledSubarray(original.rules, { minLength: original.rules.length }),
          fc.subarray(original.rules),
        )
        .chain(([shuffled, repeated]) => fc.tuple(...[...shuffled, ...repeated].map(shuffledRule)))
        .map((rules) => ({ original, copy: { rules } })),
    );
    fc.assert(
      fc.property(shuffledCopy, ({ original, copy }) => {
        expect(configurationHash(copy)).toBe(configurationHash(original));
      }),
    );
  });

  it('changes when a filter is added to a rule', () => {
    fc.assert(
      fc.property(configurationArbitrary, (config) => {
        const rules = config.rules.map((rule) => ({
          ...rule,
          repositoryFilters: [...(rule.repositoryFilters ?? []), wildcard('zz-never-generated')],
        }));
        fc.pre(rules.length > 0);
        expect(configurationHash({ rules })).not.toBe(configurationHash(config));
      }),
    );
  });
});
