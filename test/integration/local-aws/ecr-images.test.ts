import {
  DescribeImageSigningStatusCommand,
  DescribeImagesCommand,
  ECRClient,
  ListImagesCommand,
  PutSigningConfigurationCommand,
  paginateDescribeImages,
} from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { CALLER, clientConfig, PROFILE_ARN, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const REVOKED_ARN = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_revoked';
const CANCELED_ARN = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_canceled';
const BUSY_ARN = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_busy';

function digest(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`;
}

const MANY = 2345;
const manyImages = Array.from({ length: MANY }, (_, i) => ({
  imageDigest: digest(10_000 + i),
  imageTags: [`build-${i}`],
  pushedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString(),
}));

const localAws = useLocalAws(
  worldWith(
    [
      {
        accountId: CALLER,
        region: 'us-east-1',
        signingConfiguration: {
          rules: [
            {
              signingProfileArn: PROFILE_ARN,
              repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD_MATCH' }],
            },
            {
              signingProfileArn: REVOKED_ARN,
              repositoryFilters: [{ filter: 'team/legacy', filterType: 'WILDCARD_MATCH' }],
            },
            {
              signingProfileArn: CANCELED_ARN,
              repositoryFilters: [{ filter: 'team/old', filterType: 'WILDCARD_MATCH' }],
            },
            {
              signingProfileArn: BUSY_ARN,
              repositoryFilters: [{ filter: 'team/slow', filterType: 'WILDCARD_MATCH' }],
            },
          ],
        },
        repositories: [
          {
            repositoryName: 'team/api',
            images: [
              {
                imageDigest: digest(1),
                imageTags: ['v1'],
                pushedAt: '2026-11-30T10:00:00Z',
                signingStatuses: [{ signingProfileArn: PROFILE_ARN, status: 'COMPLETE' }],
              },
              { imageDigest: digest(2), pushedAt: '2026-11-30T11:00:00Z' },
              {
                imageDigest: digest(3),
                imageTags: ['v2', 'latest'],
                pushedAt: '2026-12-01T09:00:00Z',
                signingStatuses: [
                  {
                    signingProfileArn: PROFILE_ARN,
                    status: 'FAILED',
                    failureCode: 'AccessDenied',
                    failureReason: 'the pusher may not call signer:SignPayload',
                  },
                ],
              },
            ],
          },
          { repositoryName: 'team/legacy' },
          { repositoryName: 'team/old' },
          { repositoryName: 'team/slow' },
          { repositoryName: 'web' },
        ],
        signingProfiles: [
          { profileArn: PROFILE_ARN, status: 'Active' },
          { profileArn: REVOKED_ARN, status: 'Revoked' },
          { profileArn: CANCELED_ARN, status: 'Canceled' },
          { profileArn: BUSY_ARN, status: 'Active' },
        ],
      },
      {
        accountId: CALLER,
        region: 'eu-west-1',
        signingConfiguration: null,
        repositories: [{ repositoryName: 'big', images: manyImages }],
      },
    ],
    { signingInProgressProfileArns: [BUSY_ARN] },
  ),
);

function ecr(region = 'us-east-1'): ECRClient {
  return new ECRClient(clientConfig(localAws.current, { region }));
}

async function push(body: unknown): Promise<Response> {
  return fetch(`${localAws.current.url}/_local/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('ECR DescribeImages', () => {
  it('describes every image of a repository with its digest, tags, push time and media types', async () => {
    const out = await ecr().send(new DescribeImagesCommand({ repositoryName: 'team/api' }));
    expect(out.imageDetails?.map((d) => d.imageDigest)).toEqual([digest(1), digest(2), digest(3)]);
    const [first] = out.imageDetails ?? [];
    expect(first?.registryId).toBe(CALLER);
    expect(first?.imageTags).toEqual(['v1']);
    expect(first?.imagePushedAt?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(first?.artifactMediaType).toBe('application/vnd.oci.image.config.v1+json');
    expect(out.nextToken).toBeUndefined();
  });

  it('selects tagged or untagged images with filter.tagStatus', async () => {
    const tagged = await ecr().send(
      new DescribeImagesCommand({ repositoryName: 'team/api', filter: { tagStatus: 'TAGGED' } }),
    );
    expect(tagged.imageDetails?.map((d) => d.imageDigest)).toEqual([digest(1), digest(3)]);
    const untagged = await ecr().send(
      new DescribeImagesCommand({ repositoryName: 'team/api', filter: { tagStatus: 'UNTAGGED' } }),
    );
    expect(untagged.imageDetails?.map((d) => d.imageDigest)).toEqual([digest(2)]);
  });

  it('describes the images named by imageIds once each, by digest or by tag', async () => {
    const out = await ecr().send(
      new DescribeImagesCommand({
        repositoryName: 'team/api',
        imageIds: [{ imageTag: 'latest' }, { imageDigest: digest(3) }, { imageTag: 'v1' }],
      }),
    );
    expect(out.imageDetails?.map((d) => d.imageDigest)).toEqual([digest(3), digest(1)]);
  });

  it('answers ImageNotFoundException for an imageId the repository lacks', async () => {
    const error = await rejectionOf(
      ecr().send(new DescribeImagesCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'nope' }] })),
    );
    expect(error.name).toBe('ImageNotFoundException');
    expect(error.message).toBe(
      `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'team/api' in the registry with id '${CALLER}'`,
    );
  });

  it('answers RepositoryNotFoundException for a repository the registry lacks', async () => {
    const error = await rejectionOf(
      ecr().send(new DescribeImagesCommand({ repositoryName: 'team/nothing' })),
    );
    expect(error.name).toBe('RepositoryNotFoundException');
  });

  it('pages through thousands of images up to 1000 a page with the SDK paginator', async () => {
    const pages: number[] = [];
    const digests: string[] = [];
    for await (const page of paginateDescribeImages(
      { client: ecr('eu-west-1'), pageSize: 1000 },
      { repositoryName: 'big' },
    )) {
      pages.push(page.imageDetails?.length ?? 0);
      digests.push(...(page.imageDetails ?? []).map((d) => d.imageDigest ?? ''));
    }
    expect(pages).toEqual([1000, 1000, MANY - 2000]);
    expect(new Set(digests).size).toBe(MANY);
  });

  it('gives 100 images a page when maxResults is not given', async () => {
    const out = await ecr('eu-west-1').send(new DescribeImagesCommand({ repositoryName: 'big' }));
    expect(out.imageDetails).toHaveLength(100);
    expect(out.nextToken).toBeDefined();
  });

  it('refuses maxResults above 1000 and maxResults with imageIds', async () => {
    const tooMany = await rejectionOf(
      ecr().send(new DescribeImagesCommand({ repositoryName: 'team/api', maxResults: 1001 })),
    );
    expect(tooMany.name).toBe('InvalidParameterException');
    const withIds = await rejectionOf(
      ecr().send(
        new DescribeImagesCommand({
          repositoryName: 'team/api',
          maxResults: 5,
          imageIds: [{ imageTag: 'v1' }],
        }),
      ),
    );
    expect(withIds.name).toBe('InvalidParameterException');
  });
});

