/**
 * The ECR signing-configuration constraints from the official model (ecr-2015-09-21),
 * encoded once: the remediation planner refuses plans that break them and the local
 * AWS endpoint rejects requests that break them, with the same words.
 */
import type { SigningConfiguration } from './types.js';

export const MAX_RULES = 10;
export const MIN_FILTERS_PER_RULE = 1;
export const MAX_FILTERS_PER_RULE = 100;
export const MAX_FILTER_LENGTH = 256;
export const MAX_PROFILE_ARN_LENGTH = 200;
export const FILTER_TYPES = ['WILDCARD_MATCH'] as const;

/** The model matches a pattern against the whole value (Java's `matches`); a RegExp needs anchors for that. */
function wholeValue(modelPattern: string): RegExp {
  return new RegExp(`^(?:${modelPattern})$`);
}

/** SigningRepositoryFilterValue pattern, as the model writes it (and AWS quotes it in errors). */
export const FILTER_MODEL_PATTERN = '^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$';
export const FILTER_PATTERN = wholeValue(FILTER_MODEL_PATTERN);
/** SigningProfileArn pattern, as the model writes it. */
export const PROFILE_ARN_MODEL_PATTERN =
  '^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\\/signing-profiles\\/[a-zA-Z0-9_]{2,}$';
export const PROFILE_ARN_PATTERN = wholeValue(PROFILE_ARN_MODEL_PATTERN);
/** A region name as the snapshot schema accepts it (us-east-1, us-gov-west-1, ap-southeast-7); not in the ECR model. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
/** RegistryId pattern, as the model writes it. */
export const ACCOUNT_ID_MODEL_PATTERN = '[0-9]{12}';
export const ACCOUNT_ID_PATTERN = wholeValue(ACCOUNT_ID_MODEL_PATTERN);
/** RepositoryName: 2-256 characters of this pattern, as the model writes it. */
export const MIN_REPOSITORY_NAME_LENGTH = 2;
export const MAX_REPOSITORY_NAME_LENGTH = 256;
export const REPOSITORY_NAME_MODEL_PATTERN =
  '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*';
export const REPOSITORY_NAME_PATTERN = wholeValue(REPOSITORY_NAME_MODEL_PATTERN);

/** One broken constraint, with the member path the way AWS names it. */
export interface ConstraintViolation {
  path: string;
  message: string;
  /** The offending value and the broken constraint in AWS's words ("Member must have length less than or equal to 100"). */
  aws?: { value: unknown; constraint: string };
}

function lengthAtMost(max: number): string {
  return `Member must have length less than or equal to ${max}`;
}

function lengthAtLeast(min: number): string {
  return `Member must have length greater than or equal to ${min}`;
}

/** The model's pattern as AWS quotes it. */
function matchingPattern(modelPattern: string): string {
  return `Member must satisfy regular expression pattern: ${modelPattern}`;
}

const NOT_NULL = 'Member must not be null';

/**
 * Checks a signing configuration against the model's constraints.
 * Returns every violation (empty when the configuration would be accepted by PutSigningConfiguration).
 */
export function checkSigningConfiguration(config: unknown): ConstraintViolation[] {
  const violations: ConstraintViolation[] = [];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return [{ path: 'signingConfiguration', message: 'must be an object with a rules list' }];
  }
  const rules = (config as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) {
    return [{ path: 'signingConfiguration.rules', message: 'is required and must be a list' }];
  }
  if (rules.length > MAX_RULES) {
    violations.push({
      path: 'signingConfiguration.rules',
      message: `has ${rules.length} rules; at most ${MAX_RULES} are allowed`,
      aws: { value: rules, constraint: lengthAtMost(MAX_RULES) },
    });
  }
  rules.forEach((rule: unknown, i) => {
    const at = `signingConfiguration.rules.${i + 1}`;
    if (typeof rule !== 'object' || rule === null) {
      violations.push({ path: at, message: 'must be an object' });
      return;
    }
    const { signingProfileArn, repositoryFilters } = rule as Record<string, unknown>;
    if (typeof signingProfileArn !== 'string') {
      violations.push({
        path: `${at}.signingProfileArn`,
        message: 'is required',
        aws: { value: signingProfileArn ?? null, constraint: NOT_NULL },
      });
    } else if (
      signingProfileArn.length > MAX_PROFILE_ARN_LENGTH ||
      !PROFILE_ARN_PATTERN.test(signingProfileArn)
    ) {
      violations.push({
        path: `${at}.signingProfileArn`,
        message: `'${signingProfileArn}' is not a valid Signer signing profile ARN`,
        aws: {
          value: signingProfileArn,
          constraint:
            signingProfileArn.length > MAX_PROFILE_ARN_LENGTH
              ? lengthAtMost(MAX_PROFILE_ARN_LENGTH)
              : matchingPattern(PROFILE_ARN_MODEL_PATTERN),
        },
      });
    }
    if (repositoryFilters === undefined) return;
    if (!Array.isArray(repositoryFilters)) {
      violations.push({ path: `${at}.repositoryFilters`, message: 'must be a list' });
      return;
    }
    if (repositoryFilters.length < MIN_FILTERS_PER_RULE || repositoryFilters.length > MAX_FILTERS_PER_RULE) {
      violations.push({
        path: `${at}.repositoryFilters`,
        message: `has ${repositoryFilters.length} filters; between ${MIN_FILTERS_PER_RULE} and ${MAX_FILTERS_PER_RULE} are allowed`,
        aws: {
          value: repositoryFilters,
          constraint:
            repositoryFilters.length < MIN_FILTERS_PER_RULE
              ? lengthAtLeast(MIN_FILTERS_PER_RULE)
              : lengthAtMost(MAX_FILTERS_PER_RULE),
        },
      });
    }
    repositoryFilters.forEach((f: unknown, j) => {
      const fat = `${at}.repositoryFilters.${j + 1}`;
      if (typeof f !== 'object' || f === null) {
        violations.push({ path: fat, message: 'must be an object' });
        return;
      }
      const { filter, filterType } = f as Record<string, unknown>;
      if (typeof filter !== 'string') {
        violations.push({
          path: `${fat}.filter`,
          message: 'is required',
          aws: { value: filter ?? null, constraint: NOT_NULL },
        });
      } else if (filter.length < 1 || filter.length > MAX_FILTER_LENGTH || !FILTER_PATTERN.test(filter)) {
        violations.push({
          path: `${fat}.filter`,
          message: `'${filter}' is not a valid repository filter`,
          aws: {
            value: filter,
            constraint:
              filter.length < 1
                ? lengthAtLeast(1)
                : filter.length > MAX_FILTER_LENGTH
                  ? lengthAtMost(MAX_FILTER_LENGTH)
                  : matchingPattern(FILTER_MODEL_PATTERN),
          },
        });
      }
      if (typeof filterType !== 'string' || !(FILTER_TYPES as readonly string[]).includes(filterType)) {
        violations.push({
          path: `${fat}.filterType`,
          message: `'${String(filterType)}' is not one of [${FILTER_TYPES.join(', ')}]`,
          aws: {
            value: filterType ?? null,
            constraint:
              filterType === undefined || filterType === null
                ? NOT_NULL
                : `Member must satisfy enum value set: [${FILTER_TYPES.join(', ')}]`,
          },
        });
      }
    });
  });
  return violations;
}

/** Type guard for configurations that pass every model constraint. */
export function isValidSigningConfiguration(config: unknown): config is SigningConfiguration {
  return checkSigningConfiguration(config).length === 0;
}
