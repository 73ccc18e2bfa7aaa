import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  ECRClient,
  GetSigningConfigurationCommand,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAccessRefusal, isExpiredCredentials } from '../../../functions/aws/aws-error.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import { clientConfig, rejectionOf, STATIC_CREDENTIALS } from './helpers.js';

const MEMBER = '222222222222';
const START = new Date('2026-01-01T00:00:00Z');

let clock = START;
let server: LocalAws;
beforeAll(async () => {
  server = await startLocalAws({ world: exampleWorld(), now: () => clock });
});
beforeEach(() => {
  clock = START;
  server.reset();
});
afterAll(() => server.close());

async function assumeMemberRole(): Promise<AwsCredentialIdentity> {
  const out = await new STSClient(clientConfig(server)).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MEMBER}:role/EcrSignDriftReadRole`,
      RoleSessionName: 'expiry',
      DurationSeconds: 900,
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** One read-only call per service served, made with the given credentials. */
function callEachService(credentials: AwsCredentialIdentity): Record<string, Promise<unknown>> {
  const config = clientConfig(server, { credentials });
  return {
    ecr: new ECRClient(config).send(new GetSigningConfigurationCommand({})),
    sts: new STSClient(config).send(new GetCallerIdentityCommand({})),
    organizations: new OrganizationsClient(config).send(new DescribeOrganizationCommand({})),
    signer: new SignerClient(config).send(new GetSigningProfileCommand({ profileName: 'ecr_signing' })),
    cloudtrail: new CloudTrailClient(config).send(new LookupEventsCommand({})),
    sns: new SNSClient(config).send(new ListTopicsCommand({})),
  };
}

async function failures(credentials: AwsCredentialIdentity) {
  const calls = Object.entries(callEachService(credentials));
  const errors = await Promise.all(calls.map(([, call]) => rejectionOf(call)));
  return Object.fromEntries(
    calls.map(([service], i) => {
      const error = errors[i]!;
      const answer = {
        name: error.name,
        status: error.$metadata.httpStatusCode,
        refusal: isAccessRefusal(error),
      };
      return [service, answer];
    }),
  );
}

const EXPIRED_EVERYWHERE = {
  ecr: { name: 'ExpiredTokenException', status: 400, refusal: false },
  sts: { name: 'ExpiredTokenException', status: 400, refusal: false },
  organizations: { name: 'ExpiredTokenException', status: 400, refusal: false },
  signer: { name: 'ExpiredTokenException', status: 400, refusal: false },
  cloudtrail: { name: 'ExpiredTokenException', status: 400, refusal: false },
  sns: { name: 'ExpiredToken', status: 400, refusal: false },
};

describe('expired role credentials', () => {
  it('are answered with HTTP 400 ExpiredTokenException (ExpiredToken in SNS) by every service, never as a refusal', async () => {
    const credentials = await assumeMemberRole();
    clock = new Date(START.getTime() + 900_000);
    expect(await failures(credentials)).toEqual(EXPIRED_EVERYWHERE);
  });

  it('leave no CloudTrail event of a write they were refused for', async () => {
    const stale = await assumeMemberRole();
    clock = new Date(START.getTime() + 900_000);
    const put = new PutSigningConfigurationCommand({ signingConfiguration: { rules: [] } });
    const error = await rejectionOf(new ECRClient(clientConfig(server, { credentials: stale })).send(put));
    expect(error.name).toBe('ExpiredTokenException');
    const fresh = await assumeMemberRole();
    const events = await new CloudTrailClient(clientConfig(server, { credentials: fresh })).send(
      new LookupEventsCommand({}),
    );
    expect(events.Events).toEqual([]);
  });

  it('are told apart from an AccessDenied refusal by the product', async () => {
    server.setFaults({ rules: [{ service: 'ecr', error: 'access-denied' }] });
    const denied = await rejectionOf(
      new ECRClient(clientConfig(server)).send(new GetSigningConfigurationCommand({})),
    );
    expect([isAccessRefusal(denied), isExpiredCredentials(denied)]).toEqual([true, false]);
  });
});

describe('the expired-credentials fault', () => {
  it("expires the caller's role session at the matching call, so every later call with it is expired too", async () => {
    const credentials = await assumeMemberRole();
    server.setFaults({
      rules: [
        { service: 'ecr', operation: 'GetSigningConfiguration', error: 'expired-credentials', count: 1 },
      ],
    });
    const ecr = new ECRClient(clientConfig(server, { credentials }));
    const first = await rejectionOf(ecr.send(new GetSigningConfigurationCommand({})));
    expect([first.name, first.$metadata.httpStatusCode]).toEqual(['ExpiredTokenException', 400]);
    // The rule's count is spent, yet the session stays expired, as a revoked session does.
    expect(await failures(credentials)).toEqual(EXPIRED_EVERYWHERE);
  });

  it('leaves new role credentials for the same account working', async () => {
    server.setFaults({ rules: [{ service: 'ecr', error: 'expired-credentials', count: 1 }] });
    const stale = await assumeMemberRole();
    await rejectionOf(
      new ECRClient(clientConfig(server, { credentials: stale })).send(
        new GetSigningConfigurationCommand({}),
      ),
    );
    const fresh = await assumeMemberRole();
    const out = await new ECRClient(clientConfig(server, { credentials: fresh })).send(
      new GetSigningConfigurationCommand({}),
    );
    expect(out.registryId).toBe(MEMBER);
  });

  it('answers a key that is not a role session once and lets its next call through', async () => {
    server.setFaults({ rules: [{ service: 'sts', error: 'expired-credentials', count: 1 }] });
    const sts = new STSClient(clientConfig(server, { credentials: STATIC_CREDENTIALS }));
    const error = await rejectionOf(sts.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('ExpiredTokenException');
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: '111111111111',
    });
  });
});
