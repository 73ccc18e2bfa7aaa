/**
 * The detector Lambda's configuration: variable names (shared with the CDK stack, so
 * the two cannot drift apart) and the validated reading done once at cold start.
 */
import { ACCOUNT_ID_PATTERN, REGION_PATTERN } from '../core/api-constraints.js';
import { ConfigurationError } from '../core/errors.js';
import { IMAGE_SAMPLING_DEFAULTS, type ImageSamplingSettings } from '../scan/image-sampler.js';
import {
  type Environment,
  getBoolean,
  getChoice,
  getInteger,
  getList,
  getOptionalString,
  getString,
} from './environment.js';

export const DetectorEnv = {
  /** Comma-separated account ids to scan (explicit targets). */
  accounts: 'ECR_SIGN_DRIFT_ACCOUNTS',
  /** `true` to discover ACTIVE accounts from AWS Organizations instead. */
  organizationDiscovery: 'ECR_SIGN_DRIFT_ORG_DISCOVERY',
  /** With discovery: only accounts below this organizational unit. */
  organizationalUnitId: 'ECR_SIGN_DRIFT_ORG_UNIT_ID',
  excludeAccounts: 'ECR_SIGN_DRIFT_EXCLUDE_ACCOUNTS',
  /** Comma-separated regions to scan in every account. */
  regions: 'ECR_SIGN_DRIFT_REGIONS',
  roleName: 'ECR_SIGN_DRIFT_ROLE_NAME',
  externalId: 'ECR_SIGN_DRIFT_EXTERNAL_ID',
  topicArn: 'ECR_SIGN_DRIFT_TOPIC_ARN',
  tableName: 'ECR_SIGN_DRIFT_TABLE_NAME',
  /** off | plan | apply */
  remediation: 'ECR_SIGN_DRIFT_REMEDIATION',
  /** Accounts where `apply` may write. */
  remediationAccounts: 'ECR_SIGN_DRIFT_REMEDIATION_ACCOUNTS',
  maxRemediations: 'ECR_SIGN_DRIFT_MAX_REMEDIATIONS',
  reminderHours: 'ECR_SIGN_DRIFT_REMINDER_HOURS',
  concurrency: 'ECR_SIGN_DRIFT_CONCURRENCY',
  runHistoryDays: 'ECR_SIGN_DRIFT_RUN_HISTORY_DAYS',
  /** Scale-out mode: the queue the scheduler function fills with targets. */
  queueUrl: 'ECR_SIGN_DRIFT_QUEUE_URL',
  /** Newest images read per covered repository (0: none). */
  imageSamples: 'ECR_SIGN_DRIFT_IMAGE_SAMPLES',
  imageMaxAgeDays: 'ECR_SIGN_DRIFT_IMAGE_MAX_AGE_DAYS',
  imageStatusCallsPerTarget: 'ECR_SIGN_DRIFT_IMAGE_STATUS_CALLS_PER_TARGET',
  imageStatusCallsPerRun: 'ECR_SIGN_DRIFT_IMAGE_STATUS_CALLS_PER_RUN',
  /** `true` to import findings into Security Hub in the function's account and region. */
  securityHub: 'ECR_SIGN_DRIFT_SECURITY_HUB',
} as const;

