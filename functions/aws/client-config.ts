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
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';

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
  requestHandler: NodeHttpHandler;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
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

/** Builds client configurations that share one HTTP handler. */
export class ClientConfigFactory {
  readonly #settings: SharedClientSettings;
  readonly #handler: NodeHttpHandler;

  constructor(settings: SharedClientSettings) {
    this.#settings = settings;
    this.#handler = timedHttpHandler(settings.requestTimeoutMs, settings.maxSockets);
  }

  /** Config for a client in `region`; without credentials the caller's own are used. */
  forRegion(region: string, credentials?: AwsCredentialIdentityProvider): ClientConfigBase {
    const { profile, endpoint, maxAttempts, retryStrategy } = this.#settings;
    const identity = credentials ?? this.#settings.credentials;
    return {
      region,
      maxAttempts,
      ...(retryStrategy ? { retryStrategy: retryStrategy(maxAttempts) } : { retryMode: 'adaptive' as const }),
      requestHandler: this.#handler,
      ...(endpoint ? { endpoint } : {}),
      ...(identity ? { credentials: identity } : profile ? { profile } : {}),
    };
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
