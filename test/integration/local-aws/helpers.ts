/** Shared by the local AWS integration tests: a server per suite and SDK client settings pointed at it. */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import type { World } from '../../../functions/local-aws/world.js';

/** Any key the server did not issue acts as the world's caller account. */
export const STATIC_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIDLOCALTEST',
  secretAccessKey: 'local',
};

export interface ClientOptions {
  region?: string;
  credentials?: AwsCredentialIdentity;
  /** Attempts including the first; retries wait 1 ms so tests stay fast (the SDK's throttling backoff starts at 1 s). */
  maxAttempts?: number;
}

export function clientConfig(localAws: LocalAws, options: ClientOptions = {}) {
  const maxAttempts = options.maxAttempts ?? 1;
  return {
    endpoint: localAws.url,
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? STATIC_CREDENTIALS,
    maxAttempts,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 1),
  };
}

/** Starts one server for the suite, resets it before each test and closes it after the suite. */
export function useLocalAws(world: World): { readonly current: LocalAws } {
  const holder: { current?: LocalAws } = {};
  beforeAll(async () => {
    holder.current = await startLocalAws({ world });
  });
  beforeEach(() => {
    holder.current?.reset();
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return {
    get current(): LocalAws {
      if (!holder.current) throw new Error('the local AWS endpoint is started in beforeAll');
      return holder.current;
    },
  };
}

export interface SdkError extends Error {
  $metadata: { httpStatusCode?: number; attempts?: number };
}

/** The error a call rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A registry-only world: one account (the caller) with the given registries. */
export function worldWith(registries: World['registries'], localAws?: World['localAws']): World {
  return { snapshotVersion: 1, registries, ...(localAws ? { localAws } : {}) };
}

export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.json();
}

export const PROFILE_ARN = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing';
export const CALLER = '111122223333';
