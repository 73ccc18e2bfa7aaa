/**
 * What the detector was asked to do: a scheduled run (EventBridge Scheduler or a
 * scheduled rule) or a manual invocation, validated with every problem listed.
 */
import type { ErrorObject } from 'ajv';
import type { RemediationMode } from '../config/detector-environment.js';
import { InvalidInputError } from '../core/errors.js';
import {
  describeSchemaError,
  isCloudTrailEvent,
  parseSigningChangeEvent,
  type SigningChangeRequest,
} from '../run/signing-change-event.js';
import { invocationValidator, signingChangeEventValidator } from './invocation-validator.js';

export type { SigningChangeRequest } from '../run/signing-change-event.js';
export { InvalidSigningChangeEventError } from '../run/signing-change-event.js';

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

function describe(error: ErrorObject): string {
  if (error.keyword === 'not')
    return `${error.instancePath || 'payload'}: 'target' and 'toRunId' are only for action rollback`;
  return describeSchemaError(error);
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
  if (isCloudTrailEvent(record)) return parseSigningChangeEvent(record, signingChangeEventValidator());
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
