import {
  ECRClient,
  GetSigningConfigurationCommand,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import { clientConfig, PROFILE_ARN, rejectionOf, useLocalAws } from './helpers.js';

const localAws = useLocalAws(exampleWorld());
const MANAGEMENT = '111111111111';

function ecr(maxAttempts = 1): ECRClient {
  return new ECRClient(clientConfig(localAws.current, { maxAttempts }));
}

/** Outcome of each of `n` GetSigningConfiguration calls: 'ok' or the error name. */
async function outcomes(n: number): Promise<string[]> {
  const client = ecr();
  const results: string[] = [];
  for (let i = 0; i < n; i++) {
    results.push(
      await client.send(new GetSigningConfigurationCommand({})).then(
        () => 'ok',
        (error: Error) => error.name,
      ),
    );
  }
  return results;
}

describe('fault injection', () => {
  it('lets a call succeed after the SDK retries the throttled first attempts', async () => {
    localAws.current.setFaults({
      rules: [{ operation: 'GetSigningConfiguration', error: 'throttling', count: 2 }],
    });
    const out = await ecr(3).send(new GetSigningConfigurationCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    expect(localAws.current.calls().map((c) => c.errorCode)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      null,
    ]);
  });

  it('fails with ThrottlingException when the retries are exhausted', async () => {
    localAws.current.setFaults({ rules: [{ service: 'ecr', error: 'throttling', count: 5 }] });
    const error = await rejectionOf(ecr(3).send(new GetSigningConfigurationCommand({})));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.attempts).toBe(3);
  });

  it("answers each service's own throttling error", async () => {
    localAws.current.setFaults({ rules: [{ error: 'throttling' }] });
    const config = clientConfig(localAws.current);
    const names = await Promise.all(
      [
        new ECRClient(config).send(new GetSigningConfigurationCommand({})),
        new STSClient(config).send(new GetCallerIdentityCommand({})),
        new SNSClient(config).send(new ListTopicsCommand({})),
        new OrganizationsClient(config).send(new ListRootsCommand({})),
        new SignerClient(config).send(new GetSigningProfileCommand({ profileName: 'ecr_signing' })),
      ].map((call) => rejectionOf(call).then((e) => e.name)),
    );
    expect(names).toEqual([
      'ThrottlingException',
      'Throttling',
      'ThrottledException',
      'TooManyRequestsException',
      'TooManyRequestsException',
    ]);
  });

  it('throttles the same calls again for the same seed after a reset of the faults', async () => {
    const faults = { seed: 7, rules: [{ service: 'ecr' as const, error: 'throttling' as const, rate: 0.5 }] };
    localAws.current.setFaults(faults);
    const first = await outcomes(20);
    localAws.current.setFaults(faults);
    const second = await outcomes(20);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'ThrottlingException']));
  });

  it('adds latency to the calls a rule matches and to no others', async () => {
    localAws.current.setFaults({ rules: [{ operation: 'GetSigningConfiguration', latencyMs: 120 }] });
    const client = ecr();
    let started = performance.now();
    await client.send(new GetSigningConfigurationCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    started = performance.now();
    await new STSClient(clientConfig(localAws.current)).send(new GetCallerIdentityCommand({}));
    expect(performance.now() - started).toBeLessThan(115);
  });

  it('answers AccessDeniedException for the account and operation a rule names', async () => {
    localAws.current.setFaults({
      rules: [{ accountId: MANAGEMENT, operation: 'PutSigningConfiguration', error: 'access-denied' }],
    });
    const error = await rejectionOf(
      ecr().send(
        new PutSigningConfigurationCommand({
          signingConfiguration: { rules: [{ signingProfileArn: PROFILE_ARN }] },
        }),
      ),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain('ecr:PutSigningConfiguration');
    await expect(ecr().send(new GetSigningConfigurationCommand({}))).resolves.toBeDefined();
  });

  it('answers a 5xx the SDK retries as a transient error', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'ecr', error: 'server-error', statusCode: 503, count: 1 }],
    });
    const out = await ecr(2).send(new GetSigningConfigurationCommand({}));
    expect(out.$metadata.attempts).toBe(2);
    expect(localAws.current.calls()[0]).toMatchObject({ statusCode: 503, errorCode: 'ServerException' });
  });

  it('sets faults through POST /_local/faults and refuses invalid ones with 400', async () => {
    const url = `${localAws.current.url}/_local/faults`;
    const accepted = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ service: 'ecr', error: 'throttling' }] }),
    });
    expect(accepted.status).toBe(200);
    expect((await rejectionOf(ecr().send(new GetSigningConfigurationCommand({})))).name).toBe(
      'ThrottlingException',
    );
    const refused = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ error: 'explode' }] }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^POST \/_local\/faults: \/rules\/0\/error/,
    );
  });
});

describe('faults from the world file', () => {
  let server: LocalAws;
  beforeAll(async () => {
    const world = exampleWorld();
    world.localAws!.faults = { rules: [{ service: 'sts', error: 'access-denied' }] };
    server = await startLocalAws({ world });
  });
  afterAll(() => server.close());

  it('apply from the start and again after a reset', async () => {
    const sts = new STSClient(clientConfig(server));
    expect((await rejectionOf(sts.send(new GetCallerIdentityCommand({})))).name).toBe('AccessDenied');
    server.setFaults({ rules: [] });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: MANAGEMENT });
    server.reset();
    expect((await rejectionOf(sts.send(new GetCallerIdentityCommand({})))).name).toBe('AccessDenied');
  });
});