describe('ECR ListImages', () => {
  it('lists one identifier per tag and the digest alone for an untagged image', async () => {
    const out = await ecr().send(new ListImagesCommand({ repositoryName: 'team/api' }));
    expect(out.imageIds).toEqual([
      { imageDigest: digest(1), imageTag: 'v1' },
      { imageDigest: digest(2) },
      { imageDigest: digest(3), imageTag: 'v2' },
      { imageDigest: digest(3), imageTag: 'latest' },
    ]);
  });

  it('answers RepositoryNotFoundException for a repository the registry lacks', async () => {
    const error = await rejectionOf(ecr().send(new ListImagesCommand({ repositoryName: 'team/nothing' })));
    expect(error.name).toBe('RepositoryNotFoundException');
  });
});

describe('ECR DescribeImageSigningStatus', () => {
  it('returns the statuses the world gives an image, failure code and reason included', async () => {
    const out = await ecr().send(
      new DescribeImageSigningStatusCommand({ repositoryName: 'team/api', imageId: { imageTag: 'latest' } }),
    );
    expect(out.registryId).toBe(CALLER);
    expect(out.imageId?.imageDigest).toBe(digest(3));
    expect(out.signingStatuses).toEqual([
      {
        signingProfileArn: PROFILE_ARN,
        status: 'FAILED',
        failureCode: 'AccessDenied',
        failureReason: 'the pusher may not call signer:SignPayload',
      },
    ]);
  });

  it('returns no status for an image nothing signed', async () => {
    const out = await ecr().send(
      new DescribeImageSigningStatusCommand({
        repositoryName: 'team/api',
        imageId: { imageDigest: digest(2) },
      }),
    );
    expect(out.signingStatuses).toEqual([]);
  });

  it('answers ImageNotFoundException for an image the repository lacks', async () => {
    const error = await rejectionOf(
      ecr().send(
        new DescribeImageSigningStatusCommand({
          repositoryName: 'team/api',
          imageId: { imageDigest: digest(99) },
        }),
      ),
    );
    expect(error.name).toBe('ImageNotFoundException');
  });

  it('answers RepositoryNotFoundException for a repository the registry lacks', async () => {
    const error = await rejectionOf(
      ecr().send(
        new DescribeImageSigningStatusCommand({ repositoryName: 'gone', imageId: { imageTag: 'v1' } }),
      ),
    );
    expect(error.name).toBe('RepositoryNotFoundException');
  });

  it('answers an injected throttling fault with ThrottlingException', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'ecr', operation: 'DescribeImageSigningStatus', error: 'throttling', count: 1 }],
    });
    const error = await rejectionOf(
      ecr().send(
        new DescribeImageSigningStatusCommand({ repositoryName: 'team/api', imageId: { imageTag: 'v1' } }),
      ),
    );
    expect(error.name).toBe('ThrottlingException');
  });
});

