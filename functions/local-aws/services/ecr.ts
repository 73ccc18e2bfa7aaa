/**
 * ECR (awsJson1_1, target AmazonEC2ContainerRegistry_V20150921): registry signing
 * configuration and the repository reads a scan needs, per account and region.
 */
import { type ConstraintViolation, checkSigningConfiguration } from '../../core/api-constraints.js';
import type { SigningConfiguration, SigningRule } from '../../core/types.js';
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import { type JsonObject, readInteger, readString, readStringList } from '../protocols/aws-json.js';
import type { RegistryRecord, RepositoryRecord } from '../state.js';
import { imageOperations } from './ecr-images.js';
import {
  callerRegistry,
  checkRegistryId,
  invalidParameter,
  invalidParameterAt,
  repositoryNameError,
  repositoryNotFound,
} from './ecr-requests.js';
import type { JsonService, ServiceContext } from './service.js';

/** DescribeRepositories: model MaxResults 1-1000, 100 a page when maxResults is not given. */
const MAX_RESULTS = 1000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_REPOSITORY_NAMES = 100;
const REPOSITORY_ARN = /^arn:aws:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/;

/** Renders a rejected value the way AWS's validation messages show it: strings as they are, the rest as JSON. */
function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `signingConfiguration.rules.1.repositoryFilters` in AWS's member path: `signingConfiguration.rules.1.member.repositoryFilters`. */
function awsMemberPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '.$1.member');
}

/** One violation in AWS's words: "Value '…' at '…' failed to satisfy constraint: Member must …". */
function awsViolation(violation: ConstraintViolation): string {
  const at = awsMemberPath(violation.path);
  if (!violation.aws) return `Value at '${at}' failed to satisfy constraint: Member ${violation.message}`;
  const { value, constraint } = violation.aws;
  const shown = value === null ? 'null' : `'${shownValue(value)}'`;
  return `Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`;
}

/** AWS's validation message: "N validation error(s) detected: " and each violation, joined by "; ". */
function validationMessage(violations: readonly ConstraintViolation[]): string {
  const count = `${violations.length} validation error${violations.length === 1 ? '' : 's'} detected`;
  return `${count}: ${violations.map(awsViolation).join('; ')}`;
}

function notConfigured(registryId: string): AwsServiceError {
  return new AwsServiceError(
    'SigningConfigurationNotFoundException',
    `Signing configuration for registry '${registryId}' does not exist`,
  );
}

/** Keeps the members the model defines, so what is stored is what Get returns. */
function normalizeConfiguration(config: SigningConfiguration): SigningConfiguration {
  return {
    rules: config.rules.map(
      (rule): SigningRule => ({
        signingProfileArn: rule.signingProfileArn,
        ...(rule.repositoryFilters
          ? {
              repositoryFilters: rule.repositoryFilters.map((f) => ({
                filter: f.filter,
                filterType: f.filterType,
              })),
            }
          : {}),
      }),
    ),
  };
}

