/**
 * ECR's image reads: DescribeImages, ListImages and DescribeImageSigningStatus, over the
 * images of the caller's repositories (world `repositories[].images`, and pushes).
 */
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import { type JsonObject, readInteger, readString } from '../protocols/aws-json.js';
import type { ImageRecord, RegistryRecord, RepositoryRecord } from '../state.js';
import {
  checkRegistryId,
  invalidParameter,
  invalidParameterAt,
  namedRepository,
  repositoryNameError,
} from './ecr-requests.js';
import type { JsonOperation, ServiceContext } from './service.js';

/** DescribeImages and ListImages: model MaxResults 1-1000, 100 a page when maxResults is not given. */
const MAX_RESULTS = 1000;
const DEFAULT_PAGE_SIZE = 100;
/** ImageIdentifierList: 1-100 identifiers. */
const MAX_IMAGE_IDS = 100;
const TAG_STATUSES = ['TAGGED', 'UNTAGGED', 'ANY'] as const;
/** The images a listing selects: by tag status, or none (an archived-image filter: no local image is archived). */
type ImageSelection = (typeof TAG_STATUSES)[number] | 'NONE';
const IMAGE_STATUS_FILTERS = ['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'] as const;

interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

function serializationError(member: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `Member '${member}' must be ${expected}`);
}

function readObject(input: JsonObject, key: string): JsonObject | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(key, 'an object');
  return value as JsonObject;
}

function readImageId(value: unknown, member: string): ImageId {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serializationError(member, 'an object');
  }
  const imageDigest = readString(value as JsonObject, 'imageDigest');
  const imageTag = readString(value as JsonObject, 'imageTag');
  if (imageTag !== undefined && (imageTag.length < 1 || imageTag.length > 300)) {
    throw invalidParameterAt(`${member}.imageTag`, 'Member must have length between 1 and 300');
  }
  return {
    ...(imageDigest !== undefined ? { imageDigest } : {}),
    ...(imageTag !== undefined ? { imageTag } : {}),
  };
}

function requiredRepositoryName(input: JsonObject): string {
  const name = readString(input, 'repositoryName');
  if (name === undefined) {
    throw invalidParameter(
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'",
    );
  }
  const error = repositoryNameError('repositoryName', name);
  if (error) throw error;
  return name;
}

/** The request's repository, after the checks every image operation makes. */
function requestedRepository(
  input: JsonObject,
  ctx: ServiceContext,
): { registry: RegistryRecord; repository: RepositoryRecord } {
  const registryId = readString(input, 'registryId');
  if (registryId !== undefined) checkRegistryId(registryId);
  return namedRepository(ctx, requiredRepositoryName(input), registryId);
}

/** `filter.tagStatus` (default ANY) and `filter.imageStatus` (every local image is ACTIVE). */
function readSelection(input: JsonObject): ImageSelection {
  const filter = readObject(input, 'filter');
  if (!filter) return 'ANY';
  const tagStatus = readString(filter, 'tagStatus') ?? 'ANY';
  if (!(TAG_STATUSES as readonly string[]).includes(tagStatus)) {
    throw invalidParameterAt(
      'filter.tagStatus',
      `Member must satisfy enum value set: [${TAG_STATUSES.join(', ')}]`,
    );
  }
  const imageStatus = readString(filter, 'imageStatus');
  if (imageStatus !== undefined && !(IMAGE_STATUS_FILTERS as readonly string[]).includes(imageStatus)) {
    throw invalidParameterAt(
      'filter.imageStatus',
      `Member must satisfy enum value set: [${IMAGE_STATUS_FILTERS.join(', ')}]`,
    );
  }
  if (imageStatus === 'ARCHIVED' || imageStatus === 'ACTIVATING') return 'NONE';
  return tagStatus as ImageSelection;
}

function selected(images: readonly ImageRecord[], selection: ImageSelection): ImageRecord[] {
  switch (selection) {
    case 'TAGGED':
      return images.filter((i) => i.imageTags.length > 0);
    case 'UNTAGGED':
      return images.filter((i) => i.imageTags.length === 0);
    case 'ANY':
      return [...images];
    case 'NONE':
      return [];
  }
}

function readPaging(input: JsonObject): { maxResults: number | undefined; nextToken: string | undefined } {
  const maxResults = readInteger(input, 'maxResults');
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_RESULTS)) {
    throw invalidParameterAt('maxResults', `Member must have value between 1 and ${MAX_RESULTS}`);
  }
  return { maxResults, nextToken: readString(input, 'nextToken') };
}

function invalidToken(): AwsServiceError {
  return invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid token'");
}

/** ECR's wording, with `null` for the member not given. */
function imageNotFound(imageId: ImageId, repositoryName: string, registryId: string): AwsServiceError {
  return new AwsServiceError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${imageId.imageDigest ?? 'null'}', imageTag:'${imageId.imageTag ?? 'null'}'} does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
  );
}

