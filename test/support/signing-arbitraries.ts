/** fast-check generators for signing configurations over small vocabularies, so rules collide often. */
import fc from 'fast-check';
import type { SigningConfiguration, SigningRule } from '../../functions/core/types.js';

export const PROFILES = ['alpha_signing', 'beta_signing', 'gamma_signing'].map(
  (name) => `arn:aws:signer:us-east-1:999988887777:/signing-profiles/${name}`,
);
export const FILTERS = ['*prod*', '*/production', 'team/*', 'web', 'payments/*', '*-api', 'a*', '*'];
export const REPOSITORY_NAMES = [
  'web',
  'team/api-prod',
  'payments/ledger',
  'payments/production',
  'billing-api',
  'app',
  'tools/ci',
];

export const ruleArbitrary: fc.Arbitrary<SigningRule> = fc.record(
  {
    signingProfileArn: fc.constantFrom(...PROFILES),
    repositoryFilters: fc.array(
      fc.record({ filter: fc.constantFrom(...FILTERS), filterType: fc.constant('WILDCARD_MATCH' as const) }),
      { minLength: 1, maxLength: 4 },
    ),
  },
  { requiredKeys: ['signingProfileArn'] },
);

export const configurationArbitrary: fc.Arbitrary<SigningConfiguration> = fc.record({
  rules: fc.array(ruleArbitrary, { maxLength: 5 }),
});

export const registryConfigurationArbitrary: fc.Arbitrary<SigningConfiguration | null> = fc.option(
  configurationArbitrary,
  { nil: null },
);
