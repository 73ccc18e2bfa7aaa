/**
 * Every constant of functions/core/api-constraints.ts against the official ECR model, read from
 * `../shared/reference/aws-models/` next to the repository (or next to a folder above it, as for a
 * git worktree). The endpoint's checks and the remediation planner share those constants, so a
 * wrong one would pass every other test; this one compares them with the model itself.
 * Where the models are not on the machine, the suite is skipped and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as constraints from '../../functions/core/api-constraints.js';

const MODEL_FILE = 'ecr-2015-09-21.service.json';

/** The first `<folder>/../shared/reference/aws-models` from the repository root upwards that holds the ECR model. */
function findModelDirectory(): string | null {
  const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (let folder = repositoryRoot; ; folder = dirname(folder)) {
    const candidate = resolve(folder, '..', 'shared', 'reference', 'aws-models');
    if (existsSync(join(candidate, MODEL_FILE))) return candidate;
    if (dirname(folder) === folder) return null;
  }
}

interface Shape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
}

const modelDirectory = findModelDirectory();
const shapes: Record<string, Shape> = modelDirectory
  ? (JSON.parse(readFileSync(join(modelDirectory, MODEL_FILE), 'utf8')) as { shapes: Record<string, Shape> })
      .shapes
  : {};
const shape = (name: string): Shape => {
  const found = shapes[name];
  if (!found) throw new Error(`the model has no shape ${name}`);
  return found;
};
/** Java's `matches`: the model's pattern must match the whole value. */
const wholeValue = (pattern: string) => new RegExp(`^(?:${pattern})$`);

/** How each exported constant is checked against the model; a new constant needs an entry here. */
const CHECKS: Record<string, () => void> = {
  MAX_RULES: () => expect(constraints.MAX_RULES).toBe(shape('SigningRuleList').max),
  MIN_FILTERS_PER_RULE: () =>
    expect(constraints.MIN_FILTERS_PER_RULE).toBe(shape('SigningRepositoryFilterList').min),
  MAX_FILTERS_PER_RULE: () =>
    expect(constraints.MAX_FILTERS_PER_RULE).toBe(shape('SigningRepositoryFilterList').max),
  MAX_FILTER_LENGTH: () =>
    expect(constraints.MAX_FILTER_LENGTH).toBe(shape('SigningRepositoryFilterValue').max),
  MAX_PROFILE_ARN_LENGTH: () =>
    expect(constraints.MAX_PROFILE_ARN_LENGTH).toBe(shape('SigningProfileArn').max),
  FILTER_TYPES: () =>
    expect([...constraints.FILTER_TYPES]).toEqual(shape('SigningRepositoryFilterType').enum),
  FILTER_MODEL_PATTERN: () =>
    expect(constraints.FILTER_MODEL_PATTERN).toBe(shape('SigningRepositoryFilterValue').pattern),
  FILTER_PATTERN: () =>
    expect(constraints.FILTER_PATTERN.source).toBe(
      wholeValue(shape('SigningRepositoryFilterValue').pattern!).source,
    ),
  PROFILE_ARN_MODEL_PATTERN: () =>
    expect(constraints.PROFILE_ARN_MODEL_PATTERN).toBe(shape('SigningProfileArn').pattern),
  PROFILE_ARN_PATTERN: () =>
    expect(constraints.PROFILE_ARN_PATTERN.source).toBe(
      wholeValue(shape('SigningProfileArn').pattern!).source,
    ),
  ACCOUNT_ID_MODEL_PATTERN: () =>
    expect(constraints.ACCOUNT_ID_MODEL_PATTERN).toBe(shape('RegistryId').pattern),
  ACCOUNT_ID_PATTERN: () =>
    expect(constraints.ACCOUNT_ID_PATTERN.source).toBe(wholeValue(shape('RegistryId').pattern!).source),
  MIN_REPOSITORY_NAME_LENGTH: () =>
    expect(constraints.MIN_REPOSITORY_NAME_LENGTH).toBe(shape('RepositoryName').min),
  MAX_REPOSITORY_NAME_LENGTH: () =>
    expect(constraints.MAX_REPOSITORY_NAME_LENGTH).toBe(shape('RepositoryName').max),
  REPOSITORY_NAME_MODEL_PATTERN: () =>
    expect(constraints.REPOSITORY_NAME_MODEL_PATTERN).toBe(shape('RepositoryName').pattern),
  REPOSITORY_NAME_PATTERN: () =>
    expect(constraints.REPOSITORY_NAME_PATTERN.source).toBe(
      wholeValue(shape('RepositoryName').pattern!).source,
    ),
  // Not an ECR shape (the snapshot schema's); every region it accepts must fit the region part of
  // the model's signing profile ARN, so a profile in any such region can be named.
  REGION_PATTERN: () => {
    const profileArn = wholeValue(shape('SigningProfileArn').pattern!);
    for (const region of ['us-east-1', 'eu-west-1', 'us-gov-west-1', 'ap-southeast-7', 'cn-north-1']) {
      expect(constraints.REGION_PATTERN.test(region)).toBe(true);
      expect(profileArn.test(`arn:aws:signer:${region}:111122223333:/signing-profiles/ecr_signing`)).toBe(
        true,
      );
    }
  },
};

