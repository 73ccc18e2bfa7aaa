/**
 * CloudTrail event history on the local endpoint, through the real CloudTrail client: ECR
 * signing writes (and failed attempts) are recorded per account and region, and LookupEvents
 * keeps the model's constraints, errors and pagination.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DeleteSigningConfigurationCommand,
  ECRClient,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { SigningChangeHistory } from '../../../functions/aws/signing-change-history.js';
import { CALLER, clientConfig, PROFILE_ARN, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const MEMBER = '222233334444';
const localAws = useLocalAws(
  worldWith([
    { accountId: CALLER, region: 'us-east-1', signingConfiguration: null, repositories: [] },
    { accountId: MEMBER, region: 'us-east-1', signingConfiguration: null, repositories: [] },
  ]),
);
const CONFIGURATION = { rules: [{ signingProfileArn: PROFILE_ARN }] };

async function memberCredentials(): Promise<AwsCredentialIdentity> {
  const out = await new STSClient(clientConfig(localAws.current)).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/platform-admin`, RoleSessionName: 'bob' }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

function cloudTrail(
  options: { credentials?: AwsCredentialIdentity; region?: string } = {},
): CloudTrailClient {
  return new CloudTrailClient(clientConfig(localAws.current, options));
}

function ecr(options: { credentials?: AwsCredentialIdentity; region?: string } = {}): ECRClient {
  return new ECRClient(clientConfig(localAws.current, options));
}

describe('CloudTrail LookupEvents', () => {
  it('records who wrote a signing configuration, what they wrote, and the failed attempts', async () => {
    const credentials = await memberCredentials();
    await ecr({ credentials }).send(
      new PutSigningConfigurationCommand({ signingConfiguration: CONFIGURATION }),
    );
    await rejectionOf(
      ecr({ credentials }).send(
        new PutSigningConfigurationCommand({
          signingConfiguration: { rules: [{ signingProfileArn: PROFILE_ARN, repositoryFilters: [] }] },
        }),
      ),
    );
    await ecr({ credentials }).send(new DeleteSigningConfigurationCommand({}));

    const out = await cloudTrail({ credentials }).send(new LookupEventsCommand({}));

    expect(out.Events?.map((e) => e.EventName)).toEqual([
      'DeleteSigningConfiguration',
      'PutSigningConfiguration',
      'PutSigningConfiguration',
    ]);
    const [, failed, put] = out.Events!.map((e) => ({ ...e, record: JSON.parse(e.CloudTrailEvent!) }));
    expect(put?.Username).toBe('bob');
    expect(put?.EventSource).toBe('ecr.amazonaws.com');
    expect(put?.EventTime).toBeInstanceOf(Date);
    expect(put?.record).toMatchObject({
      eventName: 'PutSigningConfiguration',
      awsRegion: 'us-east-1',
      recipientAccountId: MEMBER,
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${MEMBER}:assumed-role/platform-admin/bob`,
        sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${MEMBER}:role/platform-admin` } },
      },
      requestParameters: { signingConfiguration: CONFIGURATION },
    });
    expect(put?.record).not.toHaveProperty('errorCode');
    expect(failed?.record.errorCode).toBe('ValidationException');
  });

  it("shows an account only its own region's events", async () => {
    await ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: CONFIGURATION }));

    const own = await cloudTrail().send(new LookupEventsCommand({}));
    const otherRegion = await cloudTrail({ region: 'eu-west-1' }).send(new LookupEventsCommand({}));
    const otherAccount = await cloudTrail({ credentials: await memberCredentials() }).send(
      new LookupEventsCommand({}),
    );

    expect(own.Events).toHaveLength(1);
    expect(otherRegion.Events).toEqual([]);
    expect(otherAccount.Events).toEqual([]);
  });

  it('pages with NextToken and filters by one attribute and the time range', async () => {
    for (let i = 0; i < 3; i++) {
      await ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: CONFIGURATION }));
    }
    await ecr().send(new DeleteSigningConfigurationCommand({}));
    const client = cloudTrail();
    const lookup = {
      LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'PutSigningConfiguration' }],
    };

    const first = await client.send(new LookupEventsCommand({ ...lookup, MaxResults: 2 }));
    const second = await client.send(
      new LookupEventsCommand({ ...lookup, MaxResults: 2, NextToken: first.NextToken }),
    );
    const future = await client.send(new LookupEventsCommand({ StartTime: new Date(Date.now() + 60_000) }));

    expect(first.Events).toHaveLength(2);
    expect(second.Events).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(
      [...first.Events!, ...second.Events!].every((e) => e.EventName === 'PutSigningConfiguration'),
    ).toBe(true);
    expect(future.Events).toEqual([]);
    const other = await rejectionOf(
      client.send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken })),
    );
    expect(other.name).toBe('InvalidNextTokenException');
  });

  it.each([
    [
      'two lookup attributes',
      {
        LookupAttributes: [
          { AttributeKey: 'EventName' as const, AttributeValue: 'a' },
          { AttributeKey: 'Username' as const, AttributeValue: 'b' },
        ],
      },
      'InvalidLookupAttributesException',
    ],
    ['MaxResults over 50', { MaxResults: 51 }, 'InvalidMaxResultsException'],
    [
      'a start after the end',
      { StartTime: new Date(2_000_000), EndTime: new Date(1_000_000) },
      'InvalidTimeRangeException',
    ],
    [
      'an end older than 90 days',
      { EndTime: new Date(Date.now() - 91 * 86_400_000) },
      'InvalidTimeRangeException',
    ],
  ])('refuses %s with %s', async (_name, input, code) => {
    const error = await rejectionOf(cloudTrail().send(new LookupEventsCommand(input)));
    expect(error.name).toBe(code);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('SigningChangeHistory', () => {
  it('reads every write in a window through both event names and every page, oldest first', async () => {
    const start = new Date(Math.floor(Date.now() / 1000) * 1000);
    for (let i = 0; i < 60; i++) {
      await ecr().send(new PutSigningConfigurationCommand({ signingConfiguration: CONFIGURATION }));
    }
    await ecr().send(new DeleteSigningConfigurationCommand({}));

    const writes = await new SigningChangeHistory({ client: cloudTrail() }).writesBetween(
      start,
      new Date(Date.now() + 1000),
    );

    expect(writes).toHaveLength(61);
    expect(writes.filter((w) => w.eventName === 'DeleteSigningConfiguration')).toEqual([
      expect.objectContaining({ signingConfiguration: null, errorCode: null }),
    ]);
    expect(writes[0]).toMatchObject({
      eventName: 'PutSigningConfiguration',
      principal: `arn:aws:iam::${CALLER}:user/local-aws`,
      signingConfiguration: CONFIGURATION,
    });
    const times = writes.map((w) => w.eventTime.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
