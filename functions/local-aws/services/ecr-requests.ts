/**
 * What ECR's operations share when they read a request: its error wording for bad
 * parameters, registry ids and repository names, and the caller's registry.
 */
import {
  ACCOUNT_ID_MODEL_PATTERN,
  ACCOUNT_ID_PATTERN,
  MAX_REPOSITORY_NAME_LENGTH,
  MIN_REPOSITORY_NAME_LENGTH,
  REPOSITORY_NAME_MODEL_PATTERN,
  REPOSITORY_NAME_PATTERN,
} from '../../core/api-constraints.js';
import { AwsServiceError } from '../errors.js';
import type { RegistryRecord, RepositoryRecord } from '../state.js';
import type { ServiceContext } from './service.js';

export function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

/** ECR's own wording for a request parameter that breaks the model ("Invalid parameter at 'x' failed to satisfy constraint: '…'"). */
export function invalidParameterAt(member: string, constraint: string): AwsServiceError {
  return invalidParameter(`Invalid parameter at '${member}' failed to satisfy constraint: '${constraint}'`);
}

/**
 * A repository name that breaks the model's RepositoryName length or pattern. The model lists
 * InvalidParameterException (not ValidationException) for DescribeRepositories and ListTagsForResource,
 * and ECR reports such a name that way, in the words it uses for CreateRepository: a malformed name is
 * a bad request, never a repository that does not exist.
 */
export function repositoryNameError(member: string, name: string): AwsServiceError | null {
  if (name.length < MIN_REPOSITORY_NAME_LENGTH) {
    return invalidParameterAt(
      member,
      `must have length greater than or equal to ${MIN_REPOSITORY_NAME_LENGTH}`,
    );
  }
  if (name.length > MAX_REPOSITORY_NAME_LENGTH) {
    return invalidParameterAt(member, `must have length less than or equal to ${MAX_REPOSITORY_NAME_LENGTH}`);
  }
  if (!REPOSITORY_NAME_PATTERN.test(name)) {
    return invalidParameterAt(member, `must satisfy regular expression '${REPOSITORY_NAME_MODEL_PATTERN}'`);
  }
  return null;
}

/** A registry id that is not 12 digits. */
export function checkRegistryId(registryId: string): void {
  if (!ACCOUNT_ID_PATTERN.test(registryId)) {
    throw invalidParameterAt('registryId', `must satisfy regular expression '${ACCOUNT_ID_MODEL_PATTERN}'`);
  }
}

export function repositoryNotFound(name: string, registryId: string): AwsServiceError {
  return new AwsServiceError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

export function callerRegistry(ctx: ServiceContext): RegistryRecord {
  return ctx.state.registry(ctx.caller.accountId, ctx.region);
}

/**
 * The named repository of the caller's registry. Another account's registry: the local world
 * models no repository policies, so the caller sees none of its repositories (ECR names the
 * registry and does not tell a repository it hides from one that does not exist).
 */
export function namedRepository(
  ctx: ServiceContext,
  name: string,
  registryId: string | undefined,
): { registry: RegistryRecord; repository: RepositoryRecord } {
  if (registryId !== undefined && registryId !== ctx.caller.accountId)
    throw repositoryNotFound(name, registryId);
  const registry = callerRegistry(ctx);
  const repository = registry.repositories.find((r) => r.repositoryName === name);
  if (!repository) throw repositoryNotFound(name, registry.accountId);
  return { registry, repository };
}
