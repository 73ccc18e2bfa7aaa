import { ECRClient, PutSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { runDetector } from '../../../functions/run/detector.js';
import { clientConfig } from '../local-aws/helpers.js';
import { runConfig, temporaryFileStore, useCallerCredentials, useExampleWorld } from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const RELEASE = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing';

/** The messages published so far whose body tells the management account's us-east-1 registry. */
function managementBodies(): string[] {
  return localAws.current
    .messages()
    .filter((m) => m.messageAttributes['accountId']?.StringValue === '111111111111')
    .filter((m) => m.messageAttributes['region']?.StringValue === 'us-east-1')
    .map((m) => m.message);
}

describe('image signing alerts', () => {
  it('tells a failed signing once, with repository, digest, tag and reason, and its resolution when a later image is signed', async () => {
    const store = await temporaryFileStore();
    const run = async (runId: string) =>
      runDetector(await runConfig(localAws.current, { runId, store, regions: ['us-east-1'] }));
    const failed = localAws.current
      .snapshot()
      .registries.find((r) => r.accountId === '111111111111' && r.region === 'us-east-1')
      ?.repositories.find((r) => r.repositoryName === 'platform/tools')?.images?.[0];
    expect(failed?.signingStatuses?.some((s) => s.status === 'FAILED')).toBe(true);

    await run('run-1');
    const first = managementBodies();
    expect(first).toHaveLength(1);
    expect(first[0]).toContain('finding.opened');
    expect(first[0]).toContain('no-failed-signing');
    expect(first[0]).toContain('platform/tools');
    expect(first[0]).toContain(failed!.imageDigest);
    expect(first[0]).toContain('v2.4.0');
    expect(first[0]).toContain('SigningProfileRevoked');

    await run('run-2');
    expect(managementBodies()).toHaveLength(1);

    // The team drops the revoked profile and pushes again: the new image is signed.
    await new ECRClient(clientConfig(localAws.current)).send(
      new PutSigningConfigurationCommand({
        signingConfiguration: {
          rules: [
            {
              signingProfileArn: RELEASE,
              repositoryFilters: [
                { filter: '*prod*', filterType: 'WILDCARD_MATCH' },
                { filter: 'platform/*', filterType: 'WILDCARD_MATCH' },
              ],
            },
          ],
        },
      }),
    );
    localAws.current.push({
      accountId: '111111111111',
      region: 'us-east-1',
      repositoryName: 'platform/tools',
      imageTags: ['v2.4.1'],
    });
    await run('run-3');
    const bodies = managementBodies();
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toContain('finding.resolved');
    expect(bodies[1]).toContain('no-failed-signing');
  });
});
