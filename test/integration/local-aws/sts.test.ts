import {
  ECRClient,
  GetSigningConfigurationCommand,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import { CALLER, clientConfig, PROFILE_ARN, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const MEMBER = '222233334444';
const DENIED = '333344445555';

const world = worldWith(
  [
    { accountId: CALLER, region: 'us-east-1', signingConfiguration: null, repositories: [] },
    { accountId: MEMBER, region: 'us-east-1', signingConfiguration: { rules: [] }, repositories: [] },
    { accountId: DENIED, region: 'us-east-1', signingConfiguration: null, repositories: [] },
  ],
  { assumeRoleDeniedAccountIds: [DENIED] },
);
const localAws = useLocalAws(world);

function sts(credentials?: AwsCredentialIdentity): STSClient {
  return new STSClient(clientConfig(localAws.current, credentials ? { credentials } : {}));
}

async function assumeRole(accountId: string): Promise<AwsCredentialIdentity> {
  const out = await sts().send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/ecr-sign-drift-scan`,
      RoleSessionName: 'test',
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('STS identity', () => {
  it('reports the world caller account for credentials it did not issue', async () => {
    const out = await sts().send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(CALLER);
    expect(out.Arn).toBe(`arn:aws:iam::${CALLER}:user/local-aws`);
  });

  it('issues AssumeRole credentials that act as the role account', async () => {
    const out = await sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MEMBER}:role/scan`,
        RoleSessionName: 'drift',
        DurationSeconds: 900,
      }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/scan/drift`);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    const expiresInMs = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(expiresInMs).toBeGreaterThan(890_000);
    expect(expiresInMs).toBeLessThanOrEqual(900_000);
    const credentials = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const who = await sts(credentials).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: MEMBER, Arn: `arn:aws:sts::${MEMBER}:assumed-role/scan/drift` });
  });

  it('keeps signing configuration separate per account', async () => {
    const member = await assumeRole(MEMBER);
    const memberEcr = new ECRClient(clientConfig(localAws.current, { credentials: member }));
    const signingConfiguration = { rules: [{ signingProfileArn: PROFILE_ARN }] };
    await memberEcr.send(new PutSigningConfigurationCommand({ signingConfiguration }));
    expect((await memberEcr.send(new GetSigningConfigurationCommand({}))).registryId).toBe(MEMBER);
    const callerEcr = new ECRClient(clientConfig(localAws.current));
    const error = await rejectionOf(callerEcr.send(new GetSigningConfigurationCommand({})));
    expect(error.name).toBe('SigningConfigurationNotFoundException');
  });

  it('denies AssumeRole into an account listed as denied with AccessDenied (403)', async () => {
    const error = await rejectionOf(assumeRole(DENIED));
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toContain(`arn:aws:iam::${DENIED}:role/ecr-sign-drift-scan`);
  });

  it('denies AssumeRole into an account the world does not know', async () => {
    const error = await rejectionOf(assumeRole('999999999999'));
    expect(error.name).toBe('AccessDenied');
  });

  it('rejects AssumeRole without a RoleSessionName with ValidationError', async () => {
    const error = await rejectionOf(
      sts().send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/scan`, RoleSessionName: undefined }),
      ),
    );
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain("'roleSessionName'");
  });

  it('rejects a RoleArn that is not an IAM role ARN with ValidationError', async () => {
    const error = await rejectionOf(
      sts().send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:user/someone`, RoleSessionName: 'x1' }),
      ),
    );
    expect(error.name).toBe('ValidationError');
  });
});

describe('STS credential expiry', () => {
  let clock = new Date('2026-01-01T00:00:00Z');
  let server: LocalAws;
  beforeAll(async () => {
    server = await startLocalAws({ world, now: () => clock });
  });
  afterAll(() => server.close());

  it('rejects assumed credentials after they expire with ExpiredTokenException', async () => {
    const out = await new STSClient(clientConfig(server)).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MEMBER}:role/scan`,
        RoleSessionName: 'drift',
        DurationSeconds: 900,
      }),
    );
    expect(out.Credentials?.Expiration).toEqual(new Date('2026-01-01T00:15:00Z'));
    const credentials = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const ecr = new ECRClient(clientConfig(server, { credentials }));
    await expect(ecr.send(new GetSigningConfigurationCommand({}))).resolves.toMatchObject({
      registryId: MEMBER,
    });
    clock = new Date('2026-01-01T00:15:00Z');
    const error = await rejectionOf(ecr.send(new GetSigningConfigurationCommand({})));
    expect(error.name).toBe('ExpiredTokenException');
  });
});