export const REMEDIATION_MODES = ['off', 'plan', 'apply'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

export interface DetectorConfig {
  accounts: string[];
  organization: { organizationalUnitId?: string } | null;
  excludeAccounts: string[];
  regions: string[];
  roleName: string;
  externalId?: string;
  topicArn: string;
  tableName: string;
  remediation: RemediationMode;
  remediationAccounts: string[];
  maxRemediations: number;
  reminderIntervalMs: number;
  concurrency: number;
  runHistoryDays: number;
  queueUrl?: string;
  imageSampling: ImageSamplingSettings;
  securityHub: boolean;
}

const TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/;
// The same forms the CDK app's context accepts (infra/lib/context.ts), so a function whose
// environment was edited by hand fails at cold start as a bad deployment fails at synth.
const ORGANIZATIONAL_UNIT_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const QUEUE_URL = /^https?:\/\/[^\s/]+\/\S+$/;

/** An optional variable that must match `pattern`, described as `what` when it does not. */
function matching(env: Environment, key: string, pattern: RegExp, what: string): string | undefined {
  const value = getOptionalString(env, key);
  if (value !== undefined && !pattern.test(value)) {
    throw new ConfigurationError(`environment variable ${key}: '${value}' is not ${what}`);
  }
  return value;
}

function required(key: string, value: string | undefined): string {
  if (value === undefined) throw new ConfigurationError(`environment variable ${key} is required`);
  return value;
}

/** Reads and validates the configuration; throws ConfigurationError naming the variable. */
export function loadDetectorConfig(env: Environment): DetectorConfig {
  const accountList = (key: string) => {
    const ids = getList(env, key);
    const bad = ids.find((id) => !ACCOUNT_ID_PATTERN.test(id));
    if (bad)
      throw new ConfigurationError(`environment variable ${key}: '${bad}' is not a 12-digit account id`);
    return ids;
  };
  const discovery = getBoolean(env, { key: DetectorEnv.organizationDiscovery, defaultValue: false });
  const accounts = accountList(DetectorEnv.accounts);
  if (!discovery && accounts.length === 0) {
    throw new ConfigurationError(
      `environment variable ${DetectorEnv.accounts} is required unless ${DetectorEnv.organizationDiscovery} is true`,
    );
  }
  if (discovery && accounts.length > 0) {
    // Discovery would scan the organization and leave the list unread.
    throw new ConfigurationError(
      `environment variable ${DetectorEnv.accounts} cannot be combined with ${DetectorEnv.organizationDiscovery}=true`,
    );
  }
  const regions = getList(env, DetectorEnv.regions);
  if (regions.length === 0)
    throw new ConfigurationError(`environment variable ${DetectorEnv.regions} is required`);
  const badRegion = regions.find((r) => !REGION_PATTERN.test(r));
  if (badRegion) {
    throw new ConfigurationError(
      `environment variable ${DetectorEnv.regions}: '${badRegion}' is not a region name`,
    );
  }
  const topicArn = getString(env, { key: DetectorEnv.topicArn });
  if (!TOPIC_ARN.test(topicArn)) {
    throw new ConfigurationError(
      `environment variable ${DetectorEnv.topicArn}: '${topicArn}' is not an SNS topic ARN`,
    );
  }
  const organizationalUnitId = matching(
    env,
    DetectorEnv.organizationalUnitId,
    ORGANIZATIONAL_UNIT_ID,
    'an organizational unit id (ou-...) or root id (r-...)',
  );
  if (organizationalUnitId && !discovery) {
    throw new ConfigurationError(
      `environment variable ${DetectorEnv.organizationalUnitId} needs ${DetectorEnv.organizationDiscovery}=true`,
    );
  }
  const externalId = matching(
    env,
    DetectorEnv.externalId,
    EXTERNAL_ID,
    'an external id (2-1224 characters of A-Z a-z 0-9 +=,.@:/_-)',
  );
  const remediation = getChoice(env, {
    key: DetectorEnv.remediation,
    defaultValue: 'off',
    choices: REMEDIATION_MODES,
  });
  const remediationAccounts = accountList(DetectorEnv.remediationAccounts);
  if (remediation === 'apply' && remediationAccounts.length === 0) {
    throw new ConfigurationError(
      `environment variable ${DetectorEnv.remediationAccounts} is required when ${DetectorEnv.remediation} is apply`,
    );
  }
  const queueUrl = matching(env, DetectorEnv.queueUrl, QUEUE_URL, 'an SQS queue URL');
  return {
    accounts,
    organization: discovery ? (organizationalUnitId ? { organizationalUnitId } : {}) : null,
    excludeAccounts: accountList(DetectorEnv.excludeAccounts),
    regions,
    roleName: matching(env, DetectorEnv.roleName, ROLE_NAME, 'an IAM role name') ?? 'EcrSignDriftReadRole',
    ...(externalId ? { externalId } : {}),
    topicArn,
    tableName: required(
      DetectorEnv.tableName,
      matching(env, DetectorEnv.tableName, TABLE_NAME, 'a DynamoDB table name'),
    ),
    remediation,
    remediationAccounts,
    maxRemediations: getInteger(env, {
      key: DetectorEnv.maxRemediations,
      defaultValue: 5,
      min: 0,
      max: 1000,
    }),
    reminderIntervalMs:
      getInteger(env, { key: DetectorEnv.reminderHours, defaultValue: 24, min: 1, max: 24 * 90 }) * 3_600_000,
    concurrency: getInteger(env, { key: DetectorEnv.concurrency, defaultValue: 16, min: 1, max: 256 }),
    securityHub: getBoolean(env, { key: DetectorEnv.securityHub, defaultValue: false }),
    runHistoryDays: getInteger(env, { key: DetectorEnv.runHistoryDays, defaultValue: 90, min: 1, max: 3650 }),
    ...(queueUrl ? { queueUrl } : {}),
    imageSampling: {
      imagesPerRepository: getInteger(env, {
        key: DetectorEnv.imageSamples,
        defaultValue: IMAGE_SAMPLING_DEFAULTS.imagesPerRepository,
        min: 0,
        max: 1000,
      }),
      maxAgeDays: getInteger(env, {
        key: DetectorEnv.imageMaxAgeDays,
        defaultValue: IMAGE_SAMPLING_DEFAULTS.maxAgeDays,
        min: 1,
        max: 3650,
      }),
      statusCallsPerTarget: getInteger(env, {
        key: DetectorEnv.imageStatusCallsPerTarget,
        defaultValue: IMAGE_SAMPLING_DEFAULTS.statusCallsPerTarget,
        min: 0,
        max: 1_000_000,
      }),
      statusCallsPerRun: getInteger(env, {
        key: DetectorEnv.imageStatusCallsPerRun,
        defaultValue: IMAGE_SAMPLING_DEFAULTS.statusCallsPerRun,
        min: 0,
        max: 1_000_000,
      }),
    },
  };
}
