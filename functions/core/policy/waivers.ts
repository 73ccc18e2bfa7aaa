/**
 * Waivers: accepted risk, with an owner and an end. A waiver names a policy and optionally
 * narrows it to an account, a region and a repository pattern (ECR WILDCARD_MATCH, the same
 * matcher the signing rules use); a waiver without `repository` covers every finding of the
 * policy in its account/region, registry-level ones included. Read from
 * `<policies>/waivers/*.json`: `{ "maxDays"?: n, "waivers": [ ... ] }`.
 */
import { ACCOUNT_ID_PATTERN, FILTER_PATTERN, MAX_FILTER_LENGTH, REGION_PATTERN } from '../api-constraints.js';
import { PolicyLoadError } from '../errors.js';

export interface Waiver {
  policyId: string;
  accountId?: string;
  region?: string;
  repository?: string;
  reason: string;
  owner: string;
  ticket?: string;
  /** Last day the waiver applies (YYYY-MM-DD, UTC). */
  expires: string;
  /** Where it was read: `file#index`. */
  source: string;
}

export const DEFAULT_WAIVER_MAX_DAYS = 365;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = new Set([
  'policyId',
  'accountId',
  'region',
  'repository',
  'reason',
  'owner',
  'ticket',
  'expires',
]);
const DAY_MS = 86_400_000;

export interface WaiverCheckOptions {
  /** Policy ids of the loaded set: a waiver of any other policy is a typo. */
  policyIds: ReadonlySet<string>;
  /** Today, YYYY-MM-DD (UTC). */
  today: string;
  /** `policies validate` refuses an expired waiver; an audit reports it as a warning. */
  rejectExpired: boolean;
}

/** Reads one waiver file; throws PolicyLoadError naming the file and the waiver's index. */
export function parseWaiverFile(source: string, document: unknown, options: WaiverCheckOptions): Waiver[] {
  const fail = (problem: string): never => {
    throw new PolicyLoadError(`${source}: ${problem}`);
  };
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    fail('is not a waiver file: expected { "waivers": [ ... ] }');
  }
  const record = document as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'waivers' && key !== 'maxDays')
      fail(`unknown field "${key}" (a waiver file has waivers and maxDays)`);
  }
  const maxDays = record['maxDays'] ?? DEFAULT_WAIVER_MAX_DAYS;
  if (typeof maxDays !== 'number' || !Number.isInteger(maxDays) || maxDays < 1) {
    fail('maxDays must be a positive whole number of days');
  }
  const list = record['waivers'];
  if (!Array.isArray(list)) fail('waivers must be an array');
  return (list as unknown[]).map((entry, index) =>
    checkWaiver(entry, `${source}: waivers[${index}]`, `${source}#${index}`, maxDays as number, options),
  );
}

function checkWaiver(
  entry: unknown,
  at: string,
  source: string,
  maxDays: number,
  options: WaiverCheckOptions,
): Waiver {
  const fail = (problem: string): never => {
    throw new PolicyLoadError(`${at}: ${problem}`);
  };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail('is not an object');
  const waiver = entry as Record<string, unknown>;
  for (const key of Object.keys(waiver)) if (!FIELDS.has(key)) fail(`unknown field "${key}"`);
  for (const key of ['policyId', 'reason', 'owner', 'expires']) {
    const value = waiver[key];
    if (typeof value !== 'string' || value.trim() === '')
      fail(`missing ${key} (policyId, reason, owner and expires are required)`);
  }
  for (const key of ['accountId', 'region', 'repository', 'ticket']) {
    if (waiver[key] !== undefined && typeof waiver[key] !== 'string') fail(`${key} must be a string`);
  }
  const { policyId, accountId, region, repository, expires } = waiver as Record<string, string | undefined>;
  if (!options.policyIds.has(policyId!)) fail(`unknown policyId "${policyId}"`);
  if (accountId !== undefined && !ACCOUNT_ID_PATTERN.test(accountId))
    fail(`accountId "${accountId}" is not a 12-digit account id`);
  if (region !== undefined && !REGION_PATTERN.test(region)) fail(`region "${region}" is not a region name`);
  if (
    repository !== undefined &&
    (repository.length > MAX_FILTER_LENGTH || !FILTER_PATTERN.test(repository))
  ) {
    fail(
      `repository "${repository}" is not a pattern ECR accepts (WILDCARD_MATCH: lowercase name segments and *)`,
    );
  }
  const expiresMs = dateMs(expires!);
  if (expiresMs === null) fail(`expires "${expires}" is not a date (YYYY-MM-DD)`);
  const todayMs = dateMs(options.today)!;
  if (options.rejectExpired && expiresMs! < todayMs) fail(`expired on ${expires}: renew it or remove it`);
  if (expiresMs! - todayMs > maxDays * DAY_MS) {
    fail(
      `expires ${expires} is more than ${maxDays} days ahead (set a nearer date, or "maxDays" in the file)`,
    );
  }
  const optional = (key: string) => (waiver[key] === undefined ? {} : { [key]: waiver[key] as string });
  return {
    policyId: policyId!,
    ...optional('accountId'),
    ...optional('region'),
    ...optional('repository'),
    reason: waiver['reason'] as string,
    owner: waiver['owner'] as string,
    ...optional('ticket'),
    expires: expires!,
    source,
  };
}

/** Midnight UTC of a YYYY-MM-DD date, or null when it is not a real date. */
function dateMs(date: string): number | null {
  if (!DATE.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date ? null : ms;
}
