import { DescribeRepositoriesCommand, ECRClient, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { EcrRegistry } from '../../../functions/aws/ecr-registry.js';
import { CALLER, clientConfig, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const OTHER = '444455556666';
const NAME_PATTERN = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*';

const localAws = useLocalAws(
  worldWith([
    {
      accountId: CALLER,
      region: 'us-east-1',
      signingConfiguration: null,
      repositories: [{ repositoryName: 'platform/tools', tags: { team: 'platform' } }],
    },
    {
      accountId: OTHER,
      region: 'us-east-1',
      signingConfiguration: null,
      repositories: [{ repositoryName: 'platform/tools' }],
    },
  ]),
);

function ecr(): ECRClient {
  return new ECRClient(clientConfig(localAws.current));
}

describe('ECR malformed identifiers', () => {
  it.each([
    ['Platform/Tools', `must satisfy regular expression '${NAME_PATTERN}'`],
    ['a', 'must have length greater than or equal to 2'],
    ['a'.repeat(257), 'must have length less than or equal to 256'],
  ])(
    'answers DescribeRepositories for %s with InvalidParameterException, not RepositoryNotFoundException',
    async (name, constraint) => {
      const error = await rejectionOf(
        ecr().send(new DescribeRepositoriesCommand({ repositoryNames: [name] })),
      );
      expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
        'InvalidParameterException',
        400,
        `Invalid parameter at 'repositoryNames' failed to satisfy constraint: '${constraint}'`,
      ]);
    },
  );

  it('answers a registry id that is not 12 digits with InvalidParameterException', async () => {
    const error = await rejectionOf(ecr().send(new DescribeRepositoriesCommand({ registryId: '1234' })));
    expect([error.name, error.message]).toEqual([
      'InvalidParameterException',
      "Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{12}''",
    ]);
  });

  it('answers ListTagsForResource for an ARN with a malformed repository name with InvalidParameterException', async () => {
    const resourceArn = `arn:aws:ecr:us-east-1:${CALLER}:repository/Platform/Tools`;
    const error = await rejectionOf(ecr().send(new ListTagsForResourceCommand({ resourceArn })));
    expect(error.name).toBe('InvalidParameterException');
  });

  it("is a failure of the product's tag read, never a repository deleted since the listing", async () => {
    const registry = new EcrRegistry({ client: ecr() });
    const malformed = `arn:aws:ecr:us-east-1:${CALLER}:repository/Platform/Tools`;
    const missing = `arn:aws:ecr:us-east-1:${CALLER}:repository/platform/gone`;
    await expect(registry.getRepositoryTags(missing)).resolves.toBeNull();
    const error = await rejectionOf(registry.getRepositoryTags(malformed));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe("ECR another account's registry", () => {
  it('answers DescribeRepositories by name with RepositoryNotFoundException naming that registry', async () => {
    const error = await rejectionOf(
      ecr().send(new DescribeRepositoriesCommand({ registryId: OTHER, repositoryNames: ['platform/tools'] })),
    );
    expect([error.name, error.message]).toEqual([
      'RepositoryNotFoundException',
      `The repository with name 'platform/tools' does not exist in the registry with id '${OTHER}'`,
    ]);
  });

  it('answers a listing of that registry with RepositoryNotFoundException naming it, not AccessDeniedException', async () => {
    const error = await rejectionOf(ecr().send(new DescribeRepositoriesCommand({ registryId: OTHER })));
    expect(error.name).toBe('RepositoryNotFoundException');
    expect(error.message).toContain(`'${OTHER}'`);
  });

  it("answers ListTagsForResource for that registry's repository with RepositoryNotFoundException naming it", async () => {
    const resourceArn = `arn:aws:ecr:us-east-1:${OTHER}:repository/platform/tools`;
    const error = await rejectionOf(ecr().send(new ListTagsForResourceCommand({ resourceArn })));
    expect([error.name, error.message]).toEqual([
      'RepositoryNotFoundException',
      `The repository with name 'platform/tools' does not exist in the registry with id '${OTHER}'`,
    ]);
  });

  it("describes the caller's own registry when it names its own id", async () => {
    const out = await ecr().send(new DescribeRepositoriesCommand({ registryId: CALLER }));
    expect(out.repositories?.map((r) => r.repositoryName)).toEqual(['platform/tools']);
  });
});
