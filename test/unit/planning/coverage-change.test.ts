import { describe, expect, it } from 'vitest';
import { compareCoverage } from '../../../functions/core/planning/coverage-change.js';

const prod = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/prod_signing';
const dev = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/dev_signing';
const target = { accountId: '111122223333', region: 'us-east-1' };

describe('compareCoverage', () => {
  it('lists the profiles each changed repository gains and loses, sorted by name', () => {
    const before = { rules: [{ signingProfileArn: dev }] };
    const after = {
      rules: [
        {
          signingProfileArn: prod,
          repositoryFilters: [{ filter: '*prod*', filterType: 'WILDCARD_MATCH' as const }],
        },
      ],
    };
    expect(compareCoverage(target, before, after, ['web', 'api-prod'])).toEqual({
      changed: [
        { repositoryName: 'api-prod', before: [dev], after: [prod], gained: [prod], lost: [dev] },
        { repositoryName: 'web', before: [dev], after: [], gained: [], lost: [dev] },
      ],
      unchangedCount: 0,
    });
  });

  it('counts repositories whose profiles stay the same, each name once', () => {
    const config = { rules: [{ signingProfileArn: prod }] };
    expect(compareCoverage(target, null, { rules: [] }, ['web', 'web', 'api'])).toEqual({
      changed: [],
      unchangedCount: 2,
    });
    expect(
      compareCoverage(target, config, { rules: [{ signingProfileArn: prod }, { signingProfileArn: prod }] }, [
        'web',
      ]),
    ).toEqual({ changed: [], unchangedCount: 1 });
  });
});
