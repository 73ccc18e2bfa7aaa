import { describe, expect, it } from 'vitest';
import { useLocalAws, worldWith } from '../local-aws/helpers.js';
import { callsOf, scan, useCallerEnvironment } from './helpers.js';

const ACCOUNT = '111122223333';
const REPOSITORIES = 2_345;
const names = Array.from({ length: REPOSITORIES }, (_, i) => `service-${String(i).padStart(4, '0')}`);
const localAws = useLocalAws(
  worldWith([
    {
      accountId: ACCOUNT,
      region: 'us-east-1',
      signingConfiguration: null,
      repositories: names.map((repositoryName) => ({ repositoryName })),
    },
  ]),
);
useCallerEnvironment();

describe('a registry with more repositories than one DescribeRepositories page', () => {
  it('reads every repository through pages of 1000', async () => {
    const result = await scan(localAws.current, {
      organization: undefined,
      accounts: [{ accountId: ACCOUNT }],
    });
    expect(result.errors).toEqual([]);
    expect(result.registries[0]?.repositories.map((r) => r.repositoryName)).toEqual(names);
    expect(result.registries[0]?.signingConfiguration).toBeNull();
    expect(callsOf(localAws.current, 'DescribeRepositories')).toHaveLength(3);
  });
});
