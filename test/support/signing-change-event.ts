/** EventBridge's CloudTrail events for signing-configuration writes, as tests send them. */

/** The event as EventBridge delivers it (fields CloudTrail adds beyond these are allowed). */
export function signingChange(
  overrides: { account?: string; region?: string; detail?: Record<string, unknown> } = {},
) {
  const account = overrides.account ?? '222222222222';
  const region = overrides.region ?? 'us-east-1';
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ecr',
    account,
    time: '2026-12-03T10:00:00Z',
    region,
    resources: [],
    detail: {
      eventVersion: '1.10',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/admin/alice` },
      eventTime: '2026-12-03T10:00:00Z',
      eventSource: 'ecr.amazonaws.com',
      eventName: 'PutSigningConfiguration',
      awsRegion: region,
      recipientAccountId: account,
      eventID: 'e1',
      ...overrides.detail,
    },
  };
}
