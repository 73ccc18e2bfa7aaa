/**
 * The target and access flags shared by `audit`, `snapshot` and `run`, following the
 * AWS CLI's conventions (--profile, --region, --endpoint-url; AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL), turned into a ScanConfig.
 */

import { regionOfProfile } from '../aws/profile-region.js';
import { type Environment, getOptionalString } from '../config/environment.js';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN } from '../core/api-constraints.js';
import { ConfigurationError } from '../core/errors.js';
import { type AccountMetadataNeeds, NO_ACCOUNT_METADATA } from '../core/policy/index.js';
import { IMAGE_SAMPLING_DEFAULTS, type ImageSamplingSettings } from '../scan/image-sampler.js';
import { SCAN_DEFAULTS, type ScanConfig, STS_ASSUME_ROLE_LIMIT_PER_SECOND } from '../scan/scan-session.js';
import { MAX_TIMER_MS, wholeNumberFlag } from './flags.js';

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
  'image-samples': { type: 'string' },
  'image-max-age-days': { type: 'string' },
  'image-status-calls-per-target': { type: 'string' },
  'image-status-calls-per-run': { type: 'string' },
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
  --region REGION          Home region for STS and Organizations (AWS_REGION, else the profile's
                           region, default us-east-1)
  --endpoint-url URL       Send every AWS call to this endpoint (AWS_ENDPOINT_URL)

Tuning:
  --concurrency N          Targets scanned at once (default ${SCAN_DEFAULTS.concurrency})
  --max-attempts N         Attempts per AWS call, adaptive retries (default ${SCAN_DEFAULTS.maxAttempts})
  --assume-role-rate N     AssumeRole calls per second at most, up to ${STS_ASSUME_ROLE_LIMIT_PER_SECOND} (default ${SCAN_DEFAULTS.assumeRoleRatePerSecond})
  --request-timeout MS     Per-request timeout (default ${SCAN_DEFAULTS.requestTimeoutMs})
  --target-timeout MS      Give up on a registry not read within MS; it is reported as an error
                           (default ${SCAN_DEFAULTS.targetTimeoutMs})

Images (is what was pushed to covered repositories signed?):
  --image-samples N        Newest images read per covered repository, 0 for none (default ${IMAGE_SAMPLING_DEFAULTS.imagesPerRepository})
  --image-max-age-days N   Only images pushed within N days (default ${IMAGE_SAMPLING_DEFAULTS.maxAgeDays})
  --image-status-calls-per-target N
                           DescribeImageSigningStatus calls per registry at most (default ${IMAGE_SAMPLING_DEFAULTS.statusCallsPerTarget})
  --image-status-calls-per-run N
                           ... per run at most (default ${IMAGE_SAMPLING_DEFAULTS.statusCallsPerRun})`;

/** The options of commands that act on one named registry (`--target`): how to reach it, not which to scan. */
export const accessOptionSpec = {
  'role-name': targetOptionSpec['role-name'],
  'external-id': targetOptionSpec['external-id'],
  profile: targetOptionSpec.profile,
  region: targetOptionSpec.region,
  'endpoint-url': targetOptionSpec['endpoint-url'],
  'max-attempts': targetOptionSpec['max-attempts'],
  'request-timeout': targetOptionSpec['request-timeout'],
} as const;

export const accessOptionsHelp = `Access:
  --role-name NAME         Role assumed in the target's account (default ${SCAN_DEFAULTS.roleName})
  --external-id ID         External ID for AssumeRole
  --profile NAME           Named profile for the caller's credentials (AWS_PROFILE)
  --region REGION          Home region for STS and the records' DynamoDB table (AWS_REGION, else the
                           profile's region, default us-east-1)
  --endpoint-url URL       Send every AWS call to this endpoint (AWS_ENDPOINT_URL)
  --max-attempts N         Attempts per AWS call, adaptive retries (default ${SCAN_DEFAULTS.maxAttempts})
  --request-timeout MS     Per-request timeout (default ${SCAN_DEFAULTS.requestTimeoutMs})`;

/** The options of commands that only read or write the records (`--store dynamodb:TABLE` reaches DynamoDB). */
export const recordsAccessOptionSpec = {
  profile: targetOptionSpec.profile,
  region: targetOptionSpec.region,
  'endpoint-url': targetOptionSpec['endpoint-url'],
} as const;

export const recordsAccessOptionsHelp = `Access (for --store dynamodb:TABLE):
  --profile NAME           Named profile for the caller's credentials (AWS_PROFILE)
  --region REGION          The table's region (AWS_REGION, else the profile's region, default us-east-1)
  --endpoint-url URL       Send every AWS call to this endpoint (AWS_ENDPOINT_URL)`;

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

/** IAM role names (model: RoleNameType), without a path. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** STS AssumeRole ExternalId: 2-1224 characters of this set. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** Organizations organizational unit ids. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

function endpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`--endpoint-url must be a URL like http://127.0.0.1:4599, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`--endpoint-url must be an http or https URL, got '${value}'`);
  }
  return value;
}

