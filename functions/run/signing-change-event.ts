/**
 * A CloudTrail signing-configuration write as EventBridge delivers it ("AWS API Call via
 * CloudTrail" from aws.ecr): a run of exactly the target it happened in. The Lambda and
 * `run --event` parse it here, with the same schema (signing-change-event.schema.json).
 */
import type { ErrorObject } from 'ajv';
import { InvalidInputError } from '../core/errors.js';

/** A signing-configuration write CloudTrail recorded: a run of exactly that one target. */
export interface SigningChangeRequest {
  kind: 'signing-change';
  target: { accountId: string; region: string };
  eventName: 'PutSigningConfiguration' | 'DeleteSigningConfiguration';
  eventTime?: string;
  principalArn?: string;
  /** Set when the call failed: nothing changed. */
  errorCode?: string;
}

/** Thrown when an EventBridge event claims to be a CloudTrail API call but is not one we handle. */
export class InvalidSigningChangeEventError extends InvalidInputError {
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(`refused event: ${problems.join('; ')}`, options);
    this.name = 'InvalidSigningChangeEventError';
  }
}

/** A compiled validator of the event schema (precompiled in the Lambda bundle). */
export interface EventValidator {
  (event: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** True when the event says it is a CloudTrail API call (then it must parse as one). */
export function isCloudTrailEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>)['detail-type'] === CLOUDTRAIL_DETAIL_TYPE
  );
}

/** The run the event asks for; throws InvalidSigningChangeEventError listing every problem. */
export function parseSigningChangeEvent(event: unknown, validate: EventValidator): SigningChangeRequest {
  if (!validate(event)) {
    throw new InvalidSigningChangeEventError([...new Set((validate.errors ?? []).map(describeSchemaError))]);
  }
  const record = event as Record<string, unknown>;
  const detail = record['detail'] as {
    eventName: SigningChangeRequest['eventName'];
    awsRegion: string;
    recipientAccountId: string;
    eventTime?: string;
    errorCode?: string;
    userIdentity?: { arn?: string };
  };
  // EventBridge delivers in the account and region of the call: both must agree with CloudTrail's.
  if (detail.recipientAccountId !== record['account'] || detail.awsRegion !== record['region']) {
    throw new InvalidSigningChangeEventError([
      `account/region ${String(record['account'])}/${String(record['region'])} differ from the call's ${detail.recipientAccountId}/${detail.awsRegion}`,
    ]);
  }
  return {
    kind: 'signing-change',
    target: { accountId: detail.recipientAccountId, region: detail.awsRegion },
    eventName: detail.eventName,
    ...(detail.eventTime ? { eventTime: detail.eventTime } : {}),
    ...(detail.userIdentity?.arn ? { principalArn: detail.userIdentity.arn } : {}),
    ...(detail.errorCode ? { errorCode: detail.errorCode } : {}),
  };
}

/** One schema error as a person reads it: where, and what is wrong. */
export function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath || 'payload';
  if (error.keyword === 'additionalProperties')
    return `${at}: unknown field '${String(error.params['additionalProperty'])}'`;
  if (error.keyword === 'enum')
    return `${at}: must be one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`;
  if (error.keyword === 'required') return `${at}: '${String(error.params['missingProperty'])}' is required`;
  return `${at}: ${error.message ?? 'is invalid'}`;
}
