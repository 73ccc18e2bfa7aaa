/**
 * STS (awsQuery, XML): AssumeRole issues credentials that act as the role's account;
 * GetCallerIdentity says who a key belongs to.
 */
import { AwsServiceError } from '../errors.js';
import type { QueryParams, XmlObject } from '../protocols/aws-query.js';
import type { QueryService, ServiceContext } from './service.js';

const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** AssumeRole DurationSeconds: 15 minutes to 12 hours, 1 hour by default. */
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;
const DEFAULT_DURATION_SECONDS = 3600;

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', `1 validation error detected: ${message}`);
}

function required(params: QueryParams, name: string, member: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw validationError(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function assumeRole(params: QueryParams, ctx: ServiceContext): XmlObject {
  const roleArn = required(params, 'RoleArn', 'roleArn');
  const sessionName = required(params, 'RoleSessionName', 'roleSessionName');
  if (!SESSION_NAME.test(sessionName)) {
    throw validationError(
      `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const durationText = params.get('DurationSeconds');
  const durationSeconds = durationText === undefined ? DEFAULT_DURATION_SECONDS : Number(durationText);
  if (
    !Number.isInteger(durationSeconds) ||
    durationSeconds < MIN_DURATION_SECONDS ||
    durationSeconds > MAX_DURATION_SECONDS
  ) {
    throw validationError(
      `Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS}`,
    );
  }
  const m = ROLE_ARN.exec(roleArn);
  if (!m)
    throw validationError(
      `Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a role ARN`,
    );
  const accountId = m[1]!;
  const roleName = m[2]!;
  const suspended = ctx.world.organization?.accounts.some(
    (a) => a.id === accountId && a.status === 'SUSPENDED',
  );
  if (
    !ctx.world.knownAccountIds.has(accountId) ||
    ctx.world.assumeRoleDeniedAccountIds.has(accountId) ||
    suspended
  ) {
    throw new AwsServiceError(
      'AccessDenied',
      `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      { statusCode: 403 },
    );
  }
  const session = ctx.identities.issue({ accountId, roleName, sessionName, durationSeconds, now: ctx.now });
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    },
    AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
  };
}

function getCallerIdentity(_params: QueryParams, ctx: ServiceContext): XmlObject {
  return { UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
}

export const stsService: QueryService = {
  name: 'sts',
  protocol: 'query',
  version: '2011-06-15',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  errors: {
    throttling: { code: 'Throttling', statusCode: 400 },
    serverError: 'InternalFailure',
    accessDenied: { code: 'AccessDenied', statusCode: 403 },
  },
  operations: { AssumeRole: assumeRole, GetCallerIdentity: getCallerIdentity },
};
