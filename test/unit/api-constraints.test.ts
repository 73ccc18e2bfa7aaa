import { describe, expect, it } from 'vitest';
import { checkSigningConfiguration } from '../../functions/core/api-constraints.js';

const arn = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing';

describe('checkSigningConfiguration', () => {
  it('accepts an empty rule list, which ECR allows', () => {
    expect(checkSigningConfiguration({ rules: [] })).toEqual([]);
  });

  it('accepts a rule without filters and a rule with wildcard filters', () => {
    const config = {
      rules: [
        { signingProfileArn: arn },
        {
          signingProfileArn: arn,
          repositoryFilters: [{ filter: 'team/*-prod', filterType: 'WILDCARD_MATCH' }],
        },
      ],
    };
    expect(checkSigningConfiguration(config)).toEqual([]);
  });

  it('rejects more than 10 rules', () => {
    const rules = Array.from({ length: 11 }, () => ({ signingProfileArn: arn }));
    expect(checkSigningConfiguration({ rules })).toEqual([
      {
        path: 'signingConfiguration.rules',
        message: 'has 11 rules; at most 10 are allowed',
        aws: { value: rules, constraint: 'Member must have length less than or equal to 10' },
      },
    ]);
  });

  it('rejects an empty filter list and more than 100 filters', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ filter: `r${i}`, filterType: 'WILDCARD_MATCH' }));
    const result = checkSigningConfiguration({
      rules: [
        { signingProfileArn: arn, repositoryFilters: [] },
        { signingProfileArn: arn, repositoryFilters: many },
      ],
    });
    expect(result.map((v) => v.path)).toEqual([
      'signingConfiguration.rules.1.repositoryFilters',
      'signingConfiguration.rules.2.repositoryFilters',
    ]);
  });

  it('rejects a profile ARN, a filter and a filter type outside the model', () => {
    const result = checkSigningConfiguration({
      rules: [
        {
          signingProfileArn: 'arn:aws:signer:us-east-1:1234:/signing-profiles/x',
          repositoryFilters: [{ filter: 'Upper/Case', filterType: 'PREFIX_MATCH' }],
        },
      ],
    });
    expect(result.map((v) => v.path)).toEqual([
      'signingConfiguration.rules.1.signingProfileArn',
      'signingConfiguration.rules.1.repositoryFilters.1.filter',
      'signingConfiguration.rules.1.repositoryFilters.1.filterType',
    ]);
  });
});
