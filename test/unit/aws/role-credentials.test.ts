/** Renewal and failure memory need credentials near expiry and chosen failures: a mocked STS client. */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RoleCredentials } from '../../../functions/aws/role-credentials.js';

const stsMock = mockClient(STSClient);
afterEach(() => {
  stsMock.reset();
});

const ACCOUNT = '222233334444';

function roleCredentials(): RoleCredentials {
  return new RoleCredentials({
    client: new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    roleName: 'ScanRole',
    sessionName: 'test',
  });
}

function credentialsExpiringIn(ms: number) {
  return {
    Credentials: {
      AccessKeyId: `ASIA${Date.now()}`,
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + ms),
    },
  };
}

function awsError(name: string, httpStatusCode: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

describe('RoleCredentials', () => {
  it('shares one AssumeRole among concurrent callers and reuses its credentials later', async () => {
    stsMock.on(AssumeRoleCommand).resolves(credentialsExpiringIn(3_600_000));
    const roles = roleCredentials();
    const first = await Promise.all([roles.credentialsFor(ACCOUNT), roles.credentialsFor(ACCOUNT)]);
    const later = await roles.credentialsFor(ACCOUNT);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(later).toBe(first[0]);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe(
      `arn:aws:iam::${ACCOUNT}:role/ScanRole`,
    );
  });

  it('renews credentials close to expiry once, however many callers ask at the same time', async () => {
    stsMock.on(AssumeRoleCommand).resolves(credentialsExpiringIn(60_000));
    const roles = roleCredentials();
    await roles.credentialsFor(ACCOUNT);
    await Promise.all([
      roles.credentialsFor(ACCOUNT),
      roles.credentialsFor(ACCOUNT),
      roles.credentialsFor(ACCOUNT),
    ]);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('remembers an AccessDenied answer for the rest of the run', async () => {
    stsMock.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 403, 'not authorized'));
    const roles = roleCredentials();
    await expect(roles.credentialsFor(ACCOUNT)).rejects.toThrow('not authorized');
    await expect(roles.credentialsFor(ACCOUNT)).rejects.toThrow('not authorized');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('asks again after a throttling failure', async () => {
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(awsError('Throttling', 400, 'Rate exceeded'))
      .resolves(credentialsExpiringIn(3_600_000));
    const roles = roleCredentials();
    await expect(roles.credentialsFor(ACCOUNT)).rejects.toThrow('Rate exceeded');
    await expect(roles.credentialsFor(ACCOUNT)).resolves.toMatchObject({ accountId: ACCOUNT });
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it.each([
    ['ExpiredTokenException', 400],
    ['ExpiredToken', 403],
  ])(
    "asks again after the caller's own credentials were answered %s (%i), which is no refusal",
    async (name, status) => {
      stsMock
        .on(AssumeRoleCommand)
        .rejectsOnce(awsError(name, status, 'The security token included in the request is expired'))
        .resolves(credentialsExpiringIn(3_600_000));
      const roles = roleCredentials();
      await expect(roles.credentialsFor(ACCOUNT)).rejects.toThrow('expired');
      await expect(roles.credentialsFor(ACCOUNT)).resolves.toMatchObject({ accountId: ACCOUNT });
      expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    },
  );

  it('assumes the role again once after AWS answered its credentials as expired, however many saw them expire', async () => {
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce({
        Credentials: { ...credentialsExpiringIn(3_600_000).Credentials, AccessKeyId: 'ASIAFIRST' },
      })
      .resolves({
        Credentials: { ...credentialsExpiringIn(3_600_000).Credentials, AccessKeyId: 'ASIASECOND' },
      });
    const roles = roleCredentials();
    const expired = await roles.credentialsFor(ACCOUNT);
    roles.forgetExpired(ACCOUNT, expired);
    roles.forgetExpired(ACCOUNT, expired);
    const renewed = await roles.credentialsFor(ACCOUNT);
    // A caller that saw the first credentials expire late does not throw the new ones away.
    roles.forgetExpired(ACCOUNT, expired);
    expect([
      expired.accessKeyId,
      renewed.accessKeyId,
      (await roles.credentialsFor(ACCOUNT)).accessKeyId,
    ]).toEqual(['ASIAFIRST', 'ASIASECOND', 'ASIASECOND']);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('builds role ARNs in the partition it is given', () => {
    const roles = new RoleCredentials({
      roleName: 'ScanRole',
      sessionName: 's',
      partition: 'aws-us-gov',
      client: new STSClient({ region: 'us-gov-west-1' }),
    });
    expect(roles.roleArn(ACCOUNT)).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:role/ScanRole`);
  });
});
