import { ECRClient } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { EcrImages } from '../../../functions/aws/ecr-images.js';
import { CALLER, clientConfig, PROFILE_ARN, rejectionOf, useLocalAws, worldWith } from './helpers.js';

function digest(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`;
}

const NOW = Date.parse('2026-12-03T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

// 1,500 images over two pages, pushed out of order, plus a signature of the newest one.
const images = [
  ...Array.from({ length: 1500 }, (_, i) => ({
    imageDigest: digest(100 + i),
    imageTags: [`b${i}`],
    pushedAt: hoursAgo(1000 + ((i * 7919) % 1500)),
  })),
  {
    imageDigest: digest(2),
    imageTags: ['newest'],
    pushedAt: hoursAgo(1),
    signingStatuses: [{ signingProfileArn: PROFILE_ARN, status: 'COMPLETE' as const }],
  },
  {
    imageDigest: digest(3),
    pushedAt: hoursAgo(0.5),
    artifactMediaType: 'application/vnd.cncf.notary.signature',
    subjectManifestDigest: digest(2),
  },
  { imageDigest: digest(4), imageTags: ['second'], pushedAt: hoursAgo(2) },
];

const localAws = useLocalAws(
  worldWith([
    {
      accountId: CALLER,
      region: 'us-east-1',
      signingConfiguration: { rules: [{ signingProfileArn: PROFILE_ARN }] },
      repositories: [{ repositoryName: 'team/api', images }],
    },
  ]),
);

function adapter(maxAttempts = 1): EcrImages {
  return new EcrImages({ client: new ECRClient(clientConfig(localAws.current, { maxAttempts })) });
}

describe('EcrImages', () => {
  it('lists the newest images first across every page, without signatures and other referrers', async () => {
    const newest = await adapter().newestImages('team/api', { limit: 3, pushedSince: new Date(0) });
    expect(newest.map((i) => i.imageDigest)).toEqual([digest(2), digest(4), digest(100)]);
    expect(newest[0]?.imageTags).toEqual(['newest']);
    expect(newest[2]!.pushedAt.getTime()).toBe(NOW - 1000 * 3_600_000);
  });

  it('leaves out images pushed before the window', async () => {
    const recent = await adapter().newestImages('team/api', {
      limit: 10,
      pushedSince: new Date(NOW - 3 * 3_600_000),
    });
    expect(recent.map((i) => i.imageDigest)).toEqual([digest(2), digest(4)]);
  });

  it('gives no images for a repository deleted since it was listed', async () => {
    expect(await adapter().newestImages('team/gone', { limit: 3, pushedSince: new Date(0) })).toEqual([]);
  });

  it('reads an image signing status per profile', async () => {
    expect(await adapter().signingStatuses('team/api', digest(2))).toEqual([
      { signingProfileArn: PROFILE_ARN, status: 'COMPLETE' },
    ]);
  });

  it('answers null for an image deleted since it was listed (ImageNotFoundException)', async () => {
    expect(await adapter().signingStatuses('team/api', digest(99_999))).toBeNull();
  });

  it('retries a throttled status read', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'ecr', operation: 'DescribeImageSigningStatus', error: 'throttling', count: 1 }],
    });
    expect(await adapter(2).signingStatuses('team/api', digest(2))).toHaveLength(1);
  });

  it('passes AccessDenied on to the caller', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'ecr', operation: 'DescribeImageSigningStatus', error: 'access-denied' }],
    });
    const error = await rejectionOf(adapter().signingStatuses('team/api', digest(2)));
    expect(error.name).toBe('AccessDeniedException');
  });
});
