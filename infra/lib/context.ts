/**
 * The CDK app's options, read from context (`cdk.json` or `-c key=value`), validated once
 * with defaults. Values from the command line arrive as strings, values from cdk.json
 * as JSON, so lists, booleans and numbers accept both forms.
 */
import { REMEDIATION_MODES, type RemediationMode } from '../../functions/config/detector-environment.js';
import { ACCOUNT_ID_PATTERN } from '../../functions/core/api-constraints.js';
import { InvalidInputError } from '../../functions/core/errors.js';
import { IMAGE_SAMPLING_DEFAULTS } from '../../functions/scan/image-sampler.js';

/** Thrown when a context option is missing or unusable; the message is one line naming the option. */
export class ContextError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

export interface DetectorContext {
  /** EventBridge Scheduler expression: `rate(...)` or `cron(...)`. */
  schedule: string;
  regions: string[];
  /** Explicit targets; empty when `orgDiscovery` is on. */
  accounts: string[];
  orgDiscovery: boolean;
  organizationalUnitId?: string;
  excludeAccounts: string[];
  /** For aws:ResourceOrgID on the AssumeRole grant. */
  organizationId?: string;
  memberRoleName: string;
  externalId: string;
  remediationMode: RemediationMode;
  remediationAccounts: string[];
  maxRemediations: number;
  reminderHours: number;
  concurrency: number;
  runHistoryDays: number;
  /** Image sampling: newest images per covered repository (0: none), their age, the status-call budgets. */
  imageSamples: number;
  imageMaxAgeDays: number;
  imageStatusCallsPerTarget: number;
  imageStatusCallsPerRun: number;
  alertEmail?: string;
  scaleOut: boolean;
  /** Scale-out: the most worker instances the queue drives at once. */
  workerConcurrency: number;
  /** Signing-configuration changes reach the detector through EventBridge within seconds. */
  realtime: boolean;
  /** Findings are imported into Security Hub in the detector's account and region. */
  securityHub: boolean;
  /** A role allowed to invoke the entry function by hand. */
  auditRoleArn?: string;
}

/** The context options this app reads, with the form each takes (shown in errors). */
export const CONTEXT_OPTIONS = {
  schedule: 'rate(...) or cron(...)',
  regions: 'comma-separated region names',
  accounts: 'comma-separated 12-digit account ids',
  orgDiscovery: 'true or false',
  organizationalUnitId: 'ou-... or r-...',
  excludeAccounts: 'comma-separated 12-digit account ids',
  organizationId: 'o-...',
  memberRoleName: 'an IAM role name',
  externalId: '2-1224 characters of [A-Za-z0-9+=,.@:/_-]',
  remediationMode: REMEDIATION_MODES.join(' | '),
  remediationAccounts: 'comma-separated 12-digit account ids',
  maxRemediations: 'an integer',
  reminderHours: 'an integer',
  concurrency: 'an integer',
  runHistoryDays: 'an integer',
  imageSamples: 'an integer',
  imageMaxAgeDays: 'an integer',
  imageStatusCallsPerTarget: 'an integer',
  imageStatusCallsPerRun: 'an integer',
  alertEmail: 'an email address',
  scaleOut: 'true or false',
  workerConcurrency: 'an integer',
  realtime: 'true or false',
  securityHub: 'true or false',
  auditRoleArn: 'an IAM role ARN',
} as const;

export type ContextKey = keyof typeof CONTEXT_OPTIONS;

/** Reads one raw context value (e.g. `key => app.node.tryGetContext(key)`). */
export type ContextLookup = (key: ContextKey) => unknown;

export const DEFAULT_MEMBER_ROLE_NAME = 'EcrSignDriftReadRole';

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
// Scheduler cron: six fields (minutes hours day-of-month month day-of-week year).
const CRON = /^cron\(\S+( \S+){5}\)$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ORGANIZATIONAL_UNIT_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;