/** Builds the scan configuration; what to read beyond the registries comes from the loaded policies. */
export async function scanConfigFromOptions(
  values: TargetOptionValues,
  env: Environment,
  readRepositoryTags: boolean,
  accountMetadata: AccountMetadataNeeds = NO_ACCOUNT_METADATA,
): Promise<ScanConfig> {
  const profile = values.profile ?? getOptionalString(env, 'AWS_PROFILE');
  // As the AWS CLI: --region, the environment, then the profile's region, before any default.
  const homeRegion =
    values.region ??
    getOptionalString(env, 'AWS_REGION') ??
    getOptionalString(env, 'AWS_DEFAULT_REGION') ??
    (await regionOfProfile(profile)) ??
    'us-east-1';
  const regions = values.regions === undefined ? [homeRegion] : list(values.regions);
  if (regions.length === 0)
    throw new ConfigurationError(`--regions lists no region, got '${values.regions}'`);
  for (const region of [homeRegion, ...regions]) {
    if (!REGION_PATTERN.test(region))
      throw new ConfigurationError(`'${region}' is not a region name (like us-east-1)`);
  }
  const accounts = list(values.accounts);
  const excluded = list(values['exclude-accounts']);
  for (const id of [...accounts, ...excluded]) {
    if (!ACCOUNT_ID_PATTERN.test(id)) throw new ConfigurationError(`'${id}' is not a 12-digit account id`);
  }
  if (values.ou !== undefined && !values.org) throw new ConfigurationError('--ou needs --org');
  if (values.ou !== undefined && !OU_ID.test(values.ou)) {
    throw new ConfigurationError(
      `--ou must be an organizational unit id like ou-ab12-cd34ef56, got '${values.ou}'`,
    );
  }
  const roleName = values['role-name'] ?? SCAN_DEFAULTS.roleName;
  if (!ROLE_NAME.test(roleName)) {
    throw new ConfigurationError(
      `--role-name must be an IAM role name (1-64 of letters, digits and +=,.@_-), got '${roleName}'`,
    );
  }
  if (values.org && accounts.length > 0)
    throw new ConfigurationError('use either --accounts or --org, not both');
  const endpoint = values['endpoint-url'] === undefined ? undefined : endpointUrl(values['endpoint-url']);
  const externalId = values['external-id'];
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw new ConfigurationError(
      `--external-id must be 2-1224 of letters, digits and +=,.@:/_- (STS), got a value of ${externalId.length} characters`,
    );
  }
  return {
    ...(values.org
      ? { organization: values.ou !== undefined ? { organizationalUnitId: values.ou } : {} }
      : {}),
    ...(accounts.length > 0 ? { accounts: accounts.map((accountId) => ({ accountId })) } : {}),
    regions,
    exclude: { accounts: excluded },
    roleName,
    ...(externalId ? { externalId } : {}),
    sessionName: SCAN_DEFAULTS.sessionName,
    homeRegion,
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    concurrency: wholeNumberFlag('concurrency', values.concurrency, SCAN_DEFAULTS.concurrency),
    maxAttempts: wholeNumberFlag('max-attempts', values['max-attempts'], SCAN_DEFAULTS.maxAttempts),
    assumeRoleRatePerSecond: wholeNumberFlag(
      'assume-role-rate',
      values['assume-role-rate'],
      SCAN_DEFAULTS.assumeRoleRatePerSecond,
      { max: STS_ASSUME_ROLE_LIMIT_PER_SECOND },
    ),
    requestTimeoutMs: wholeNumberFlag(
      'request-timeout',
      values['request-timeout'],
      SCAN_DEFAULTS.requestTimeoutMs,
      {
        max: MAX_TIMER_MS,
      },
    ),
    targetTimeoutMs: wholeNumberFlag(
      'target-timeout',
      values['target-timeout'],
      SCAN_DEFAULTS.targetTimeoutMs,
      {
        max: MAX_TIMER_MS,
      },
    ),
    readRepositoryTags,
    accountMetadata,
    imageSampling: imageSamplingFromOptions(values),
  };
}

function imageSamplingFromOptions(values: TargetOptionValues): ImageSamplingSettings {
  const d = IMAGE_SAMPLING_DEFAULTS;
  return {
    imagesPerRepository: wholeNumberFlag('image-samples', values['image-samples'], d.imagesPerRepository, {
      min: 0,
      max: 1000,
    }),
    maxAgeDays: wholeNumberFlag('image-max-age-days', values['image-max-age-days'], d.maxAgeDays, {
      max: 3650,
    }),
    statusCallsPerTarget: wholeNumberFlag(
      'image-status-calls-per-target',
      values['image-status-calls-per-target'],
      d.statusCallsPerTarget,
      { min: 0 },
    ),
    statusCallsPerRun: wholeNumberFlag(
      'image-status-calls-per-run',
      values['image-status-calls-per-run'],
      d.statusCallsPerRun,
      { min: 0 },
    ),
  };
}
