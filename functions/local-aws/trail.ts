/**
 * The CloudTrail side of the local world: every ECR signing-configuration write (and the
 * failed attempts) as CloudTrail records it, so LookupEvents can answer who changed a
 * registry. Records follow CloudTrail's event format (eventVersion 1.09).
 */
import { randomUUID } from 'node:crypto';
import type { SigningConfiguration } from '../core/types.js';

/** ECR operations CloudTrail records as management write events and the product looks up. */
export const RECORDED_ECR_OPERATIONS: ReadonlySet<string> = new Set([
  'PutSigningConfiguration',
  'DeleteSigningConfiguration',
]);

export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventTime: Date;
  eventSource: string;
  accountId: string;
  region: string;
  /** The principal's ARN (an assumed-role session or an IAM user). */
  principalArn: string;
  accessKeyId: string;
  requestParameters: Record<string, unknown> | null;
  errorCode: string | null;
  errorMessage: string | null;
}

const ASSUMED_ROLE = /^arn:([\w-]+):sts::([0-9]{12}):assumed-role\/([^/]+)\/(.+)$/;

/** CloudTrail's `userIdentity` for a principal ARN. */
function userIdentity(event: TrailEvent): Record<string, unknown> {
  const session = ASSUMED_ROLE.exec(event.principalArn);
  if (!session) {
    const userName = event.principalArn.split('/').pop() ?? event.principalArn;
    return {
      type: 'IAMUser',
      arn: event.principalArn,
      accountId: event.accountId,
      accessKeyId: event.accessKeyId,
      userName,
    };
  }
  const [, partition, accountId, roleName] = session;
  return {
    type: 'AssumedRole',
    arn: event.principalArn,
    accountId,
    accessKeyId: event.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
        accountId,
        userName: roleName,
      },
    },
  };
}

/** What LookupEvents reports as `Username`: the user name, or the role session name. */
export function trailUsername(event: TrailEvent): string {
  return event.principalArn.split('/').pop() ?? event.principalArn;
}

/** The event as CloudTrail serializes it in `CloudTrailEvent` (and delivers it to EventBridge). */
export function trailRecord(event: TrailEvent): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: userIdentity(event),
    eventTime: event.eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: event.eventSource,
    eventName: event.eventName,
    awsRegion: event.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'local-aws',
    requestParameters: event.requestParameters,
    responseElements: null,
    ...(event.errorCode ? { errorCode: event.errorCode, errorMessage: event.errorMessage ?? '' } : {}),
    requestID: randomUUID(),
    eventID: event.eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: event.accountId,
    eventCategory: 'Management',
  };
}

/**
 * The event as EventBridge delivers it to the default bus of the account and region where
 * the call was made ("AWS API Call via CloudTrail"): what the detector's rule forwards.
 */
export function eventBridgeEvent(event: TrailEvent): Record<string, unknown> {
  const detail = trailRecord(event);
  return {
    version: '0',
    id: event.eventId,
    'detail-type': 'AWS API Call via CloudTrail',
    // ecr.amazonaws.com -> aws.ecr
    source: `aws.${event.eventSource.split('.')[0]}`,
    account: event.accountId,
    time: detail['eventTime'],
    region: event.region,
    resources: [],
    detail,
  };
}

/** A signing-configuration change made by someone other than the caller (a concurrent-change fault). */
export function concurrentChangeEvent(change: {
  principalArn: string;
  signingConfiguration: SigningConfiguration | null;
  accountId: string;
  region: string;
  eventTime: Date;
}): TrailEvent {
  return {
    eventId: randomUUID(),
    eventName:
      change.signingConfiguration === null ? 'DeleteSigningConfiguration' : 'PutSigningConfiguration',
    eventTime: change.eventTime,
    eventSource: 'ecr.amazonaws.com',
    accountId: change.accountId,
    region: change.region,
    principalArn: change.principalArn,
    accessKeyId: 'ASIALOCALCONCURRENT1',
    requestParameters:
      change.signingConfiguration === null ? {} : { signingConfiguration: change.signingConfiguration },
    errorCode: null,
    errorMessage: null,
  };
}

/** The request's parameters as CloudTrail logs them for the ECR signing operations; null for a body that is not a JSON object. */
export function ecrRequestParameters(body: string): Record<string, unknown> | null {
  try {
    const input: unknown = JSON.parse(body === '' ? '{}' : body);
    return input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : null;
  } catch {
    // CloudTrail logs what it could parse; a malformed body is answered by the operation itself.
    return null;
  }
}
