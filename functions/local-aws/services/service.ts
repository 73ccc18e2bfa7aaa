/**
 * What a service module provides to the server: its protocol, its operations and the
 * error codes it answers faults and unauthenticated requests with.
 */
import { AwsServiceError } from '../errors.js';
import type { Caller, IdentityStore } from '../identity.js';
import type { JsonObject } from '../protocols/aws-json.js';
import type { QueryParams, XmlObject } from '../protocols/aws-query.js';
import type { LocalAwsState } from '../state.js';
import type { ResolvedWorld } from '../world.js';

/** SigV4 signing names of the services served. */
export const SERVICE_NAMES = [
  'ecr',
  'sts',
  'sns',
  'organizations',
  'signer',
  'cloudtrail',
  'tagging',
  'securityhub',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceContext {
  world: ResolvedWorld;
  state: LocalAwsState;
  identities: IdentityStore;
  caller: Caller;
  /** The region of the request's credential scope. */
  region: string;
  now: Date;
}

export interface ErrorCode {
  code: string;
  statusCode: number;
}

/** The codes a service really uses for injected faults, so the SDK classifies them (throttling is retried as throttling). */
export interface ServiceErrorCodes {
  throttling: ErrorCode;
  /** Status comes from the fault (500 by default). */
  serverError: string;
  accessDenied: ErrorCode;
  /** The code for an expired security token (HTTP 400); default `ExpiredTokenException`. */
  expiredToken?: string;
}

/** What every service answers a request signed with expired credentials, as AWS does (HTTP 400, not 403). */
export function expiredTokenError(service: ServiceDefinition): AwsServiceError {
  return new AwsServiceError(
    service.errors.expiredToken ?? 'ExpiredTokenException',
    'The security token included in the request is expired',
  );
}

/** What each protocol answers a request that carries no SigV4 credentials. */
export const MISSING_AUTHENTICATION: Readonly<
  Record<ServiceDefinition['protocol'], ErrorCode & { message: string }>
> = {
  json: {
    code: 'MissingAuthenticationTokenException',
    statusCode: 400,
    message: 'Missing Authentication Token',
  },
  query: {
    code: 'MissingAuthenticationToken',
    statusCode: 403,
    message: 'Request is missing Authentication Token',
  },
  'rest-json': {
    code: 'MissingAuthenticationTokenException',
    statusCode: 403,
    message: 'Missing Authentication Token',
  },
};

interface ServiceBase {
  name: ServiceName;
  errors: ServiceErrorCodes;
}

export type JsonOperation = (input: JsonObject, ctx: ServiceContext) => JsonObject;

export interface JsonService extends ServiceBase {
  protocol: 'json';
  targetPrefix: string;
  /** Other prefixes the service answers under (where SDKs disagree on the X-Amz-Target prefix). */
  targetPrefixAliases?: readonly string[];
  /** Casing of the error message member in the service's model. */
  messageKey: 'message' | 'Message';
  operations: Readonly<Record<string, JsonOperation>>;
}

export type QueryOperation = (params: QueryParams, ctx: ServiceContext) => XmlObject;

export interface QueryService extends ServiceBase {
  protocol: 'query';
  version: string;
  xmlNamespace: string;
  operations: Readonly<Record<string, QueryOperation>>;
}

export interface RestJsonRequest {
  pathParams: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The JSON body (empty: `{}`). */
  body: JsonObject;
}

export interface RestJsonRoute {
  method: string;
  /** Named groups become `pathParams`. */
  path: RegExp;
  operation: string;
  handle(request: RestJsonRequest, ctx: ServiceContext): JsonObject;
}

export interface RestJsonService extends ServiceBase {
  protocol: 'rest-json';
  routes: readonly RestJsonRoute[];
}

export type ServiceDefinition = JsonService | QueryService | RestJsonService;

/** The words IAM uses when no policy allows an action. */
export function notAuthorizedMessage(caller: Caller, action: string): string {
  return `User: ${caller.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
}
