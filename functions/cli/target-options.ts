/**
 * The target and access flags shared by `audit`, `snapshot` and `run`, following the
 * AWS CLI's conventions (--profile, --region, --endpoint-url; AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL), turned into a ScanConfig.
 */

import { type Environment, getOptionalString } from '../config/environment.js';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN } from '../core/api-constraints.js';
import { ConfigurationError } from '../core/errors.js';
import { SCAN_DEFAULTS, type ScanConfig, STS_ASSUME_ROLE_LIMIT_PER_SECOND } from '../scan/scan-session.js';

export const targetOptionSpec = {
  accounts: { type: 'string' },
  regions: { type: 'string' },
  org: { type: 'boolean' },
  ou: { type: 'string' },
  'exclude-accounts': { type: 'string' },
  'role-name': { type: 'string' },
  'external-id': { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  concurrency: { type: 'string' },
  'max-attempts': { type: 'string' },
  'assume-role-rate': { type: 'string' },
  'request-timeout': { type: 'string' },
  'target-timeout': { type: 'string' },
} as const;

export const targetOptionsHelp = `Targets:
  --accounts LIST          Comma-separated account ids (default: the caller's own account)
  --org                    Discover ACTIVE accounts from AWS Organizations
  --ou ID                  With --org: only accounts below this organizational unit
  --exclude-accounts LIST  Accounts to leave out
  --regions LIST           Comma-separated regions (default: the home region)

Access:
  --role-name NAME         Role assumed in each account (default ${SCAN_DEFAULTS.roleName})
  --external-id ID         External ID for AssumeRole
  --profile NAME           Named profile for the caller's credentials (AWS_PROFILE)
  --region REGION          Home region for STS and Organizations (AWS_REGION, default us-east-1)
  --endpoint-url URL       Send every AWS call to this endpoint (AWS_ENDPOINT_URL)

Tuning:
  --concurrency N          Targets scanned at once (default ${SCAN_DEFAULTS.concurrency})
  --max-attempts N         Attempts per AWS call, adaptive retries (default ${SCAN_DEFAULTS.maxAttempts})
  --assume-role-rate N     AssumeRole calls per second at most, up to ${STS_ASSUME_ROLE_LIMIT_PER_SECOND} (default ${SCAN_DEFAULTS.assumeRoleRatePerSecond})
  --request-timeout MS     Per-request timeout (default ${SCAN_DEFAULTS.requestTimeoutMs})
  --target-timeout MS      Give up on a registry not read within MS; it is reported as an error
                           (default ${SCAN_DEFAULTS.targetTimeoutMs})`;

export type TargetOptionValues = {
  [K in keyof typeof targetOptionSpec]?: (typeof targetOptionSpec)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInteger(
  flag: string,
  value: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new ConfigurationError(`--${flag} must be a positive integer, got '${value}'`);
  if (n > max) throw new ConfigurationError(`--${flag} must be at most ${max}, got '${value}'`);
  return n;
}

/** Builds the scan configuration; `readRepositoryTags` comes from the loaded policies. */
export function scanConfigFromOptions(
  values: TargetOptionValues,
  env: Environment,
  readRepositoryTags: boolean,
): ScanConfig {
  const homeRegion =
    values.region ??
    getOptionalString(env, 'AWS_REGION') ??
    getOptionalString(env, 'AWS_DEFAULT_REGION') ??
    'us-east-1';
  const regions = values.regions ? list(values.regions) : [homeRegion];
  for (const region of [homeRegion, ...regions]) {
    if (!REGION_PATTERN.test(region))
      throw new ConfigurationError(`'${region}' is not a region name (like us-east-1)`);
  }
  const accounts = list(values.accounts);
  const excluded = list(values['exclude-accounts']);
  for (const id of [...accounts, ...excluded]) {
    if (!ACCOUNT_ID_PATTERN.test(id)) throw new ConfigurationError(`'${id}' is not a 12-digit account id`);
  }
  if (values.ou && !values.org) throw new ConfigurationError('--ou needs --org');
  if (values.org && accounts.length > 0)
    throw new ConfigurationError('use either --accounts or --org, not both');
  const profile = values.profile ?? getOptionalString(env, 'AWS_PROFILE');
  const endpoint = values['endpoint-url'];
  const externalId = values['external-id'];
  return {
    ...(values.org ? { organization: values.ou ? { organizationalUnitId: values.ou } : {} } : {}),
    ...(accounts.length > 0 ? { accounts: accounts.map((accountId) => ({ accountId })) } : {}),
    regions,
    exclude: { accounts: excluded },
    roleName: values['role-name'] ?? SCAN_DEFAULTS.roleName,
    ...(externalId ? { externalId } : {}),
    sessionName: SCAN_DEFAULTS.sessionName,
    homeRegion,
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    concurrency: positiveInteger('concurrency', values.concurrency, SCAN_DEFAULTS.concurrency),
    maxAttempts: positiveInteger('max-attempts', values['max-attempts'], SCAN_DEFAULTS.maxAttempts),
    assumeRoleRatePerSecond: positiveInteger(
      'assume-role-rate',
      values['assume-role-rate'],
      SCAN_DEFAULTS.assumeRoleRatePerSecond,
      STS_ASSUME_ROLE_LIMIT_PER_SECOND,
    ),
    requestTimeoutMs: positiveInteger(
      'request-timeout',
      values['request-timeout'],
      SCAN_DEFAULTS.requestTimeoutMs,
    ),
    targetTimeoutMs: positiveInteger(
      'target-timeout',
      values['target-timeout'],
      SCAN_DEFAULTS.targetTimeoutMs,
    ),
    readRepositoryTags,
  };
}