/** The image an identifier names: by digest, by tag, or both (which must agree). */
function findImage(repository: RepositoryRecord, imageId: ImageId, registryId: string): ImageRecord {
  if (imageId.imageDigest === undefined && imageId.imageTag === undefined) {
    throw invalidParameter('Invalid parameter: imageId must specify an imageDigest or an imageTag');
  }
  const image = repository.images.find(
    (i) =>
      (imageId.imageDigest === undefined || i.imageDigest === imageId.imageDigest) &&
      (imageId.imageTag === undefined || i.imageTags.includes(imageId.imageTag)),
  );
  if (!image) throw imageNotFound(imageId, repository.repositoryName, registryId);
  return image;
}

function imageDetail(registry: RegistryRecord, repository: RepositoryRecord, image: ImageRecord): JsonObject {
  return {
    registryId: registry.accountId,
    repositoryName: repository.repositoryName,
    imageDigest: image.imageDigest,
    ...(image.imageTags.length > 0 ? { imageTags: [...image.imageTags] } : {}),
    // Local images have no layers; a stable size keeps answers reproducible.
    imageSizeInBytes: 52_428_800,
    // awsJson timestamps are epoch seconds.
    imagePushedAt: image.pushedAt.getTime() / 1000,
    imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactMediaType: image.artifactMediaType ?? 'application/vnd.oci.image.config.v1+json',
    ...(image.subjectManifestDigest ? { subjectManifestDigest: image.subjectManifestDigest } : {}),
    imageStatus: 'ACTIVE',
  };
}

function describeImages(input: JsonObject, ctx: ServiceContext): JsonObject {
  const { registry, repository } = requestedRepository(input, ctx);
  const rawIds = input['imageIds'];
  const { maxResults, nextToken } = readPaging(input);
  const selection = readSelection(input);
  if (rawIds !== undefined && rawIds !== null) {
    if (!Array.isArray(rawIds)) throw serializationError('imageIds', 'a list');
    if (maxResults !== undefined || nextToken !== undefined) {
      throw invalidParameter('maxResults and nextToken cannot be used when imageIds is specified');
    }
    if (rawIds.length < 1 || rawIds.length > MAX_IMAGE_IDS) {
      throw invalidParameterAt('imageIds', `Member must have length between 1 and ${MAX_IMAGE_IDS}`);
    }
    const seen = new Set<string>();
    const imageDetails: JsonObject[] = [];
    rawIds.forEach((raw, i) => {
      const image = findImage(repository, readImageId(raw, `imageIds.${i + 1}.member`), registry.accountId);
      // Two identifiers of one image (its digest and a tag) describe it once.
      if (seen.has(image.imageDigest)) return;
      seen.add(image.imageDigest);
      imageDetails.push(imageDetail(registry, repository, image));
    });
    return { imageDetails };
  }
  const page = paginate(selected(repository.images, selection), {
    pageSize: maxResults ?? DEFAULT_PAGE_SIZE,
    token: nextToken,
    scope: `ecr:DescribeImages:${registry.accountId}:${registry.region}:${repository.repositoryName}:${selection}`,
    invalidToken,
  });
  return {
    imageDetails: page.items.map((image) => imageDetail(registry, repository, image)),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

/** One identifier per tag (an untagged image: its digest alone), as ECR lists them. */
function imageIdentifiers(images: readonly ImageRecord[]): ImageId[] {
  return images.flatMap((image) =>
    image.imageTags.length === 0
      ? [{ imageDigest: image.imageDigest }]
      : image.imageTags.map((imageTag) => ({ imageDigest: image.imageDigest, imageTag })),
  );
}

function listImages(input: JsonObject, ctx: ServiceContext): JsonObject {
  const { registry, repository } = requestedRepository(input, ctx);
  const { maxResults, nextToken } = readPaging(input);
  const selection = readSelection(input);
  const page = paginate(imageIdentifiers(selected(repository.images, selection)), {
    pageSize: maxResults ?? DEFAULT_PAGE_SIZE,
    token: nextToken,
    scope: `ecr:ListImages:${registry.accountId}:${registry.region}:${repository.repositoryName}:${selection}`,
    invalidToken,
  });
  return { imageIds: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

function describeImageSigningStatus(input: JsonObject, ctx: ServiceContext): JsonObject {
  const rawId = input['imageId'];
  if (rawId === undefined || rawId === null) {
    throw new AwsServiceError(
      'ValidationException',
      "1 validation error detected: Value null at 'imageId' failed to satisfy constraint: Member must not be null",
    );
  }
  const imageId = readImageId(rawId, 'imageId');
  const { registry, repository } = requestedRepository(input, ctx);
  const image = findImage(repository, imageId, registry.accountId);
  return {
    repositoryName: repository.repositoryName,
    imageId: { imageDigest: image.imageDigest, ...(imageId.imageTag ? { imageTag: imageId.imageTag } : {}) },
    registryId: registry.accountId,
    signingStatuses: structuredClone(image.signingStatuses),
  };
}

export const imageOperations: Record<string, JsonOperation> = {
  DescribeImages: describeImages,
  ListImages: listImages,
  DescribeImageSigningStatus: describeImageSigningStatus,
};
