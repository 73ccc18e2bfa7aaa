/** Shared by the scan integration tests: a ScanSession against the local endpoint, with fast retries. */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, vi } from 'vitest';
import type { RegistrySnapshot } from '../../../functions/core/types.js';
import type { LocalAws } from '../../../functions/local-aws/server.js';
import type { RecordedCall } from '../../../functions/local-aws/state.js';
import { SCAN_DEFAULTS, type ScanConfig, ScanSession } from '../../../functions/scan/scan-session.js';
import type { ScanResult } from '../../../functions/scan/scan-targets.js';

export const HOME_REGION = 'us-east-1';

/** The caller's credentials come from the default chain, as for a user; any key acts as the world's caller. */
export function useCallerEnvironment(): void {
  beforeAll(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSCANTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
}

/** Retries wait 1 ms instead of the SDK's backoff (1 s base for throttling), so fault tests stay fast. */
export const fastRetries = (maxAttempts: number) => new ConfiguredRetryStrategy(maxAttempts, () => 1);

/** A configuration for the endpoint: organization discovery from the root unless overridden. */
export function scanConfig(localAws: LocalAws, overrides: Partial<ScanConfig> = {}): ScanConfig {
  return {
    organization: {},
    regions: [HOME_REGION],
    roleName: SCAN_DEFAULTS.roleName,
    sessionName: SCAN_DEFAULTS.sessionName,
    homeRegion: HOME_REGION,
    endpoint: localAws.url,
    concurrency: 8,
    maxAttempts: 3,
    assumeRoleRatePerSecond: SCAN_DEFAULTS.assumeRoleRatePerSecond,
    requestTimeoutMs: 5_000,
    readRepositoryTags: false,
    retryStrategy: fastRetries,
    ...overrides,
  };
}

/** Runs one scan in its own session and closes it. */
export async function scan(localAws: LocalAws, overrides: Partial<ScanConfig> = {}): Promise<ScanResult> {
  const session = new ScanSession(scanConfig(localAws, overrides));
  try {
    return await session.scan();
  } finally {
    session.close();
  }
}

/** The calls the endpoint answered for one operation. */
export function callsOf(localAws: LocalAws, operation: string): RecordedCall[] {
  return localAws.calls().filter((c) => c.operation === operation);
}

/** `account/region` of each registry or error, in the order given. */
export function keys(items: readonly { accountId: string; region: string }[]): string[] {
  return items.map((r) => `${r.accountId}/${r.region}`);
}

/** What a registry in a world and the same registry read back must share. */
export function essentials(r: RegistrySnapshot) {
  return {
    accountId: r.accountId,
    region: r.region,
    signingConfiguration: r.signingConfiguration,
    repositories: r.repositories,
  };
}
