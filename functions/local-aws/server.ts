/**
 * The local AWS endpoint: an HTTP server on 127.0.0.1 that answers unmodified AWS SDK v3
 * clients (ECR, STS, Organizations, Signer, SNS, CloudTrail) from a world held in memory, with
 * fault injection and /_local/ control endpoints. Nothing listens until startLocalAws is called.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImageSnapshot, Snapshot } from '../core/types.js';
import { CONTROL_PREFIX, controlReply } from './control.js';
import { AwsServiceError } from './errors.js';
import { type FaultDecision, FaultInjector, type FaultSettings, type FaultTarget } from './faults.js';
import { type Caller, IdentityStore, readCredentialScope } from './identity.js';
import { pushImage, pushWorldImages } from './image-push.js';
import type { HttpReply } from './protocols/http-reply.js';
import {
  type Dispatch,
  type RoutedRequest,
  route,
  unknownOperationError,
  unroutableReply,
} from './router.js';
import {
  expiredTokenError,
  MISSING_AUTHENTICATION,
  notAuthorizedMessage,
  type ServiceContext,
  type ServiceDefinition,
} from './services/service.js';
import { imageToSnapshot, LocalAwsState, type PublishedMessage, type RecordedCall } from './state.js';
import {
  concurrentChangeEvent,
  ecrRequestParameters,
  eventBridgeEvent,
  RECORDED_ECR_OPERATIONS,
} from './trail.js';
import { type PushRequest, parseFaultSettings, parsePushRequest, resolveWorld, type World } from './world.js';

export interface LocalAwsOptions {
  world: World;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Told of any failure that is not an AWS answer (a bug); the request gets the service's internal error. Default: stderr. */
  onUnexpectedError?: (error: unknown) => void;
  /** The clock for credential expiry and publish timestamps. */
  now?: () => Date;
}

export interface LocalAws {
  /** e.g. `http://127.0.0.1:4599`: the `endpoint` / AWS_ENDPOINT_URL for every client. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** Restores the world as loaded (registries, topics, faults) and forgets messages and calls. */
  reset(): void;
  /** Replaces the fault rules (validated; throws WorldInvalidError); counters and the PRNG start over. */
  setFaults(faults: FaultSettings): void;
  /** The registries as they are now, in the snapshot format. */
  snapshot(): Snapshot;
  messages(): readonly PublishedMessage[];
  calls(): readonly RecordedCall[];
  /** Pushes an image (as POST /_local/push does); throws PushTargetMissingError for a missing repository. */
  push(request: PushRequest): ImageSnapshot;
}

