/**
 * ECR image adapter: a repository's newest images (signatures and other referrers left
 * out) and each image's signing status, for one account and region (the client's).
 * Throttling is retried by the client's retry strategy; AccessDenied is the caller's to judge.
 */
import {
  DescribeImageSigningStatusCommand,
  DescribeImagesCommand,
  ECRClient,
  type ECRClientConfig,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import type { ImageSigningState, ImageSigningStatus } from '../core/types.js';
import { isAwsError } from './aws-error.js';
import type { CallOptions } from './call-options.js';

export interface EcrImagesOptions {
  client?: ECRClient;
  clientConfig?: ECRClientConfig;
}

export interface ImageListing {
  imageDigest: string;
  imageTags: string[];
  pushedAt: Date;
}

/** DescribeImages' largest page (model: MaxResults 1-1000). */
const DESCRIBE_IMAGES_PAGE_SIZE = 1000;

/**
 * Artifact media types of what is attached to an image rather than an image: Notation
 * signatures (what managed signing writes), cosign and in-toto attestations, SBOMs.
 * Any image with a `subjectManifestDigest` is a referrer too, whatever its type.
 */
const REFERRER_ARTIFACT_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.cncf.notary.signature',
  'application/vnd.dev.cosign.artifact.sig.v1+json',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.in-toto+json',
  'application/spdx+json',
  'application/vnd.cyclonedx+json',
]);

/** True for a signature, attestation or other referrer: ECR does not sign those. */
export function isReferrer(
  detail: Pick<ImageDetail, 'artifactMediaType' | 'subjectManifestDigest'>,
): boolean {
  return (
    detail.subjectManifestDigest !== undefined ||
    (detail.artifactMediaType !== undefined && REFERRER_ARTIFACT_MEDIA_TYPES.has(detail.artifactMediaType))
  );
}

/** Newest push first; one push time: by digest, so the order is stable. */
function newestFirst(a: ImageListing, b: ImageListing): number {
  const byTime = b.pushedAt.getTime() - a.pushedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.imageDigest < b.imageDigest ? -1 : a.imageDigest > b.imageDigest ? 1 : 0;
}

/**
 * Each state as one string: a sampled organization otherwise keeps a parsed copy of
 * 'COMPLETE' per status for the whole run (the results are held until the run reports).
 */
const SIGNING_STATES: ReadonlyMap<string, ImageSigningState> = new Map(
  (['IN_PROGRESS', 'COMPLETE', 'FAILED'] satisfies ImageSigningState[]).map((state) => [state, state]),
);

export class EcrImages {
  readonly client: ECRClient;
  /** The profile ARNs seen so far, one string each: a registry's images share a few profiles. */
  readonly #profileArns = new Map<string, string>();

  constructor(options: EcrImagesOptions = {}) {
    this.client = options.client ?? new ECRClient(options.clientConfig ?? {});
  }

  /**
   * The repository's `limit` newest images pushed at or after `pushedSince`, newest first.
   * ECR returns images in no particular order, so every page is read. A repository deleted
   * since it was listed has no images.
   */
  async newestImages(
    repositoryName: string,
    selection: { limit: number; pushedSince: Date },
    options?: CallOptions,
  ): Promise<ImageListing[]> {
    const images: ImageListing[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new DescribeImagesCommand({ repositoryName, maxResults: DESCRIBE_IMAGES_PAGE_SIZE, nextToken }),
          options,
        );
        for (const detail of page.imageDetails ?? []) {
          if (!detail.imageDigest || !detail.imagePushedAt || isReferrer(detail)) continue;
          if (detail.imagePushedAt.getTime() < selection.pushedSince.getTime()) continue;
          images.push({
            imageDigest: detail.imageDigest,
            imageTags: detail.imageTags ?? [],
            pushedAt: detail.imagePushedAt,
          });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      if (isAwsError(error, 'RepositoryNotFoundException')) return [];
      throw error;
    }
    return images.sort(newestFirst).slice(0, selection.limit);
  }

  /** The image's signing status per profile, or null when the image (or its repository) is gone since it was listed. */
  async signingStatuses(
    repositoryName: string,
    imageDigest: string,
    options?: CallOptions,
  ): Promise<ImageSigningStatus[] | null> {
    try {
      const out = await this.client.send(
        new DescribeImageSigningStatusCommand({ repositoryName, imageId: { imageDigest } }),
        options,
      );
      return (out.signingStatuses ?? []).map((s) => ({
        signingProfileArn: this.#profileArn(s.signingProfileArn ?? ''),
        status: SIGNING_STATES.get(s.status ?? 'IN_PROGRESS') ?? (s.status as ImageSigningState),
        ...(s.failureCode !== undefined ? { failureCode: s.failureCode } : {}),
        ...(s.failureReason !== undefined ? { failureReason: s.failureReason } : {}),
      }));
    } catch (error) {
      if (isAwsError(error, 'ImageNotFoundException') || isAwsError(error, 'RepositoryNotFoundException')) {
        return null;
      }
      throw error;
    }
  }

  #profileArn(arn: string): string {
    const seen = this.#profileArns.get(arn);
    if (seen !== undefined) return seen;
    this.#profileArns.set(arn, arn);
    return arn;
  }
}
