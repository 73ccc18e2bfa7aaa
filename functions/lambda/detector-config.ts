/**
 * The run configuration of a Lambda invocation: the function's environment,
 * narrowed by what a manual invocation asks for.
 */
import { timedHttpHandler } from '../aws/client-config.js';
import type { DetectorConfig, RemediationMode } from '../config/detector-environment.js';
import { type Environment, getOptionalString } from '../config/environment.js';
import { ConfigurationError } from '../core/errors.js';
import type { PolicySet } from '../core/policy/index.js';
import { DynamoDbDriftStore } from '../records/dynamodb-drift-store.js';
import type { DetectorRunConfig } from '../run/detector.js';
import type { RunTelemetry } from '../run/telemetry.js';
import { SCAN_DEFAULTS, type ScanConfig } from '../scan/scan-session.js';
import type { BundledPolicies } from './bundled-policies.js';

export interface InvocationScope {
  accounts?: string[];
  regions?: string[];
}

export function lambdaScanConfig(
  config: DetectorConfig,
  scope: InvocationScope,
  env: Environment,
  readRepositoryTags: boolean,
): ScanConfig {
  const homeRegion = getOptionalString(env, 'AWS_REGION') ?? 'us-east-1';
  const regions = scope.regions ?? config.regions;
  const outside = regions.filter((r) => !config.regions.includes(r));
  if (outside.length > 0) {
    throw new ConfigurationError(
      `regions ${outside.join(', ')} are not among the configured regions (${config.regions.join(', ')})`,
    );
  }
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
  };
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
  policySet?: PolicySet;
  telemetry: RunTelemetry;
  env: Environment;
}): DetectorRunConfig {
  const { config, loaded } = input;
  return {
    runId: input.runId,
    trigger: input.trigger,
    scan: lambdaScanConfig(config, input.scope, input.env, loaded.readsRepositoryTags),
    store: new DynamoDbDriftStore({
      tableName: config.tableName,
      retentionDays: config.runHistoryDays,
      clientConfig: { requestHandler: timedHttpHandler(SCAN_DEFAULTS.requestTimeoutMs) },
    }),
    topicArn: config.topicArn,
    audit: { policySet: input.policySet ?? loaded.policySet, desired: loaded.desired, strategy: 'merge' },
    remediation: {
      mode: input.remediation,
      accounts: config.remediationAccounts,
      maxPerRun: config.maxRemediations,
    },
    reminderIntervalMs: config.reminderIntervalMs,
    telemetry: input.telemetry,
  };
}
