/**
 * A push to a repository as ECR managed signing meets it: the image gets one signing
 * status per profile of the registry's rules that cover the repository now, decided by
 * the profile's state (Active signs, Revoked or Canceled fails, a profile the world does
 * not know fails, a profile the world keeps busy stays IN_PROGRESS).
 */
import { createHash } from 'node:crypto';
import { createRepositoryMatcher } from '../core/matching/index.js';
import type { ImageSigningStatus, SigningConfiguration } from '../core/types.js';
import { WorldInvalidError } from './errors.js';
import type { ImageRecord, LocalAwsState } from './state.js';
import type { PushRequest, ResolvedWorld } from './world.js';

/** Thrown when a push names a repository the registry does not have. */
export class PushTargetMissingError extends WorldInvalidError {
  constructor(message: string) {
    super(message);
    this.name = 'PushTargetMissingError';
  }
}

/** The profiles that sign an image pushed to the repository: sorted, unique. */
function signingProfilesFor(configuration: SigningConfiguration | null, repositoryName: string): string[] {
  const rules = configuration?.rules ?? [];
  const matcher = createRepositoryMatcher(rules);
  const covering = new Set(matcher.matchFilters(repositoryName).map((m) => m.ruleIndex));
  rules.forEach((rule, i) => {
    if (rule.repositoryFilters === undefined) covering.add(i);
  });
  return [...new Set([...covering].map((i) => rules[i]!.signingProfileArn))].sort();
}

function signingStatus(world: ResolvedWorld, signingProfileArn: string): ImageSigningStatus {
  if (world.signingInProgressProfileArns.has(signingProfileArn)) {
    return { signingProfileArn, status: 'IN_PROGRESS' };
  }
  const profile = world.signingProfiles.get(signingProfileArn);
  if (!profile) {
    return {
      signingProfileArn,
      status: 'FAILED',
      failureCode: 'SigningProfileNotFound',
      failureReason: `The signing profile ${signingProfileArn} does not exist or the pusher cannot use it.`,
    };
  }
  if (profile.status === 'Active') return { signingProfileArn, status: 'COMPLETE' };
  const state = profile.status.toLowerCase();
  return {
    signingProfileArn,
    status: 'FAILED',
    failureCode: `SigningProfile${profile.status}`,
    failureReason: `The signing profile ${signingProfileArn} is ${state}; AWS Signer does not sign with a ${state} profile.`,
  };
}

/** A digest no other push gives: the image's place and time. */
function digestOf(request: PushRequest, pushedAt: Date, sequence: number): string {
  const seed = `${request.accountId}/${request.region}/${request.repositoryName}/${pushedAt.toISOString()}/${sequence}`;
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

/**
 * Adds the image to the repository (tags it takes move from any image that had them, as
 * with a mutable repository) and returns it.
 */
export function pushImage(
  state: LocalAwsState,
  world: ResolvedWorld,
  request: PushRequest,
  now: Date,
): ImageRecord {
  const registry = state.registry(request.accountId, request.region);
  const repository = registry.repositories.find((r) => r.repositoryName === request.repositoryName);
  if (!repository) {
    throw new PushTargetMissingError(
      `POST /_local/push: repository '${request.repositoryName}' does not exist in ${request.accountId}/${request.region}`,
    );
  }
  const pushedAt = request.pushedAt ? new Date(request.pushedAt) : now;
  const imageDigest = request.imageDigest ?? digestOf(request, pushedAt, repository.images.length);
  const imageTags = [...new Set(request.imageTags ?? [])];
  for (const other of repository.images) {
    other.imageTags = other.imageTags.filter((t) => !imageTags.includes(t));
  }
  const image: ImageRecord = {
    imageDigest,
    imageTags,
    pushedAt,
    ...(request.artifactMediaType ? { artifactMediaType: request.artifactMediaType } : {}),
    ...(request.subjectManifestDigest ? { subjectManifestDigest: request.subjectManifestDigest } : {}),
    // ECR signs images, not referrers (the signatures themselves among them).
    signingStatuses: request.subjectManifestDigest
      ? []
      : signingProfilesFor(registry.signingConfiguration, repository.repositoryName).map((arn) =>
          signingStatus(world, arn),
        ),
  };
  const existing = repository.images.findIndex((i) => i.imageDigest === imageDigest);
  if (existing >= 0) repository.images.splice(existing, 1);
  repository.images.push(image);
  return image;
}

/** Pushes the world's `localAws.pushes`, each `pushedMinutesAgo` before now, in order; a world without any reads no clock. */
export function pushWorldImages(state: LocalAwsState, world: ResolvedWorld, clock: () => Date): void {
  if (world.pushes.length === 0) return;
  const now = clock();
  world.pushes.forEach((push, i) => {
    const { pushedMinutesAgo = 0, ...request } = push;
    try {
      pushImage(
        state,
        world,
        { ...request, pushedAt: new Date(now.getTime() - pushedMinutesAgo * 60_000).toISOString() },
        now,
      );
    } catch (error) {
      if (!(error instanceof PushTargetMissingError)) throw error;
      throw new WorldInvalidError(`/localAws/pushes/${i}: ${error.message}`, { cause: error });
    }
  });
}
