/**
 * Finds the service and operation a request is for, by protocol: the X-Amz-Target
 * header (awsJson), the form's Action (awsQuery, the credential scope's service
 * choosing between STS and SNS) or the method and path (restJson).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AwsServiceError } from './errors.js';
import type { CredentialScope } from './identity.js';
import { jsonErrorReply, jsonResultReply, parseJsonInput, parseTarget } from './protocols/aws-json.js';
import { parseQueryParams, queryErrorReply, queryResultReply } from './protocols/aws-query.js';
import type { HttpReply } from './protocols/http-reply.js';
import { restJsonErrorReply, restJsonResultReply } from './protocols/rest-json.js';
import { cloudTrailService } from './services/cloudtrail.js';
import { ecrService } from './services/ecr.js';
import { organizationsService } from './services/organizations.js';
import { securityHubService } from './services/securityhub.js';
import type {
  JsonService,
  QueryService,
  RestJsonService,
  ServiceContext,
  ServiceDefinition,
} from './services/service.js';
import { signerService } from './services/signer.js';
import { snsService } from './services/sns.js';
import { stsService } from './services/sts.js';
import { taggingService } from './services/tagging.js';

const JSON_SERVICES: readonly JsonService[] = [
  ecrService,
  organizationsService,
  cloudTrailService,
  taggingService,
];
const QUERY_SERVICES: readonly QueryService[] = [stsService, snsService];
const REST_JSON_SERVICES: readonly RestJsonService[] = [signerService, securityHubService];

/** A routed request: run it (when the operation exists) or answer an error in the service's shape. */
export interface Dispatch {
  service: ServiceDefinition;
  operation: string;
  /** Null when the service has no such operation. */
  execute: ((ctx: ServiceContext) => HttpReply) | null;
  errorReply(error: AwsServiceError): HttpReply;
}

export interface RoutedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  scope: CredentialScope | null;
  requestId: string;
}

/** A request no service claims gets this, in the shape of the protocol it used. */
export function unroutableReply(request: RoutedRequest): HttpReply {
  const error = new AwsServiceError(
    'UnknownOperationException',
    'The local AWS endpoint does not serve this request',
  );
  if (request.headers['x-amz-target']) return jsonErrorReply(error, 'message', request.requestId);
  if (isQueryRequest(request)) {
    const invalidAction = new AwsServiceError(
      'InvalidAction',
      'The action is not valid for any service served here',
    );
    return queryErrorReply(invalidAction, stsService.xmlNamespace, request.requestId);
  }
  return restJsonErrorReply(
    new AwsServiceError(error.code, error.message, { statusCode: 404 }),
    request.requestId,
  );
}

/** Looks only at the table's own keys, so `toString` or `constructor` is never an operation. */
function ownOperation<T>(operations: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(operations, name) ? operations[name] : undefined;
}

function isQueryRequest(request: RoutedRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function routeJson(request: RoutedRequest, target: string): Dispatch | null {
  const parsed = parseTarget(target);
  const service = JSON_SERVICES.find(
    (s) => s.targetPrefix === parsed?.prefix || (s.targetPrefixAliases ?? []).includes(parsed?.prefix ?? ''),
  );
  if (!parsed || !service) return null;
  const operation = ownOperation(service.operations, parsed.operation);
  return {
    service,
    operation: parsed.operation,
    execute: operation
      ? (ctx) => jsonResultReply(operation(parseJsonInput(request.body), ctx), request.requestId)
      : null,
    errorReply: (error) => jsonErrorReply(error, service.messageKey, request.requestId),
  };
}

function routeQuery(request: RoutedRequest): Dispatch | null {
  const params = parseQueryParams(request.body);
  const action = params.get('Action') ?? '';
  const service =
    QUERY_SERVICES.find((s) => s.name === request.scope?.service) ??
    QUERY_SERVICES.find((s) => ownOperation(s.operations, action));
  if (!service) return null;
  const operation = ownOperation(service.operations, action);
  return {
    service,
    operation: action,
    execute: operation
      ? (ctx) => queryResultReply(action, service.xmlNamespace, operation(params, ctx), request.requestId)
      : null,
    errorReply: (error) => queryErrorReply(error, service.xmlNamespace, request.requestId),
  };
}

/** A malformed escape stays as sent, so the operation's own validation answers it (as AWS does) instead of a crash. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    if (error instanceof URIError) return segment;
    throw error;
  }
}

function routeRestJson(request: RoutedRequest): Dispatch | null {
  // Unsigned requests carry no service name: the one whose routes take the path answers them.
  const service =
    REST_JSON_SERVICES.find((s) => s.name === request.scope?.service) ??
    REST_JSON_SERVICES.find((s) =>
      s.routes.some((r) => r.method === request.method && r.path.test(request.url.pathname)),
    );
  if (!service) return null;
  const errorReply = (error: AwsServiceError) => restJsonErrorReply(error, request.requestId);
  for (const route of service.routes) {
    const m = request.method === route.method ? route.path.exec(request.url.pathname) : null;
    if (!m) continue;
    const pathParams = Object.fromEntries(
      Object.entries(m.groups ?? {}).map(([name, value]) => [name, decodePathSegment(value)]),
    );
    return {
      service,
      operation: route.operation,
      execute: (ctx) =>
        restJsonResultReply(
          route.handle(
            { pathParams, query: request.url.searchParams, body: parseJsonInput(request.body) },
            ctx,
          ),
          request.requestId,
        ),
      errorReply,
    };
  }
  return { service, operation: `${request.method} ${request.url.pathname}`, execute: null, errorReply };
}

/** The dispatch for a request, or null when no service served here claims it. */
export function route(request: RoutedRequest): Dispatch | null {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return routeJson(request, target);
  if (isQueryRequest(request)) return routeQuery(request);
  return routeRestJson(request);
}

/** The error a service answers for an operation it does not have. */
export function unknownOperationError(dispatch: Dispatch): AwsServiceError {
  switch (dispatch.service.protocol) {
    case 'query':
      return new AwsServiceError(
        'InvalidAction',
        `Could not find operation ${dispatch.operation} for version ${dispatch.service.version}`,
      );
    case 'json':
      return new AwsServiceError('UnknownOperationException', `Unknown operation ${dispatch.operation}`);
    case 'rest-json':
      return new AwsServiceError('UnknownOperationException', `Unknown operation ${dispatch.operation}`, {
        statusCode: 404,
      });
  }
}
