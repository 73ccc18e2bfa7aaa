import { describe, expect, it } from 'vitest';
import { describeConfigurationChange } from '../../../functions/core/drift/index.js';
import type { SigningConfiguration } from '../../../functions/core/types.js';

const arn = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/release';
const other = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/other';
const filters = (...names: string[]) =>
  names.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' as const }));
const config = (...rules: SigningConfiguration['rules']): SigningConfiguration => ({ rules });

describe('describeConfigurationChange', () => {
  it('says nothing when only order and repeats differ', () => {
    const a = config({ signingProfileArn: arn, repositoryFilters: filters('a', 'b') });
    const b = config({ signingProfileArn: arn, repositoryFilters: filters('b', 'a', 'a') });
    expect(describeConfigurationChange(a, b)).toEqual([]);
  });

  it('names filters gained and lost on a rule', () => {
    const before = config({ signingProfileArn: arn, repositoryFilters: filters('a', 'b') });
    const after = config({ signingProfileArn: arn, repositoryFilters: filters('a', 'c') });
    expect(describeConfigurationChange(before, after)).toEqual([
      `rule for profile ${arn} gained filter 'c'`,
      `rule for profile ${arn} lost filter 'b'`,
    ]);
  });

  it('names rules added and removed', () => {
    const before = config({ signingProfileArn: arn });
    const after = config({ signingProfileArn: other, repositoryFilters: filters('web') });
    expect(describeConfigurationChange(before, after)).toEqual(
      expect.arrayContaining([
        `rule for profile ${arn} covering every repository was removed`,
        `rule for profile ${other} with filter 'web' was added`,
      ]),
    );
  });

  it('reports a configuration created and one deleted', () => {
    expect(describeConfigurationChange(null, config({ signingProfileArn: arn }))).toEqual([
      'signing configuration created with 1 rule',
    ]);
    expect(describeConfigurationChange(config({ signingProfileArn: arn }), null)).toEqual([
      'signing configuration deleted (it had 1 rule, covering every repository)',
    ]);
  });
});
