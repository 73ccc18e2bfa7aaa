/**
 * Desired signing configurations: which file applies to a registry, and what a file may
 * contain. A set is a map of file name to configuration:
 *
 *   default.json                   every registry
 *   <accountId>.json               every region of one account
 *   <accountId>.<region>.json      one registry
 *
 * The most specific file wins wholesale: files are never merged, so what a file says is
 * exactly what its registries are held to. No file for a registry means no drift check.
 *
 * Profile ARNs may contain `${region}`, replaced with the registry's region when a file is
 * resolved: a profile must be in the registry's region, so one file can serve every
 * region only through the placeholder. It is the only placeholder, and only ARNs take it.
 */
import { type ConstraintViolation, checkSigningConfiguration } from '../api-constraints.js';
import { isSeverity } from '../severity.js';
import { SEVERITIES, type Severity, type SigningConfiguration } from '../types.js';

export const REGION_PLACEHOLDER = '${region}';
/** The region `${region}` stands for when a file that applies to every region is validated. */
export const VALIDATION_REGION = 'us-east-1';
export const DEFAULT_DESIRED_FILE = 'default.json';

/** The severity of the `matches-desired` finding when a file does not set one. */
export const DEFAULT_DRIFT_SEVERITY: Severity = 'medium';

/**
 * A desired-configuration file: the configuration, plus the severity its registries'
 * `matches-desired` finding has when they differ from it (not part of the ECR model).
 */
export type DesiredConfiguration = SigningConfiguration & { severity?: Severity };

/** File name → configuration, as loaded (placeholders not yet substituted). */
export type DesiredConfigurationSet = Readonly<Record<string, DesiredConfiguration>>;

export interface ResolvedDesiredConfiguration {
  /** With `${region}` substituted. */
  configuration: SigningConfiguration;
  /** The file name it came from. */
  source: string;
  /** Of the `matches-desired` finding when the registry differs. */
  severity: Severity;
}

export type DesiredFileScope =
  | { scope: 'default' }
  | { scope: 'account'; accountId: string }
  | { scope: 'registry'; accountId: string; region: string };

const ACCOUNT_FILE = /^([0-9]{12})\.json$/;
const REGISTRY_FILE = /^([0-9]{12})\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\.json$/;

/** What a file name applies to, or null when it is not a desired-configuration file name. */
export function parseDesiredFileName(fileName: string): DesiredFileScope | null {
  if (fileName === DEFAULT_DESIRED_FILE) return { scope: 'default' };
  const account = ACCOUNT_FILE.exec(fileName);
  if (account) return { scope: 'account', accountId: account[1]! };
  const registry = REGISTRY_FILE.exec(fileName);
  if (registry) return { scope: 'registry', accountId: registry[1]!, region: registry[2]! };
  return null;
}

/** The file names that may apply to a registry, most specific first. */
export function desiredFileNames(accountId: string, region: string): string[] {
  return [`${accountId}.${region}.json`, `${accountId}.json`, DEFAULT_DESIRED_FILE];
}

/** Replaces `${region}` in every profile ARN. */
export function substituteRegion(config: SigningConfiguration, region: string): SigningConfiguration {
  return {
    rules: config.rules.map((rule) => ({
      ...rule,
      signingProfileArn: rule.signingProfileArn.replaceAll(REGION_PLACEHOLDER, region),
    })),
  };
}

export function resolveDesired(
  desiredSet: DesiredConfigurationSet,
  accountId: string,
  region: string,
): ResolvedDesiredConfiguration | null {
  const source = desiredFileNames(accountId, region).find((name) => Object.hasOwn(desiredSet, name));
  if (source === undefined) return null;
  const file = desiredSet[source]!;
  return {
    configuration: substituteRegion(file, region),
    source,
    severity: file.severity ?? DEFAULT_DRIFT_SEVERITY,
  };
}

const KNOWN_MEMBERS: Record<string, readonly string[]> = {
  signingConfiguration: ['rules', 'severity'],
  rule: ['signingProfileArn', 'repositoryFilters'],
  filter: ['filter', 'filterType'],
};

function unknownMembers(value: unknown, shape: string, at: string): ConstraintViolation[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value)
    .filter((key) => !KNOWN_MEMBERS[shape]!.includes(key))
    .map((key) => ({ path: `${at}.${key}`, message: 'is not a member of the signing configuration model' }));
}

/**
 * Members the model does not have. The API ignores them, which for a misspelt
 * `repositoryFilters` would silently widen a rule to every repository.
 */
function findUnknownMembers(document: unknown): ConstraintViolation[] {
  const found = unknownMembers(document, 'signingConfiguration', 'signingConfiguration');
  ruleList(document)?.forEach((rule: unknown, i) => {
    const at = `signingConfiguration.rules.${i + 1}`;
    found.push(...unknownMembers(rule, 'rule', at));
    const filters = (rule as { repositoryFilters?: unknown } | null)?.repositoryFilters;
    if (!Array.isArray(filters)) return;
    filters.forEach((filter: unknown, j) => {
      found.push(...unknownMembers(filter, 'filter', `${at}.repositoryFilters.${j + 1}`));
    });
  });
  return found;
}

function ruleList(document: unknown): unknown[] | null {
  const rules = (document as { rules?: unknown } | null)?.rules;
  return Array.isArray(rules) ? rules : null;
}

function writtenArn(rule: unknown): string | null {
  const arn = (rule as { signingProfileArn?: unknown } | null)?.signingProfileArn;
  return typeof arn === 'string' ? arn : null;
}

const ARN_VIOLATION_PATH = /^signingConfiguration\.rules\.(\d+)\.signingProfileArn$/;

/**
 * Checks a parsed desired-configuration document: the model's constraints (with
 * `${region}` read as `region`, but reported as written) and no members outside the
 * model. Empty when the document is usable.
 */
export function checkDesiredConfiguration(
  document: unknown,
  region = VALIDATION_REGION,
): ConstraintViolation[] {
  const rules = ruleList(document);
  const substituted = rules
    ? {
        ...(document as object),
        rules: rules.map((rule) => {
          const arn = writtenArn(rule);
          return arn === null
            ? rule
            : { ...(rule as object), signingProfileArn: arn.replaceAll(REGION_PLACEHOLDER, region) };
        }),
      }
    : document;
  // Path and message only: AWS's view of the value (`aws`) would show the region substituted.
  const violations = checkSigningConfiguration(substituted).map(({ path, message }): ConstraintViolation => {
    const index = ARN_VIOLATION_PATH.exec(path)?.[1];
    const arn = index === undefined ? null : writtenArn(rules?.[Number(index) - 1]);
    if (arn === null) return { path, message };
    return { path, message: message.replace(arn.replaceAll(REGION_PLACEHOLDER, region), arn) };
  });
  return [...violations, ...findUnknownMembers(document), ...checkSeverity(document)];
}

/** `severity`, when present, is one of the finding severities. */
function checkSeverity(document: unknown): ConstraintViolation[] {
  if (typeof document !== 'object' || document === null || !('severity' in document)) return [];
  const { severity } = document as { severity: unknown };
  if (isSeverity(severity)) return [];
  return [{ path: 'signingConfiguration.severity', message: `must be one of ${SEVERITIES.join(', ')}` }];
}