/** Larger than any request the served operations accept (SNS: 256 KB, form-encoded). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function faultError(
  service: ServiceDefinition,
  fault: NonNullable<FaultDecision['error']>,
  caller: Caller,
  operation: string,
): AwsServiceError {
  const { errors } = service;
  switch (fault.kind) {
    case 'expired-credentials':
      return expiredTokenError(service);
    case 'throttling':
      return new AwsServiceError(errors.throttling.code, 'Rate exceeded', {
        statusCode: errors.throttling.statusCode,
      });
    case 'server-error':
      return new AwsServiceError(errors.serverError, 'We encountered an internal error. Please try again.', {
        statusCode: fault.statusCode ?? 500,
      });
    case 'access-denied':
      return new AwsServiceError(
        errors.accessDenied.code,
        notAuthorizedMessage(caller, `${service.name}:${operation}`),
        {
          statusCode: errors.accessDenied.statusCode,
        },
      );
  }
}

function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const world = resolveWorld(options.world, 'world');
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown) => {
      process.stderr.write(
        `local-aws: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    });
  const state = new LocalAwsState(world);
  const identities = new IdentityStore(world.callerAccountId);
  const faults = new FaultInjector(world.faults);

  pushWorldImages(state, world, now);
  const control = {
    reset(): void {
      state.reset();
      pushWorldImages(state, world, now);
      faults.replace(world.faults);
    },
    setFaults(settings: FaultSettings): void {
      faults.replace(parseFaultSettings(settings, 'faults'));
    },
    faults: () => faults.settings,
    snapshot: () => state.snapshot(),
    messages: (): readonly PublishedMessage[] => state.messages,
    calls: (): readonly RecordedCall[] => state.calls,
    events: () => state.trailEvents.map(eventBridgeEvent),
    push: (request: PushRequest): ImageSnapshot =>
      imageToSnapshot(pushImage(state, world, parsePushRequest(request, 'push'), now())),
  };

  /** Runs the operation unless a fault answers first; an AWS error is returned, not thrown. */
  async function outcome(
    dispatch: Dispatch,
    target: FaultTarget,
    caller: Caller,
  ): Promise<HttpReply | AwsServiceError> {
    if (!dispatch.execute) return unknownOperationError(dispatch);
    const decision = faults.decide(target);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    for (const change of decision.concurrentChanges) {
      // Someone else's write lands a moment before this call is answered.
      state.registry(target.accountId, target.region).signingConfiguration = change.signingConfiguration
        ? structuredClone(change.signingConfiguration)
        : null;
      state.trailEvents.push(
        concurrentChangeEvent({
          ...change,
          accountId: target.accountId,
          region: target.region,
          eventTime: now(),
        }),
      );
    }
    if (decision.error?.kind === 'expired-credentials') identities.expire(caller.accessKeyId, now());
    if (decision.error) return faultError(dispatch.service, decision.error, caller, target.operation);
    const ctx: ServiceContext = { world, state, identities, caller, region: target.region, now: now() };
    try {
      return dispatch.execute(ctx);
    } catch (thrown) {
      if (thrown instanceof AwsServiceError) return thrown;
      onUnexpectedError(thrown);
      return new AwsServiceError(
        dispatch.service.errors.serverError,
        `Internal error in the local AWS endpoint: ${String(thrown)}`,
        { statusCode: 500 },
      );
    }
  }

  /** Credentials, then the operation, then the record of the call: the same for every protocol. */
  async function answer(dispatch: Dispatch, request: RoutedRequest): Promise<HttpReply> {
    const scope = request.scope;
    if (!scope) {
      const { code, statusCode, message } = MISSING_AUTHENTICATION[dispatch.service.protocol];
      return dispatch.errorReply(new AwsServiceError(code, message, { statusCode }));
    }
    const caller = identities.resolve(scope.accessKeyId);
    const target: FaultTarget = {
      service: dispatch.service.name,
      operation: dispatch.operation,
      accountId: caller.accountId,
      region: scope.region,
    };
    const result = identities.isExpired(scope.accessKeyId, now())
      ? expiredTokenError(dispatch.service)
      : await outcome(dispatch, target, caller);
    const failed = result instanceof AwsServiceError;
    const reply = failed ? dispatch.errorReply(result) : result;
    state.calls.push({ ...target, statusCode: reply.statusCode, errorCode: failed ? result.code : null });
    // A request whose credentials had expired never reached ECR: CloudTrail has no event of it.
    const authenticated = !(failed && result.code === expiredTokenError(dispatch.service).code);
    if (authenticated && dispatch.service.name === 'ecr' && RECORDED_ECR_OPERATIONS.has(dispatch.operation)) {
      state.trailEvents.push({
        eventId: randomUUID(),
        eventName: dispatch.operation,
        eventTime: now(),
        eventSource: 'ecr.amazonaws.com',
        accountId: caller.accountId,
        region: scope.region,
        principalArn: caller.arn,
        accessKeyId: caller.accessKeyId,
        requestParameters: ecrRequestParameters(request.body),
        errorCode: failed ? result.code : null,
        errorMessage: failed ? result.message : null,
      });
    }
    return reply;
  }

  async function handle(req: IncomingMessage): Promise<HttpReply> {
    const url = new URL(req.url ?? '/', 'http://local-aws');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body === null) {
      return { statusCode: 413, headers: { 'content-type': 'text/plain' }, body: 'Request body too large' };
    }
    if (url.pathname.startsWith(CONTROL_PREFIX)) return controlReply(method, url.pathname, body, control);
    const request: RoutedRequest = {
      method,
      url,
      headers: req.headers,
      body,
      scope: readCredentialScope(req.headers, url),
      requestId: randomUUID(),
    };
    const dispatch = route(request);
    return dispatch ? answer(dispatch, request) : unroutableReply(request);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req).then(
      (reply) => {
        res.writeHead(reply.statusCode, reply.headers);
        res.end(reply.body);
      },
      (error: unknown) => {
        onUnexpectedError(error);
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`local AWS endpoint failed: ${String(error)}`);
      },
    );
  });
  const address = await listenOn(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;

  return {
    url,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would hold close() open.
        server.closeAllConnections();
      }),
    reset: control.reset,
    setFaults: control.setFaults,
    snapshot: control.snapshot,
    messages: control.messages,
    calls: control.calls,
    push: control.push,
  };
}