describe('POST /_local/push', () => {
  async function statusesAfterPush(repositoryName: string) {
    const response = await push({
      accountId: CALLER,
      region: 'us-east-1',
      repositoryName,
      imageTags: ['new'],
    });
    expect(response.status).toBe(200);
    const out = await ecr().send(
      new DescribeImageSigningStatusCommand({ repositoryName, imageId: { imageTag: 'new' } }),
    );
    return out.signingStatuses;
  }

  it('signs an image pushed to a repository an active profile covers: COMPLETE', async () => {
    expect(await statusesAfterPush('team/api')).toEqual([
      { signingProfileArn: PROFILE_ARN, status: 'COMPLETE' },
    ]);
  });

  it('fails the signing by a revoked profile with a code and a reason', async () => {
    const statuses = await statusesAfterPush('team/legacy');
    expect(statuses).toContainEqual({
      signingProfileArn: REVOKED_ARN,
      status: 'FAILED',
      failureCode: 'SigningProfileRevoked',
      failureReason: expect.stringContaining('revoked'),
    });
    expect(statuses).toContainEqual({ signingProfileArn: PROFILE_ARN, status: 'COMPLETE' });
  });

  it('fails the signing by a canceled profile', async () => {
    const statuses = await statusesAfterPush('team/old');
    expect(statuses?.find((s) => s.signingProfileArn === CANCELED_ARN)?.failureCode).toBe(
      'SigningProfileCanceled',
    );
  });

  it('leaves the signing IN_PROGRESS for a profile the world keeps busy', async () => {
    const statuses = await statusesAfterPush('team/slow');
    expect(statuses?.find((s) => s.signingProfileArn === BUSY_ARN)?.status).toBe('IN_PROGRESS');
  });

  it('gives no status to an image no rule covers', async () => {
    expect(await statusesAfterPush('web')).toEqual([]);
  });

  it('follows the rules as they are at the push', async () => {
    await ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: { rules: [] } }));
    expect(await statusesAfterPush('team/api')).toEqual([]);
  });

  it('moves a tag from the image that had it to the pushed one', async () => {
    await push({ accountId: CALLER, region: 'us-east-1', repositoryName: 'team/api', imageTags: ['latest'] });
    const out = await ecr().send(new DescribeImagesCommand({ repositoryName: 'team/api' }));
    expect(out.imageDetails?.find((d) => d.imageDigest === digest(3))?.imageTags).toEqual(['v2']);
    expect(out.imageDetails?.at(-1)?.imageTags).toEqual(['latest']);
    expect(localAws.current.snapshot().registries[0]?.repositories[0]?.images).toHaveLength(4);
  });

  it('answers 404 for a repository that does not exist and 400 for a bad body', async () => {
    const missing = await push({ accountId: CALLER, region: 'us-east-1', repositoryName: 'team/none' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain(
      "repository 'team/none' does not exist",
    );
    const bad = await push({ accountId: CALLER, region: 'us-east-1' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('repositoryName');
  });
});
