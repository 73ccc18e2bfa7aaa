/**
 * The run configuration of a Lambda invocation: the function's environment,
 * narrowed by what a manual invocation asks for.
 */
import { timedHttpHandler } from '../aws/client-config.js';
import type { DetectorConfig, RemediationMode } from '../config/detector-environment.js';
import { type Environment, getOptionalString } from '../config/environment.js';
import { ConfigurationError } from '../core/errors.js';
import {
  type AccountMetadataNeeds,
  accountMetadataNeeded,
  NO_ACCOUNT_METADATA,
  type PolicySet,
} from '../core/policy/index.js';
import { DynamoDbDriftStore } from '../records/dynamodb-drift-store.js';
import type { DetectorRunConfig } from '../run/detector.js';
import type { RunTelemetry } from '../run/telemetry.js';
import { SCAN_DEFAULTS, type ScanConfig, ScanSession } from '../scan/scan-session.js';
import type { BundledPolicies } from './bundled-policies.js';
import { checkInvocationScope, checkRegionScope, type InvocationScope } from './invocation-scope.js';

export type { InvocationScope } from './invocation-scope.js';

export function lambdaScanConfig(
  config: DetectorConfig,
  scope: InvocationScope,
  env: Environment,
  readRepositoryTags: boolean,
  accountMetadata: AccountMetadataNeeds = NO_ACCOUNT_METADATA,
): ScanConfig {
  const homeRegion = getOptionalString(env, 'AWS_REGION') ?? 'us-east-1';
  checkRegionScope(config, scope.regions);
  const regions = scope.regions ?? config.regions;
  const accounts = scope.accounts ?? config.accounts;
  return {
    ...(scope.accounts || !config.organization
      ? { accounts: accounts.map((accountId) => ({ accountId })) }
      : { organization: config.organization }),
    regions,
    exclude: { accounts: config.excludeAccounts },
    roleName: config.roleName,
    ...(config.externalId ? { externalId: config.externalId } : {}),
    sessionName: SCAN_DEFAULTS.sessionName,
    homeRegion,
    concurrency: config.concurrency,
    maxAttempts: SCAN_DEFAULTS.maxAttempts,
    assumeRoleRatePerSecond: SCAN_DEFAULTS.assumeRoleRatePerSecond,
    requestTimeoutMs: SCAN_DEFAULTS.requestTimeoutMs,
    readRepositoryTags,
    imageSampling: config.imageSampling,
    accountMetadata,
  };
}

/**
 * Throws OutOfScopeError unless the requested accounts and regions are within the function's
 * scope; with organization discovery, lists the organization first (no role is assumed).
 */
export async function checkRequestedScope(
  config: DetectorConfig,
  scope: InvocationScope,
  env: Environment,
): Promise<void> {
  await checkInvocationScope(config, scope, async () => {
    const session = new ScanSession(lambdaScanConfig(config, {}, env, false));
    const ids: string[] = [];
    try {
      for await (const target of await session.targets()) ids.push(target.accountId);
    } finally {
      session.close();
    }
    return ids;
  });
}

/** The remediation mode a request may use: never more than the function is configured for. */
export function effectiveRemediation(
  configured: RemediationMode,
  requested: RemediationMode | undefined,
): RemediationMode {
  if (!requested) return configured;
  const rank: Record<RemediationMode, number> = { off: 0, plan: 1, apply: 2 };
  if (rank[requested] > rank[configured]) {
    throw new ConfigurationError(
      `remediation '${requested}' exceeds the function's configured mode '${configured}'`,
    );
  }
  return requested;
}

/** Everything a Lambda needs to open a run, from the function's configuration. */
export function lambdaRunConfig(input: {
  config: DetectorConfig;
  runId: string;
  trigger: string;
  scope: InvocationScope;
  remediation: RemediationMode;
  loaded: BundledPolicies;
  /** The policies a request asked for; their findings alone are resolved by this run. */
  policySet?: PolicySet;
  telemetry: RunTelemetry;
  env: Environment;
}): DetectorRunConfig {
  const { config, loaded } = input;
  return {
    runId: input.runId,
    trigger: input.trigger,
    scan: lambdaScanConfig(
      config,
      input.scope,
      input.env,
      loaded.readsRepositoryTags,
      accountMetadataNeeded((input.policySet ?? loaded.policySet).policies),
    ),
    store: new DynamoDbDriftStore({
      tableName: config.tableName,
      retentionDays: config.runHistoryDays,
      clientConfig: { requestHandler: timedHttpHandler(SCAN_DEFAULTS.requestTimeoutMs) },
    }),
    topicArn: config.topicArn,
    securityHub: config.securityHub,
    audit: { policySet: input.policySet ?? loaded.policySet, desired: loaded.desired, strategy: 'merge' },
    remediation: {
      mode: input.remediation,
      accounts: config.remediationAccounts,
      maxPerRun: config.maxRemediations,
    },
    reminderIntervalMs: config.reminderIntervalMs,
    ...(input.policySet ? { evaluatedPolicyIds: input.policySet.policies.map((p) => p.id) } : {}),
    telemetry: input.telemetry,
  };
}