function describeRepository(registry: RegistryRecord, repository: RepositoryRecord): JsonObject {
  const { accountId, region } = registry;
  return {
    repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${repository.repositoryName}`,
    registryId: accountId,
    repositoryName: repository.repositoryName,
    repositoryUri: `${accountId}.dkr.ecr.${region}.amazonaws.com/${repository.repositoryName}`,
    // awsJson timestamps are epoch seconds.
    createdAt: repository.createdAt.getTime() / 1000,
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function getSigningConfiguration(_input: JsonObject, ctx: ServiceContext): JsonObject {
  const registry = callerRegistry(ctx);
  if (!registry.signingConfiguration) throw notConfigured(registry.accountId);
  return {
    registryId: registry.accountId,
    signingConfiguration: structuredClone(registry.signingConfiguration),
  };
}

function putSigningConfiguration(input: JsonObject, ctx: ServiceContext): JsonObject {
  const config = input['signingConfiguration'];
  if (config === undefined || config === null) {
    throw new AwsServiceError(
      'ValidationException',
      "1 validation error detected: Value null at 'signingConfiguration' failed to satisfy constraint: Member must not be null",
    );
  }
  const violations = checkSigningConfiguration(config);
  if (violations.length > 0) throw new AwsServiceError('ValidationException', validationMessage(violations));
  const stored = normalizeConfiguration(config as SigningConfiguration);
  callerRegistry(ctx).signingConfiguration = stored;
  return { signingConfiguration: structuredClone(stored) };
}

function deleteSigningConfiguration(_input: JsonObject, ctx: ServiceContext): JsonObject {
  const registry = callerRegistry(ctx);
  const deleted = registry.signingConfiguration;
  if (!deleted) throw notConfigured(registry.accountId);
  registry.signingConfiguration = null;
  return { registryId: registry.accountId, signingConfiguration: deleted };
}

function describeRepositories(input: JsonObject, ctx: ServiceContext): JsonObject {
  const registryId = readString(input, 'registryId');
  const names = readStringList(input, 'repositoryNames');
  const maxResults = readInteger(input, 'maxResults');
  const nextToken = readString(input, 'nextToken');
  if (registryId !== undefined) checkRegistryId(registryId);
  for (const name of names ?? []) {
    const error = repositoryNameError('repositoryNames', name);
    if (error) throw error;
  }
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_RESULTS)) {
    throw invalidParameterAt('maxResults', `Member must have value between 1 and ${MAX_RESULTS}`);
  }
  if (registryId !== undefined && registryId !== ctx.caller.accountId) {
    // Another account's registry: the local world models no repository policies, so the caller can
    // see none of its repositories. The model's errors for DescribeRepositories are only
    // InvalidParameterException, RepositoryNotFoundException and ServerException; ECR names the
    // registry and does not tell a repository it hides from one that does not exist.
    const [first] = names ?? [];
    throw first !== undefined
      ? repositoryNotFound(first, registryId)
      : new AwsServiceError(
          'RepositoryNotFoundException',
          `The caller can see no repository in the registry with id '${registryId}'`,
        );
  }
  const registry = callerRegistry(ctx);
  if (names !== undefined) {
    if (maxResults !== undefined || nextToken !== undefined) {
      throw invalidParameter('maxResults and nextToken cannot be used when repositoryNames is specified');
    }
    if (names.length < 1 || names.length > MAX_REPOSITORY_NAMES) {
      throw invalidParameter(
        `Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must have length between 1 and ${MAX_REPOSITORY_NAMES}'`,
      );
    }
    const repositories = names.map((name) => {
      const repository = registry.repositories.find((r) => r.repositoryName === name);
      if (!repository) throw repositoryNotFound(name, registry.accountId);
      return describeRepository(registry, repository);
    });
    return { repositories };
  }
  const page = paginate(registry.repositories, {
    pageSize: maxResults ?? DEFAULT_PAGE_SIZE,
    token: nextToken,
    scope: `ecr:DescribeRepositories:${registry.accountId}:${registry.region}`,
    invalidToken: () =>
      invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid token'"),
  });
  return {
    repositories: page.items.map((r) => describeRepository(registry, r)),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

function listTagsForResource(input: JsonObject, ctx: ServiceContext): JsonObject {
  const resourceArn = readString(input, 'resourceArn');
  if (resourceArn === undefined) {
    throw invalidParameter(
      "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Member must not be null'",
    );
  }
  const m = REPOSITORY_ARN.exec(resourceArn);
  if (!m) throw invalidParameterAt('resourceArn', 'Invalid ARN');
  const [, region, accountId, name] = m;
  const nameError = repositoryNameError('resourceArn', name!);
  if (nameError) throw nameError;
  const registry = callerRegistry(ctx);
  const repository =
    region === registry.region && accountId === registry.accountId
      ? registry.repositories.find((r) => r.repositoryName === name)
      : undefined;
  if (!repository) throw repositoryNotFound(name!, accountId!);
  return { tags: Object.entries(repository.tags).map(([Key, Value]) => ({ Key, Value })) };
}

export const ecrService: JsonService = {
  name: 'ecr',
  protocol: 'json',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  messageKey: 'message',
  errors: {
    throttling: { code: 'ThrottlingException', statusCode: 400 },
    serverError: 'ServerException',
    accessDenied: { code: 'AccessDeniedException', statusCode: 400 },
  },
  operations: {
    GetSigningConfiguration: getSigningConfiguration,
    PutSigningConfiguration: putSigningConfiguration,
    DeleteSigningConfiguration: deleteSigningConfiguration,
    DescribeRepositories: describeRepositories,
    ListTagsForResource: listTagsForResource,
    ...imageOperations,
  },
};
