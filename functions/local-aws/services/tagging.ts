/**
 * Resource Groups Tagging API (awsJson1_1, target ResourceGroupsTaggingAPI_20170126):
 * GetResources over the caller's account and region. The local world's taggable resources
 * are its ECR repositories; as in AWS, a repository that carries no tag is not returned.
 *
 * Constraints are the model's (resourcegroupstaggingapi-2017-01-26): the length traits of
 * ResourceARNListForGet (1-100), TagFilterList (0-50), TagValueList (0-20), TagKey (1-128),
 * TagValue (0-256), AmazonResourceType (0-256), ResourceARN (1-1011) and PaginationToken
 * (0-2048), and the limits and exclusions its documentation states (ResourcesPerPage 1-100,
 * TagsPerPage 100-500, up to 100 resource types, ResourceARNList alone, ExcludeCompliantResources
 * only with IncludeComplianceDetails, a token valid for 15 minutes). GetResources models
 * no ValidationException, so every one of them answers InvalidParameterException.
 */
import type { Tags } from '../../core/types.js';
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import { type JsonObject, readInteger, readString, readStringList } from '../protocols/aws-json.js';
import type { RegistryRecord, RepositoryRecord } from '../state.js';
import type { JsonService, ServiceContext } from './service.js';

const RESOURCES_PER_PAGE = { min: 1, max: 100 };
const TAGS_PER_PAGE = { min: 100, max: 500 };
/** The model documents no default page size; the largest one here. */
const DEFAULT_RESOURCES_PER_PAGE = 100;
const MAX_RESOURCE_TYPE_FILTERS = 100;
const MAX_RESOURCE_TYPE_LENGTH = 256;
const RESOURCE_ARN_LIST = { min: 1, max: 100 };
const MAX_RESOURCE_ARN_LENGTH = 1011;
const MAX_TAG_FILTERS = 50;
const MAX_TAG_FILTER_VALUES = 20;
const TAG_KEY_LENGTH = { min: 1, max: 128 };
const MAX_TAG_VALUE_LENGTH = 256;
const MAX_PAGINATION_TOKEN_LENGTH = 2048;
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** The resource type filters an ECR repository answers to (`service[:resourceType]`, as in its ARN). */
const ECR_REPOSITORY_TYPES = new Set(['ecr', 'ecr:repository']);

interface TagFilter {
  key: string;
  /** Empty: any value of the key. */
  values: string[];
}

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

/** The wording AWS uses for a member that breaks a model constraint. */
function constraintViolation(value: unknown, at: string, constraint: string): AwsServiceError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidParameter(
    `1 validation error detected: Value '${shown}' at '${at}' failed to satisfy constraint: Member must ${constraint}`,
  );
}

function checkLength(value: string | readonly unknown[], at: string, min: number, max: number): void {
  if (value.length < min) throw constraintViolation(value, at, `have length greater than or equal to ${min}`);
  if (value.length > max) throw constraintViolation(value, at, `have length less than or equal to ${max}`);
}

/** Each member of a list (`at.N.member`, counted from 1, as AWS names them). */
function checkEachLength(list: readonly string[], at: string, min: number, max: number): void {
  for (const [i, value] of list.entries()) checkLength(value, `${at}.${i + 1}.member`, min, max);
}

function checkRange(value: number | undefined, at: string, range: { min: number; max: number }): void {
  if (value !== undefined && (value < range.min || value > range.max)) {
    throw invalidParameter(`${at} must be between ${range.min} and ${range.max}; got ${value}`);
  }
}

function readBoolean(input: JsonObject, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new AwsServiceError('SerializationException', `Member '${key}' must be a boolean`);
  return value;
}

function readTagFilters(input: JsonObject): TagFilter[] | undefined {
  const list = input['TagFilters'];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) {
    throw new AwsServiceError('SerializationException', "Member 'TagFilters' must be a list");
  }
  checkLength(list, 'tagFilters', 0, MAX_TAG_FILTERS);
  return list.map((entry: unknown, i) => {
    const filter = (entry ?? {}) as JsonObject;
    const at = `tagFilters.${i + 1}.member`;
    const key = readString(filter, 'Key');
    if (key === undefined) throw invalidParameter(`Each TagFilter must contain a key (${at}.key)`);
    checkLength(key, `${at}.key`, TAG_KEY_LENGTH.min, TAG_KEY_LENGTH.max);
    const values = readStringList(filter, 'Values') ?? [];
    checkLength(values, `${at}.values`, 0, MAX_TAG_FILTER_VALUES);
    checkEachLength(values, `${at}.values`, 0, MAX_TAG_VALUE_LENGTH);
    return { key, values };
  });
}

/** Every filter must hold; within one, any of its values (or, without values, the key alone). */
function matchesTagFilters(tags: Tags, filters: readonly TagFilter[]): boolean {
  return filters.every(
    (f) => Object.hasOwn(tags, f.key) && (f.values.length === 0 || f.values.includes(tags[f.key] ?? '')),
  );
}

function hasTags(tags: Tags): boolean {
  for (const _ in tags) return true;
  return false;
}

function repositoryArn(registry: RegistryRecord, repository: RepositoryRecord): string {
  return `arn:aws:ecr:${registry.region}:${registry.accountId}:repository/${repository.repositoryName}`;
}

function resourceTagMapping(
  registry: RegistryRecord,
  repository: RepositoryRecord,
  withCompliance: boolean,
): JsonObject {
  return {
    ResourceARN: repositoryArn(registry, repository),
    Tags: Object.entries(repository.tags).map(([Key, Value]) => ({ Key, Value })),
    // No tag policy applies in the local world: every resource is compliant.
    ...(withCompliance
      ? {
          ComplianceDetails: {
            ComplianceStatus: true,
            NoncompliantKeys: [],
            KeysWithNoncompliantValues: [],
            MissingTagKeys: [],
          },
        }
      : {}),
  };
}

