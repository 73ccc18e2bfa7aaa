import {
  DeleteSigningConfigurationCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetSigningConfigurationCommand,
  ListTagsForResourceCommand,
  PutSigningConfigurationCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { CALLER, clientConfig, PROFILE_ARN, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const MANY = 2345;
const manyRepositories = Array.from({ length: MANY }, (_, i) => ({
  repositoryName: `team/service-${String(i).padStart(4, '0')}`,
}));

const localAws = useLocalAws(
  worldWith([
    {
      accountId: CALLER,
      region: 'us-east-1',
      signingConfiguration: null,
      repositories: [
        { repositoryName: 'payments/api-prod', tags: { signing: 'required', team: 'payments' } },
        { repositoryName: 'team/web' },
      ],
    },
    { accountId: CALLER, region: 'eu-west-1', signingConfiguration: null, repositories: manyRepositories },
  ]),
);

function ecr(region = 'us-east-1'): ECRClient {
  return new ECRClient(clientConfig(localAws.current, { region }));
}

const configuration = {
  rules: [
    {
      signingProfileArn: PROFILE_ARN,
      repositoryFilters: [{ filter: 'payments/*', filterType: 'WILDCARD_MATCH' as const }],
    },
  ],
};

describe('ECR signing configuration', () => {
  it('returns SigningConfigurationNotFoundException for a registry never configured', async () => {
    const error = await rejectionOf(ecr().send(new GetSigningConfigurationCommand({})));
    expect(error.name).toBe('SigningConfigurationNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('returns from GetSigningConfiguration what PutSigningConfiguration stored', async () => {
    const put = await ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: configuration }));
    expect(put.signingConfiguration).toEqual(configuration);
    const got = await ecr().send(new GetSigningConfigurationCommand({}));
    expect(got.registryId).toBe(CALLER);
    expect(got.signingConfiguration).toEqual(configuration);
    expect(
      localAws.current.snapshot().registries.find((r) => r.region === 'us-east-1')?.signingConfiguration,
    ).toEqual(configuration);
  });

  it('keeps the registries of two regions apart', async () => {
    await ecr('us-east-1').send(new PutSigningConfigurationCommand({ signingConfiguration: configuration }));
    const error = await rejectionOf(ecr('eu-west-1').send(new GetSigningConfigurationCommand({})));
    expect(error.name).toBe('SigningConfigurationNotFoundException');
  });

  it('rejects a configuration that breaks a model constraint with ValidationException', async () => {
    const rules = Array.from({ length: 11 }, () => ({ signingProfileArn: PROFILE_ARN }));
    const error = await rejectionOf(
      ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: { rules } })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      `1 validation error detected: Value '${JSON.stringify(rules)}' at 'signingConfiguration.rules' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  });

  it("words a broken constraint as AWS does, with the member path of the model's list members", async () => {
    const repositoryFilters = Array.from({ length: 101 }, (_, i) => ({
      filter: `team${i}/*`,
      filterType: 'WILDCARD_MATCH' as const,
    }));
    const signingConfiguration = {
      rules: [
        { signingProfileArn: PROFILE_ARN, repositoryFilters },
        {
          signingProfileArn: PROFILE_ARN,
          repositoryFilters: [{ filter: 'Platform/Tools', filterType: 'WILDCARD_MATCH' as const }],
        },
      ],
    };
    const error = await rejectionOf(ecr().send(new PutSigningConfigurationCommand({ signingConfiguration })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      `2 validation errors detected: Value '${JSON.stringify(repositoryFilters)}' at 'signingConfiguration.rules.1.member.repositoryFilters' failed to satisfy constraint: Member must have length less than or equal to 100; ` +
        "Value 'Platform/Tools' at 'signingConfiguration.rules.2.member.repositoryFilters.1.member.filter' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$",
    );
  });

  it('rejects a malformed profile ARN and an empty filter list with ValidationException', async () => {
    const signingConfiguration = {
      rules: [{ signingProfileArn: 'arn:aws:signer:us-east-1:1:/signing-profiles/x', repositoryFilters: [] }],
    };
    const error = await rejectionOf(ecr().send(new PutSigningConfigurationCommand({ signingConfiguration })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^2 validation errors detected: .*signingProfileArn.*repositoryFilters/);
  });

  it('rejects PutSigningConfiguration without signingConfiguration with ValidationException', async () => {
    const error = await rejectionOf(
      ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: undefined })),
    );
    expect(error.name).toBe('ValidationException');
  });

  it('deletes a configuration, returns it, and leaves the registry unconfigured', async () => {
    await ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: configuration }));
    const deleted = await ecr().send(new DeleteSigningConfigurationCommand({}));
    expect(deleted).toMatchObject({ registryId: CALLER, signingConfiguration: configuration });
    const again = await rejectionOf(ecr().send(new DeleteSigningConfigurationCommand({})));
    expect(again.name).toBe('SigningConfigurationNotFoundException');
  });
});

describe('ECR repositories', () => {
  it('pages DescribeRepositories through more than 1000 repositories with the SDK paginator', async () => {
    const pageSizes: number[] = [];
    const names: string[] = [];
    for await (const page of paginateDescribeRepositories({ client: ecr('eu-west-1'), pageSize: 1000 }, {})) {
      pageSizes.push(page.repositories?.length ?? 0);
      names.push(...(page.repositories ?? []).map((r) => r.repositoryName ?? ''));
    }
    expect(pageSizes).toEqual([1000, 1000, 345]);
    expect(names).toEqual(manyRepositories.map((r) => r.repositoryName));
  });

  it('returns 100 repositories and a nextToken when maxResults is not given', async () => {
    const page = await ecr('eu-west-1').send(new DescribeRepositoriesCommand({}));
    expect(page.repositories).toHaveLength(100);
    expect(page.nextToken).toEqual(expect.any(String));
  });

  it('rejects maxResults outside 1..1000 with InvalidParameterException', async () => {
    for (const maxResults of [0, 1001]) {
      const error = await rejectionOf(ecr().send(new DescribeRepositoriesCommand({ maxResults })));
      expect(error.name).toBe('InvalidParameterException');
    }
  });

  it('rejects a nextToken from another registry with InvalidParameterException', async () => {
    const page = await ecr('eu-west-1').send(new DescribeRepositoriesCommand({ maxResults: 1 }));
    const error = await rejectionOf(
      ecr().send(new DescribeRepositoriesCommand({ nextToken: page.nextToken })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('describes repositories with ARN, registry id, URI and creation time', async () => {
    const out = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['payments/api-prod'] }));
    expect(out.repositories).toEqual([
      expect.objectContaining({
        repositoryArn: `arn:aws:ecr:us-east-1:${CALLER}:repository/payments/api-prod`,
        registryId: CALLER,
        repositoryName: 'payments/api-prod',
        repositoryUri: `${CALLER}.dkr.ecr.us-east-1.amazonaws.com/payments/api-prod`,
        createdAt: new Date('2024-02-01T10:00:00Z'),
      }),
    ]);
  });

  it('returns RepositoryNotFoundException for a name the registry does not have', async () => {
    const error = await rejectionOf(
      ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['team/web', 'team/missing'] })),
    );
    expect(error.name).toBe('RepositoryNotFoundException');
    expect(error.message).toContain("'team/missing'");
  });

  it('lists the tags of a repository by ARN as Key/Value pairs', async () => {
    const resourceArn = `arn:aws:ecr:us-east-1:${CALLER}:repository/payments/api-prod`;
    const out = await ecr().send(new ListTagsForResourceCommand({ resourceArn }));
    expect(out.tags).toEqual([
      { Key: 'signing', Value: 'required' },
      { Key: 'team', Value: 'payments' },
    ]);
  });
});
