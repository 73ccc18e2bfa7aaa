import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrySnapshot } from '../../../functions/core/types.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import { SCAN_DEFAULTS, ScanSession } from '../../../functions/scan/scan-session.js';
import { scanTargets } from '../../../functions/scan/scan-targets.js';

/** What the export line of `ecr-sign-drift local-aws` sets, minus the endpoint. */
const ENVIRONMENT = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' };

let localAws: LocalAws;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  localAws = await startLocalAws({ world: exampleWorld() });
  for (const [key, value] of Object.entries({ ...ENVIRONMENT, AWS_ENDPOINT_URL: localAws.url })) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await localAws.close();
});

function scanSession(): ScanSession {
  // No endpoint: the SDK takes it from AWS_ENDPOINT_URL, as a user following the printed hint would.
  return new ScanSession({
    organization: { readAccountTags: true },
    regions: ['us-east-1', 'eu-west-1'],
    roleName: SCAN_DEFAULTS.roleName,
    sessionName: SCAN_DEFAULTS.sessionName,
    homeRegion: 'us-east-1',
    concurrency: 4,
    maxAttempts: 1,
    assumeRoleRatePerSecond: 500,
    requestTimeoutMs: 5000,
    readRepositoryTags: true,
  });
}

function essentials(r: RegistrySnapshot) {
  return {
    accountId: r.accountId,
    region: r.region,
    signingConfiguration: r.signingConfiguration,
    // The world's images are pushed when the endpoint starts: the world file has none.
    repositories: r.repositories.map(({ images: _images, ...repository }) => repository),
  };
}

describe('the scanner against the example world through AWS_ENDPOINT_URL', () => {
  it('reads back every registry it can reach and reports the account whose role is denied', async () => {
    const session = scanSession();
    try {
      const result = await scanTargets(await session.targets(), await session.scanner(), { concurrency: 4 });
      const expected = exampleWorld().registries.filter((r) => r.accountId !== '555555555555');
      expect(result.registries.map(essentials)).toEqual(
        expected
          .map(essentials)
          .sort((a, b) => `${a.accountId}${a.region}`.localeCompare(`${b.accountId}${b.region}`)),
      );
      expect(result.errors.map((e) => [e.accountId, e.region, e.operation, e.errorName])).toEqual([
        ['555555555555', 'eu-west-1', 'AssumeRole', 'AccessDenied'],
        ['555555555555', 'us-east-1', 'AssumeRole', 'AccessDenied'],
      ]);
      const revoked = result.registries.find(
        (r) => r.accountId === '111111111111' && r.region === 'us-east-1',
      );
      expect(revoked?.signingProfiles?.map((p) => [p.profileArn.split('/').pop(), p.status])).toEqual([
        ['ecr_signing_legacy', 'Revoked'],
        ['ecr_release_signing', 'Active'],
      ]);
      expect(
        result.registries.find((r) => r.accountId === '222222222222')?.account?.organizationalUnitNames,
      ).toEqual(['Root', 'Workloads', 'Prod']);
    } finally {
      session.close();
    }
  });
});
