/**
 * What the detector was asked to do: a scheduled run (EventBridge Scheduler or a
 * scheduled rule) or a manual invocation, validated with every problem listed.
 */
import type { ErrorObject } from 'ajv';
import type { RemediationMode } from '../config/detector-environment.js';
import { InvalidInputError } from '../core/errors.js';
import { invocationValidator, signingChangeEventValidator } from './invocation-validator.js';

/** Thrown when a manual invocation payload is invalid; the message lists every problem. */
export class InvalidInvocationError extends InvalidInputError {
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(`invalid invocation: ${problems.join('; ')}`, options);
    this.name = 'InvalidInvocationError';
  }
}

export type RunRequest =
  | { kind: 'scheduled'; scheduledTime?: string }
  | {
      kind: 'manual';
      action: 'audit' | 'run' | 'remediate';
      accounts?: string[];
      regions?: string[];
      policies?: string[];
      remediation?: RemediationMode;
    }
  | { kind: 'rollback'; target: { accountId: string; region: string }; toRunId?: string }
  | SigningChangeRequest;

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

const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

function parseSigningChangeEvent(event: Record<string, unknown>): SigningChangeRequest {
  const validate = signingChangeEventValidator();
  if (!validate(event)) {
    throw new InvalidSigningChangeEventError([...new Set((validate.errors ?? []).map(describe))]);
  }
  const detail = event['detail'] as {
    eventName: SigningChangeRequest['eventName'];
    awsRegion: string;
    recipientAccountId: string;
    eventTime?: string;
    errorCode?: string;
    userIdentity?: { arn?: string };
  };
  // EventBridge delivers in the account and region of the call: both must agree with CloudTrail's.
  if (detail.recipientAccountId !== event['account'] || detail.awsRegion !== event['region']) {
    throw new InvalidSigningChangeEventError([
      `account/region ${String(event['account'])}/${String(event['region'])} differ from the call's ${detail.recipientAccountId}/${detail.awsRegion}`,
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

function describe(error: ErrorObject): string {
  const at = error.instancePath || 'payload';
  if (error.keyword === 'additionalProperties')
    return `${at}: unknown field '${String(error.params['additionalProperty'])}'`;
  if (error.keyword === 'enum')
    return `${at}: must be one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`;
  if (error.keyword === 'required') return `${at}: '${String(error.params['missingProperty'])}' is required`;
  if (error.keyword === 'not') return `${at}: 'target' and 'toRunId' are only for action rollback`;
  return `${at}: ${error.message ?? 'is invalid'}`;
}

function isScheduledEvent(event: Record<string, unknown>): boolean {
  // A scheduled rule sends detail-type "Scheduled Event"; our Scheduler schedule sends source "aws.scheduler".
  return (
    event['detail-type'] === 'Scheduled Event' ||
    event['source'] === 'aws.scheduler' ||
    event['source'] === 'aws.events'
  );
}

/** Classifies and validates the Lambda event. */
export function parseInvocation(event: unknown): RunRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidInvocationError(['payload: must be a JSON object']);
  }
  const record = event as Record<string, unknown>;
  if (record['detail-type'] === CLOUDTRAIL_DETAIL_TYPE) return parseSigningChangeEvent(record);
  if (isScheduledEvent(record)) {
    const time = record['scheduledTime'] ?? record['time'];
    return { kind: 'scheduled', ...(typeof time === 'string' ? { scheduledTime: time } : {}) };
  }
  const validate = invocationValidator();
  if (!validate(event)) {
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
    // An array over its limit is one problem, not one per item in it.
    const tooLong = errors.filter((e) => e.keyword === 'maxItems').map((e) => `${e.instancePath}/`);
    const problems = errors
      .filter((e) => !tooLong.some((prefix) => e.instancePath.startsWith(prefix)))
      .map(describe);
    throw new InvalidInvocationError([...new Set(problems)]);
  }
  const payload = event as {
    action: 'audit' | 'run' | 'remediate' | 'rollback';
    accounts?: string[];
    regions?: string[];
    policies?: string[];
    remediation?: RemediationMode;
    target?: string;
    toRunId?: string;
  };
  if (payload.action === 'rollback') {
    const [accountId, region] = payload.target!.split('/') as [string, string];
    return {
      kind: 'rollback',
      target: { accountId, region },
      ...(payload.toRunId ? { toRunId: payload.toRunId } : {}),
    };
  }
  const { action, accounts, regions, policies, remediation } = payload;
  return {
    kind: 'manual',
    action,
    ...(accounts ? { accounts } : {}),
    ...(regions ? { regions } : {}),
    ...(policies ? { policies } : {}),
    ...(remediation ? { remediation } : {}),
  };
}