function fail(key: ContextKey, problem: string): never {
  throw new ContextError(`context '${key}' ${problem} (expected ${CONTEXT_OPTIONS[key]})`);
}

/** Empty strings count as absent, so `-c key=` clears an option set in cdk.json. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

class ContextReader {
  constructor(private readonly lookup: ContextLookup) {}

  optionalString(key: ContextKey, pattern: RegExp): string | undefined {
    const value = this.lookup(key);
    if (!present(value)) return undefined;
    if (typeof value !== 'string') fail(key, `has the unusable value ${JSON.stringify(value)}`);
    const trimmed = value.trim();
    if (!pattern.test(trimmed)) fail(key, `has the invalid value '${trimmed}'`);
    return trimmed;
  }

  string(key: ContextKey, pattern: RegExp, defaultValue?: string): string {
    const value = this.optionalString(key, pattern) ?? defaultValue;
    if (value === undefined) fail(key, 'is required');
    return value;
  }

  list(key: ContextKey, pattern: RegExp): string[] {
    const value = this.lookup(key);
    if (!present(value)) return [];
    const items = typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
      fail(key, `has the unusable value ${JSON.stringify(value)}`);
    }
    const trimmed = (items as string[]).map((item) => item.trim()).filter((item) => item.length > 0);
    const bad = trimmed.find((item) => !pattern.test(item));
    if (bad !== undefined) fail(key, `has the invalid item '${bad}'`);
    return [...new Set(trimmed)];
  }

  boolean(key: ContextKey, defaultValue: boolean): boolean {
    const value = this.lookup(key);
    if (!present(value)) return defaultValue;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    return fail(key, `has the unusable value ${JSON.stringify(value)}`);
  }

  integer(key: ContextKey, { defaultValue, min, max }: { defaultValue: number; min: number; max: number }) {
    const value = this.lookup(key);
    if (!present(value)) return defaultValue;
    const n = typeof value === 'string' ? Number(value.trim()) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      fail(key, `is ${JSON.stringify(value)}, not an integer between ${min} and ${max}`);
    }
    return n;
  }

  choice<T extends string>(key: ContextKey, choices: readonly T[], defaultValue: T): T {
    const value = this.lookup(key);
    if (!present(value)) return defaultValue;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value.trim())) {
      fail(key, `has the unusable value ${JSON.stringify(value)}`);
    }
    return value.trim() as T;
  }
}

function checkSchedule(schedule: string): string {
  const rate = RATE.exec(schedule);
  if (rate) {
    const [, amount, unit] = rate;
    // Scheduler rejects 'rate(1 hours)' and 'rate(2 hour)'.
    if (Number(amount) < 1 || (Number(amount) === 1) !== !unit!.endsWith('s')) {
      fail(
        'schedule',
        `has the value '${schedule}', which needs a singular unit for 1 and a plural one otherwise`,
      );
    }
    return schedule;
  }
  if (!CRON.test(schedule))
    fail('schedule', `has the value '${schedule}', which is not a rate or six-field cron expression`);
  return schedule;
}

/** Reads and validates every option; throws ContextError (one line, naming the option) on the first problem. */
export function readDetectorContext(lookup: ContextLookup): DetectorContext {
  const read = new ContextReader(lookup);
  const regions = read.list('regions', REGION);
  if (regions.length === 0) fail('regions', 'is required');

  const orgDiscovery = read.boolean('orgDiscovery', false);
  const accounts = read.list('accounts', ACCOUNT_ID_PATTERN);
  if (orgDiscovery && accounts.length > 0) {
    fail('accounts', 'cannot be combined with orgDiscovery=true; give one or the other');
  }
  if (!orgDiscovery && accounts.length === 0) fail('accounts', 'is required unless orgDiscovery=true');
  const organizationalUnitId = read.optionalString('organizationalUnitId', ORGANIZATIONAL_UNIT_ID);
  if (organizationalUnitId && !orgDiscovery) fail('organizationalUnitId', 'needs orgDiscovery=true');

  const remediationMode = read.choice('remediationMode', REMEDIATION_MODES, 'off');
  const remediationAccounts = read.list('remediationAccounts', ACCOUNT_ID_PATTERN);
  // An explicit allow-list keeps a context typo from letting the detector write everywhere.
  if (remediationMode === 'apply' && remediationAccounts.length === 0) {
    fail('remediationAccounts', "is required when remediationMode is 'apply'");
  }

  const organizationId = read.optionalString('organizationId', ORGANIZATION_ID);
  const alertEmail = read.optionalString('alertEmail', EMAIL);
  const auditRoleArn = read.optionalString('auditRoleArn', ROLE_ARN);
  const statusCallBudget = (key: ContextKey, defaultValue: number) =>
    read.integer(key, { defaultValue, min: 0, max: 1_000_000 });
  return {
    schedule: checkSchedule(read.string('schedule', /^\S.*$/, 'rate(1 hour)')),
    regions,
    accounts,
    orgDiscovery,
    ...(organizationalUnitId ? { organizationalUnitId } : {}),
    excludeAccounts: read.list('excludeAccounts', ACCOUNT_ID_PATTERN),
    ...(organizationId ? { organizationId } : {}),
    memberRoleName: read.string('memberRoleName', ROLE_NAME, DEFAULT_MEMBER_ROLE_NAME),
    externalId: read.string('externalId', EXTERNAL_ID),
    remediationMode,
    remediationAccounts,
    // Ranges match the detector's own environment checks (functions/config/detector-environment.ts).
    maxRemediations: read.integer('maxRemediations', { defaultValue: 5, min: 0, max: 1000 }),
    reminderHours: read.integer('reminderHours', { defaultValue: 24, min: 1, max: 24 * 90 }),
    concurrency: read.integer('concurrency', { defaultValue: 16, min: 1, max: 256 }),
    runHistoryDays: read.integer('runHistoryDays', { defaultValue: 90, min: 1, max: 3650 }),
    imageSamples: read.integer('imageSamples', {
      defaultValue: IMAGE_SAMPLING_DEFAULTS.imagesPerRepository,
      min: 0,
      max: 1000,
    }),
    imageMaxAgeDays: read.integer('imageMaxAgeDays', {
      defaultValue: IMAGE_SAMPLING_DEFAULTS.maxAgeDays,
      min: 1,
      max: 3650,
    }),
    imageStatusCallsPerTarget: statusCallBudget(
      'imageStatusCallsPerTarget',
      IMAGE_SAMPLING_DEFAULTS.statusCallsPerTarget,
    ),
    imageStatusCallsPerRun: statusCallBudget(
      'imageStatusCallsPerRun',
      IMAGE_SAMPLING_DEFAULTS.statusCallsPerRun,
    ),
    ...(alertEmail ? { alertEmail } : {}),
    scaleOut: read.boolean('scaleOut', false),
    // SQS event sources accept a maximum concurrency of 2 to 1000.
    workerConcurrency: read.integer('workerConcurrency', { defaultValue: 10, min: 2, max: 1000 }),
    realtime: read.boolean('realtime', true),
    securityHub: read.boolean('securityHub', false),
    ...(auditRoleArn ? { auditRoleArn } : {}),
  };
}

/**
 * `-c key=value` / `--context key=value` pairs from a command line, for running the app
 * directly (`npm run synth -- -c regions=us-east-1`) the way the CDK CLI passes context.
 */
export function parseContextArguments(args: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const pair = args[i + 1];
    if ((flag !== '-c' && flag !== '--context') || pair === undefined || !pair.includes('=')) {
      throw new ContextError(`unexpected argument '${flag}': pass context as -c key=value`);
    }
    const separator = pair.indexOf('=');
    context[pair.slice(0, separator)] = pair.slice(separator + 1);
    i++;
  }
  return context;
}