const exportedConstants = Object.entries(constraints)
  .filter(([, value]) => typeof value !== 'function')
  .map(([name]) => name)
  .sort();

const suiteName = modelDirectory
  ? `api-constraints.ts against the ECR model (${join(modelDirectory, MODEL_FILE)})`
  : 'api-constraints.ts against the ECR model (skipped: ../shared/reference/aws-models/ not found next to the repository)';
if (!modelDirectory) {
  console.warn(`${suiteName}: the constants are not checked against the model on this machine`);
}

describe.skipIf(!modelDirectory)(suiteName, () => {
  it('has a model check for every exported constant', () => {
    expect(exportedConstants).toEqual(Object.keys(CHECKS).sort());
  });

  it.each(Object.keys(CHECKS))('holds %s to the model', (name) => {
    CHECKS[name]!();
  });

  it("enforces the model's required members of a signing configuration", () => {
    expect(shape('SigningConfiguration').required).toEqual(['rules']);
    expect(shape('SigningRule').required).toEqual(['signingProfileArn']);
    expect(shape('SigningRepositoryFilter').required).toEqual(['filter', 'filterType']);
    const arn = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing';
    expect(constraints.checkSigningConfiguration({}).map((v) => v.path)).toEqual([
      'signingConfiguration.rules',
    ]);
    expect(constraints.checkSigningConfiguration({ rules: [{}] }).map((v) => v.path)).toEqual([
      'signingConfiguration.rules.1.signingProfileArn',
    ]);
    expect(
      constraints
        .checkSigningConfiguration({ rules: [{ signingProfileArn: arn, repositoryFilters: [{}] }] })
        .map((v) => v.path),
    ).toEqual([
      'signingConfiguration.rules.1.repositoryFilters.1.filter',
      'signingConfiguration.rules.1.repositoryFilters.1.filterType',
    ]);
  });

  it("accepts a configuration at the model's limits and refuses one past each of them", () => {
    const arn = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing';
    const filters = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ filter: `r${i}`, filterType: 'WILDCARD_MATCH' }));
    const rules = (n: number, filterCount: number) =>
      Array.from({ length: n }, () => ({ signingProfileArn: arn, repositoryFilters: filters(filterCount) }));
    const maxRules = shape('SigningRuleList').max!;
    const filterList = shape('SigningRepositoryFilterList');
    const filterValue = shape('SigningRepositoryFilterValue');
    expect(constraints.checkSigningConfiguration({ rules: rules(maxRules, filterList.max!) })).toEqual([]);
    expect(constraints.checkSigningConfiguration({ rules: rules(maxRules + 1, 1) })).toHaveLength(1);
    expect(constraints.checkSigningConfiguration({ rules: rules(1, filterList.max! + 1) })).toHaveLength(1);
    expect(constraints.checkSigningConfiguration({ rules: rules(1, filterList.min! - 1) })).toHaveLength(1);
    const longest = 'a'.repeat(filterValue.max!);
    const tooLong = 'a'.repeat(filterValue.max! + 1);
    const withFilter = (filter: string) => ({
      rules: [{ signingProfileArn: arn, repositoryFilters: [{ filter, filterType: 'WILDCARD_MATCH' }] }],
    });
    expect(constraints.checkSigningConfiguration(withFilter(longest))).toEqual([]);
    expect(constraints.checkSigningConfiguration(withFilter(tooLong))).toHaveLength(1);
    expect(
      constraints.checkSigningConfiguration(withFilter(''.padEnd(filterValue.min! - 1, 'a'))),
    ).toHaveLength(1);
  });
});
