/**
 * The Resource Groups Tagging API on the local endpoint, through the real client:
 * GetResources over the caller's tagged ECR repositories, with the model's constraints,
 * errors and PaginationToken pagination.
 */
import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import type { Tags } from '../../../functions/core/types.js';
import { startLocalAws } from '../../../functions/local-aws/server.js';
import { CALLER, clientConfig, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const TAGGED = 250;
const world = worldWith([
  {
    accountId: CALLER,
    region: 'us-east-1',
    signingConfiguration: null,
    repositories: [
      { repositoryName: 'payments/api', tags: { team: 'payments', signing: 'required' } },
      { repositoryName: 'web' },
      { repositoryName: 'search/indexer', tags: { team: 'search' } },
      { repositoryName: 'payments/batch', tags: { team: 'payments' } },
    ],
  },
  {
    accountId: CALLER,
    region: 'eu-west-1',
    signingConfiguration: null,
    repositories: Array.from({ length: TAGGED }, (_, i) => ({
      repositoryName: `team/service-${String(i).padStart(3, '0')}`,
      tags: i % 10 === 0 ? { team: 'core', index: String(i), tier: 'one' } : ({ index: String(i) } as Tags),
    })),
  },
]);
const localAws = useLocalAws(world);

function tagging(region = 'us-east-1', maxAttempts = 1): ResourceGroupsTaggingAPIClient {
  return new ResourceGroupsTaggingAPIClient(clientConfig(localAws.current, { region, maxAttempts }));
}

function arnOf(region: string, name: string): string {
  return `arn:aws:ecr:${region}:${CALLER}:repository/${name}`;
}

async function errorOf(input: GetResourcesCommandInput): Promise<{ name: string; message: string }> {
  const error = await rejectionOf(tagging().send(new GetResourcesCommand(input)));
  expect(error.$metadata.httpStatusCode).toBe(400);
  return { name: error.name, message: error.message };
}

describe('Resource Groups Tagging API GetResources', () => {
  it("returns the tags of the caller's tagged repositories in the request's region and leaves out untagged ones", async () => {
    const out = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['ecr:repository'] }));
    expect(out.ResourceTagMappingList).toEqual([
      {
        ResourceARN: arnOf('us-east-1', 'payments/api'),
        Tags: [
          { Key: 'team', Value: 'payments' },
          { Key: 'signing', Value: 'required' },
        ],
      },
      { ResourceARN: arnOf('us-east-1', 'search/indexer'), Tags: [{ Key: 'team', Value: 'search' }] },
      { ResourceARN: arnOf('us-east-1', 'payments/batch'), Tags: [{ Key: 'team', Value: 'payments' }] },
    ]);
    // The last page carries an empty token, which the SDK's paginator reads as the end.
    expect(out.PaginationToken).toBe('');
  });

  it('returns ECR repositories for the service filter and for no filter, and nothing for another resource type', async () => {
    const count = async (ResourceTypeFilters?: string[]) =>
      (
        await tagging().send(
          new GetResourcesCommand({ ...(ResourceTypeFilters ? { ResourceTypeFilters } : {}) }),
        )
      ).ResourceTagMappingList?.length;
    expect(await count(['ecr'])).toBe(3);
    expect(await count()).toBe(3);
    expect(await count(['s3:bucket'])).toBe(0);
    expect(await count(['s3:bucket', 'ecr:repository'])).toBe(3);
  });

  it('pages with ResourcesPerPage and PaginationToken through every tagged repository once', async () => {
    const client = tagging('eu-west-1');
    const first = await client.send(new GetResourcesCommand({ ResourcesPerPage: 100 }));
    expect(first.ResourceTagMappingList).toHaveLength(100);
    expect(first.PaginationToken).not.toBe('');
    const arns: string[] = [];
    let pages = 0;
    for await (const page of paginateGetResources({ client }, { ResourcesPerPage: 100 })) {
      pages += 1;
      arns.push(...(page.ResourceTagMappingList ?? []).map((m) => m.ResourceARN ?? ''));
    }
    expect(pages).toBe(3);
    expect(arns).toEqual(
      Array.from({ length: TAGGED }, (_, i) =>
        arnOf('eu-west-1', `team/service-${String(i).padStart(3, '0')}`),
      ),
    );
  });

  it('never splits a resource from its tags across pages of TagsPerPage', async () => {
    const client = tagging('eu-west-1');
    const sizes: number[] = [];
    for await (const page of paginateGetResources({ client }, { TagsPerPage: 100 })) {
      const tags = (page.ResourceTagMappingList ?? []).reduce((n, m) => n + (m.Tags?.length ?? 0), 0);
      expect(tags).toBeLessThanOrEqual(100);
      sizes.push(page.ResourceTagMappingList?.length ?? 0);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(TAGGED);
    // 250 resources of 1 tag and 25 of 3 are 300 tags: at least 3 pages of at most 100.
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });

  it('filters by tag keys and values: every filter must hold, any of its values', async () => {
    const arns = async (TagFilters: { Key: string; Values?: string[] }[]) =>
      (await tagging().send(new GetResourcesCommand({ TagFilters }))).ResourceTagMappingList?.map(
        (m) => m.ResourceARN,
      );
    expect(await arns([{ Key: 'team', Values: ['search', 'payments'] }])).toEqual([
      arnOf('us-east-1', 'payments/api'),
      arnOf('us-east-1', 'search/indexer'),
      arnOf('us-east-1', 'payments/batch'),
    ]);
    expect(await arns([{ Key: 'team', Values: ['payments'] }, { Key: 'signing' }])).toEqual([
      arnOf('us-east-1', 'payments/api'),
    ]);
  });

  it('returns only the tagged resources a ResourceARNList names, and no error for the others', async () => {
    const out = await tagging().send(
      new GetResourcesCommand({
        ResourceARNList: [
          arnOf('us-east-1', 'search/indexer'),
          arnOf('us-east-1', 'web'),
          arnOf('us-east-1', 'gone'),
        ],
      }),
    );
    expect(out.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([
      arnOf('us-east-1', 'search/indexer'),
    ]);
  });

  it('answers InvalidParameterException for a page size outside the documented limits', async () => {
    for (const input of [
      { ResourcesPerPage: 0 },
      { ResourcesPerPage: 101 },
      { TagsPerPage: 99 },
      { TagsPerPage: 501 },
    ]) {
      expect((await errorOf(input)).name).toBe('InvalidParameterException');
    }
    expect((await errorOf({ ResourcesPerPage: 101 })).message).toBe(
      'ResourcesPerPage must be between 1 and 100; got 101',
    );
  });

  it('answers InvalidParameterException for the combinations and lengths the model rules out', async () => {
    const arn = arnOf('us-east-1', 'web');
    const refused: GetResourcesCommandInput[] = [
      { ResourceARNList: [arn], ResourceTypeFilters: ['ecr:repository'] },
      { ResourceARNList: [arn], TagFilters: [{ Key: 'team' }] },
      { ResourceARNList: [arn], ResourcesPerPage: 10 },
      { ResourceARNList: [] },
      { ResourceARNList: Array.from({ length: 101 }, () => arn) },
      { TagFilters: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}` })) },
      { TagFilters: [{ Key: 'team', Values: Array.from({ length: 21 }, (_, i) => `v${i}`) }] },
      { TagFilters: [{ Key: 'k'.repeat(129) }] },
      { ResourceTypeFilters: Array.from({ length: 101 }, () => 'ecr') },
      { ExcludeCompliantResources: true },
      { PaginationToken: 'x'.repeat(2049) },
    ];
    for (const input of refused)
      expect((await errorOf(input)).name, JSON.stringify(input).slice(0, 80)).toBe(
        'InvalidParameterException',
      );
    expect((await errorOf({ TagFilters: [{ Key: 'k'.repeat(129) }] })).message).toBe(
      `1 validation error detected: Value '${'k'.repeat(129)}' at 'tagFilters.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });

  it('refuses a token from another listing with InvalidParameterException', async () => {
    const first = await tagging('eu-west-1').send(new GetResourcesCommand({ ResourcesPerPage: 10 }));
    const error = await rejectionOf(
      tagging('eu-west-1').send(
        new GetResourcesCommand({
          ResourcesPerPage: 10,
          TagFilters: [{ Key: 'team' }],
          PaginationToken: first.PaginationToken,
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
    const garbled = await rejectionOf(
      tagging().send(new GetResourcesCommand({ PaginationToken: 'not-a-token' })),
    );
    expect(garbled.name).toBe('InvalidParameterException');
  });

  it('answers PaginationTokenExpiredException for a token older than 15 minutes', async () => {
    let clock = new Date('2026-06-01T10:00:00Z');
    const server = await startLocalAws({ world, now: () => clock });
    try {
      const client = new ResourceGroupsTaggingAPIClient(clientConfig(server, { region: 'eu-west-1' }));
      const first = await client.send(new GetResourcesCommand({ ResourcesPerPage: 10 }));
      clock = new Date(clock.getTime() + 14 * 60_000);
      const second = await client.send(
        new GetResourcesCommand({ ResourcesPerPage: 10, PaginationToken: first.PaginationToken }),
      );
      expect(second.ResourceTagMappingList).toHaveLength(10);
      clock = new Date(clock.getTime() + 15 * 60_000);
      const error = await rejectionOf(
        client.send(
          new GetResourcesCommand({ ResourcesPerPage: 10, PaginationToken: second.PaginationToken }),
        ),
      );
      expect(error.name).toBe('PaginationTokenExpiredException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('answers the faults with the service own codes: ThrottledException, InternalServiceException, AccessDeniedException', async () => {
    const names: string[] = [];
    for (const error of ['throttling', 'server-error', 'access-denied'] as const) {
      localAws.current.setFaults({ rules: [{ service: 'tagging', operation: 'GetResources', error }] });
      names.push((await rejectionOf(tagging().send(new GetResourcesCommand({})))).name);
    }
    expect(names).toEqual(['ThrottledException', 'InternalServiceException', 'AccessDeniedException']);
  });

  it('lets the SDK retry a throttled GetResources as throttling and then succeed', async () => {
    localAws.current.setFaults({ rules: [{ service: 'tagging', error: 'throttling', count: 2 }] });
    const out = await tagging('us-east-1', 3).send(new GetResourcesCommand({}));
    expect(out.ResourceTagMappingList).toHaveLength(3);
    expect(out.$metadata.attempts).toBe(3);
    expect(localAws.current.calls().map((c) => c.errorCode)).toEqual([
      'ThrottledException',
      'ThrottledException',
      null,
    ]);
  });
});