/** The most resources from `offset` that fit both limits; a resource without tags counts as one tag. */
function pageLength(
  resources: readonly RepositoryRecord[],
  offset: number,
  perPage: number,
  tagsPerPage: number | undefined,
): number {
  if (tagsPerPage === undefined) return perPage;
  let count = 0;
  let tags = 0;
  for (const resource of resources.slice(offset, offset + perPage)) {
    tags += Math.max(1, Object.keys(resource.tags).length);
    // A resource and its tags are never split across pages.
    if (tags > tagsPerPage && count > 0) break;
    count += 1;
  }
  return Math.max(count, 1);
}

function getResources(input: JsonObject, ctx: ServiceContext): JsonObject {
  const arnList = readStringList(input, 'ResourceARNList');
  const resourceTypes = readStringList(input, 'ResourceTypeFilters');
  const tagFilters = readTagFilters(input);
  const resourcesPerPage = readInteger(input, 'ResourcesPerPage');
  const tagsPerPage = readInteger(input, 'TagsPerPage');
  const paginationToken = readString(input, 'PaginationToken');
  const includeCompliance = readBoolean(input, 'IncludeComplianceDetails') ?? false;
  const excludeCompliant = readBoolean(input, 'ExcludeCompliantResources') ?? false;

  if (paginationToken !== undefined) {
    checkLength(paginationToken, 'paginationToken', 0, MAX_PAGINATION_TOKEN_LENGTH);
  }
  checkRange(resourcesPerPage, 'ResourcesPerPage', RESOURCES_PER_PAGE);
  checkRange(tagsPerPage, 'TagsPerPage', TAGS_PER_PAGE);
  if (excludeCompliant && !includeCompliance) {
    throw invalidParameter(
      'ExcludeCompliantResources can be used only when IncludeComplianceDetails is true',
    );
  }
  if (resourceTypes !== undefined) {
    if (resourceTypes.length > MAX_RESOURCE_TYPE_FILTERS) {
      throw invalidParameter(`ResourceTypeFilters can include up to ${MAX_RESOURCE_TYPE_FILTERS} items`);
    }
    checkEachLength(resourceTypes, 'resourceTypeFilters', 0, MAX_RESOURCE_TYPE_LENGTH);
  }

  const registry = ctx.state.registry(ctx.caller.accountId, ctx.region);
  // Only what is asked for is built: a registry of 10,000 repositories is read 100 pages at a time.
  const resources = registry.repositories.filter((r) => hasTags(r.tags));
  const mapping = (r: RepositoryRecord) => resourceTagMapping(registry, r, includeCompliance);
  if (arnList !== undefined) {
    checkLength(arnList, 'resourceARNList', RESOURCE_ARN_LIST.min, RESOURCE_ARN_LIST.max);
    checkEachLength(arnList, 'resourceARNList', 1, MAX_RESOURCE_ARN_LENGTH);
    const conflicting = [
      resourceTypes !== undefined && 'ResourceTypeFilters',
      tagFilters !== undefined && 'TagFilters',
      resourcesPerPage !== undefined && 'ResourcesPerPage',
      tagsPerPage !== undefined && 'TagsPerPage',
      paginationToken !== undefined && 'PaginationToken',
    ].filter((name) => name !== false);
    if (conflicting.length > 0) {
      throw invalidParameter(`ResourceARNList cannot be specified with ${conflicting.join(', ')}`);
    }
    // An ARN that names no tagged resource is simply left out.
    const wanted = new Set(arnList);
    return {
      ResourceTagMappingList: resources.filter((r) => wanted.has(repositoryArn(registry, r))).map(mapping),
    };
  }

  const typeMatches =
    resourceTypes === undefined ||
    resourceTypes.length === 0 ||
    resourceTypes.some((t) => ECR_REPOSITORY_TYPES.has(t));
  // Every resource is compliant here, so excluding the compliant ones leaves none.
  const selected =
    !typeMatches || excludeCompliant
      ? []
      : tagFilters && tagFilters.length > 0
        ? resources.filter((r) => matchesTagFilters(r.tags, tagFilters))
        : resources;
  const perPage = resourcesPerPage ?? DEFAULT_RESOURCES_PER_PAGE;
  const scope = [
    'tagging:GetResources',
    ctx.caller.accountId,
    ctx.region,
    JSON.stringify([resourceTypes ?? [], tagFilters ?? [], includeCompliance, excludeCompliant]),
  ].join(':');
  const page = paginate(selected, {
    pageSize: (offset) => pageLength(selected, offset, perPage, tagsPerPage),
    token: paginationToken === '' ? undefined : paginationToken,
    scope,
    invalidToken: () => invalidParameter('The PaginationToken is not valid for this request'),
    expiry: {
      afterMs: TOKEN_LIFETIME_MS,
      now: ctx.now,
      expired: () =>
        new AwsServiceError(
          'PaginationTokenExpiredException',
          'The PaginationToken has expired (tokens are valid for 15 minutes)',
        ),
    },
  });
  return {
    // The last page carries an empty token, as AWS answers.
    PaginationToken: page.nextToken ?? '',
    ResourceTagMappingList: page.items.map(mapping),
  };
}

export const taggingService: JsonService = {
  name: 'tagging',
  protocol: 'json',
  targetPrefix: 'ResourceGroupsTaggingAPI_20170126',
  messageKey: 'Message',
  errors: {
    throttling: { code: 'ThrottledException', statusCode: 400 },
    serverError: 'InternalServiceException',
    accessDenied: { code: 'AccessDeniedException', statusCode: 400 },
  },
  operations: { GetResources: getResources },
};
