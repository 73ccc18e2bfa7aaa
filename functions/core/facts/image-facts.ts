/**
 * What the sampled images of a repository say about its signing: each image's statuses
 * against the profiles that cover the repository now. Pure: the reading time comes from
 * the snapshot (`imagesReadAt`), never from a clock.
 */
import type { ImageFacts, ImageSnapshot, RegistryFacts } from '../types.js';

/** Newest push first; one push time: by digest, so facts do not depend on snapshot order. */
function newestFirst(a: ImageSnapshot, b: ImageSnapshot): number {
  const byTime = Date.parse(b.pushedAt) - Date.parse(a.pushedAt);
  if (byTime !== 0) return byTime;
  return a.imageDigest < b.imageDigest ? -1 : a.imageDigest > b.imageDigest ? 1 : 0;
}

/** The repository's images, newest first; `readAtMs` is when their statuses were read (NaN when unknown). */
export function imageFactsOf(
  images: readonly ImageSnapshot[],
  expectedProfileArns: readonly string[],
  readAtMs: number,
): ImageFacts[] {
  const facts: ImageFacts[] = [];
  let newerSigned = false;
  for (const image of [...images].sort(newestFirst)) {
    const signingStatuses = (image.signingStatuses ?? []).map((s) => ({ ...s }));
    const withStatus = new Set(signingStatuses.map((s) => s.signingProfileArn));
    const complete = new Set(
      signingStatuses.filter((s) => s.status === 'COMPLETE').map((s) => s.signingProfileArn),
    );
    const signed = expectedProfileArns.every((arn) => complete.has(arn));
    const sincePushMs = readAtMs - Date.parse(image.pushedAt);
    facts.push({
      imageDigest: image.imageDigest,
      imageTags: [...(image.imageTags ?? [])],
      pushedAt: image.pushedAt,
      minutesSincePush: Number.isFinite(sincePushMs) ? Math.max(0, Math.floor(sincePushMs / 60_000)) : null,
      signingStatuses,
      expectedProfileArns: [...expectedProfileArns],
      missingProfileArns: expectedProfileArns.filter((arn) => !withStatus.has(arn)),
      signedByEveryExpectedProfile: signed,
      supersededBySignedImage: newerSigned,
    });
    newerSigned ||= signed;
  }
  return facts;
}

/** Counts of the statuses of covered repositories' images. */
export function imageSigningCounts(
  repositories: RegistryFacts['repositories'],
): RegistryFacts['imageSigning'] {
  const counts = { imagesSampled: 0, complete: 0, inProgress: 0, failed: 0, missing: 0 };
  for (const repository of repositories) {
    if (!repository.covered) continue;
    for (const image of repository.images) {
      counts.imagesSampled++;
      counts.missing += image.missingProfileArns.length;
      for (const status of image.signingStatuses) {
        if (status.status === 'COMPLETE') counts.complete++;
        else if (status.status === 'IN_PROGRESS') counts.inProgress++;
        else counts.failed++;
      }
    }
  }
  return counts;
}
