/**
 * The client settings every adapter shares, so a run builds each kind of client the
 * same way: bounded adaptive retries (or an injected strategy), one keep-alive HTTP
 * handler for all clients (sockets are reused across accounts), and the caller's
 * profile or credentials.
 * Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> through the SDK
 * itself unless an explicit endpoint is given.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpHandlerOptions,
  RetryStrategyV2,
} from '@smithy/types';

/**
 * Builds one client's retry strategy for `maxAttempts` total attempts. One per client,
 * because a strategy keeps per-client state (adaptive mode's sending rate).
 */
export type RetryStrategyFactory = (maxAttempts: number) => RetryStrategyV2;

export interface SharedClientSettings {
  /** The region for clients that are not tied to a target's region (STS, Organizations). */
  region: string;
  /** A named profile from the shared config files (`--profile`). */
  profile?: string;
  /** The caller's credentials; default: `profile`, or the SDK's default chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** An explicit endpoint for every service (tests); otherwise the SDK's own resolution. */
  endpoint?: string;
  /** Total attempts per call, including the first. */
  maxAttempts: number;
  /** Replaces the SDK's adaptive retry mode (tests: a short backoff instead of the 1 s throttling base). */
  retryStrategy?: RetryStrategyFactory;
  /** Per-request socket timeout in milliseconds. */
  requestTimeoutMs: number;
  /** Sockets kept open per host. */
  maxSockets: number;
}

export interface ClientConfigBase {
  region: string;
  profile?: string;
  endpoint?: string;
  maxAttempts: number;
  /** Adaptive unless a retry strategy is injected. */
  retryMode?: 'adaptive';
  retryStrategy?: RetryStrategyV2;
  requestHandler: NodeHttpHandler | AbortingHttpHandler;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Settings every service reads the same way (see ClientConfigFactory's `#environment`). */
  useFipsEndpoint?: EnvironmentSettings['useFipsEndpoint'];
  useDualstackEndpoint?: EnvironmentSettings['useDualstackEndpoint'];
  userAgentAppId?: EnvironmentSettings['userAgentAppId'];
  authSchemePreference?: EnvironmentSettings['authSchemePreference'];
  /**
   * Each command's middleware is resolved once per client instead of on every call (about a
   * fifth of a call's CPU). The SDK only uses the cache for calls sent without options, so
   * an abort signal is given through the client's handler (`forRegion`'s `abortSignal`).
   */
  cacheMiddleware: true;
}

/**
 * The shared handler with a fixed abort signal for every request it carries: a client made
 * for one target aborts all its calls when the target is given up, without per-call options.
 * It never destroys the shared handler (other clients still use it).
 */
export class AbortingHttpHandler {
  readonly #handler: NodeHttpHandler;
  readonly #abortSignal: AbortSignal;

  constructor(handler: NodeHttpHandler, abortSignal: AbortSignal) {
    this.#handler = handler;
    this.#abortSignal = abortSignal;
  }

  get metadata(): NodeHttpHandler['metadata'] {
    return this.#handler.metadata;
  }

  handle(
    ...[request, options]: Parameters<NodeHttpHandler['handle']>
  ): ReturnType<NodeHttpHandler['handle']> {
    const withSignal: HttpHandlerOptions = {
      ...options,
      abortSignal: options?.abortSignal ?? this.#abortSignal,
    };
    return this.#handler.handle(request, withSignal);
  }

  updateHttpClientConfig(...args: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.#handler.updateHttpClientConfig(...args);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.#handler.httpHandlerConfigs();
  }

  destroy(): void {}
}

/**
 * An HTTP handler whose request timeout throws (a TimeoutError the SDK retries and then
 * reports), with keep-alive sockets; for clients built outside a ClientConfigFactory too.
 */
export function timedHttpHandler(requestTimeoutMs: number, maxSockets = 50): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    requestTimeout: requestTimeoutMs,
    // Without it the handler only logs a warning and the call waits on: the timeout must hold.
    throwOnRequestTimeout: true,
    connectionTimeout: Math.min(requestTimeoutMs, 10_000),
  });
}

/** What a client looks up in the environment and the shared config files, the same for every service. */
type EnvironmentSettings = Pick<
  STSClient['config'],
  'useFipsEndpoint' | 'useDualstackEndpoint' | 'userAgentAppId' | 'authSchemePreference'
>;

/** Builds client configurations that share one HTTP handler. */
export class ClientConfigFactory {
  readonly #settings: SharedClientSettings;
  readonly #handler: NodeHttpHandler;
  #environmentSettings: EnvironmentSettings | undefined;

  constructor(settings: SharedClientSettings) {
    this.#settings = settings;
    this.#handler = timedHttpHandler(settings.requestTimeoutMs, settings.maxSockets);
  }

  /**
   * Config for a client in `region`; without credentials the caller's own are used. With an
   * abort signal, every call of the client is aborted when it fires.
   */
  forRegion(
    region: string,
    credentials?: AwsCredentialIdentityProvider,
    options: { abortSignal?: AbortSignal } = {},
  ): ClientConfigBase {
    const { profile, endpoint, maxAttempts, retryStrategy } = this.#settings;
    const identity = credentials ?? this.#settings.credentials;
    return {
      region,
      maxAttempts,
      ...(retryStrategy ? { retryStrategy: retryStrategy(maxAttempts) } : { retryMode: 'adaptive' as const }),
      requestHandler: options.abortSignal
        ? new AbortingHttpHandler(this.#handler, options.abortSignal)
        : this.#handler,
      cacheMiddleware: true,
      ...this.#environment(),
      ...(endpoint ? { endpoint } : {}),
      ...(identity ? { credentials: identity } : profile ? { profile } : {}),
    };
  }

  /**
   * The environment settings of one client, shared by all: each client would otherwise look
   * every one up in the environment and the shared config files again (a scan makes two
   * clients per target, and each lookup that finds nothing throws and catches an error).
   * The providers are the SDK's own, memoized: the first call resolves them once per run.
   */
  #environment(): EnvironmentSettings {
    if (!this.#environmentSettings) {
      const { profile } = this.#settings;
      const { useFipsEndpoint, useDualstackEndpoint, userAgentAppId, authSchemePreference } = new STSClient({
        region: this.#settings.region,
        requestHandler: this.#handler,
        ...(profile ? { profile } : {}),
      }).config;
      this.#environmentSettings = {
        useFipsEndpoint,
        useDualstackEndpoint,
        userAgentAppId,
        authSchemePreference,
      };
    }
    return this.#environmentSettings;
  }

  /** Config for the caller's own clients in the home region. */
  home(): ClientConfigBase {
    return this.forRegion(this.#settings.region);
  }

  /** Closes the shared sockets at the end of a run. */
  destroy(): void {
    this.#handler.destroy();
  }
}
