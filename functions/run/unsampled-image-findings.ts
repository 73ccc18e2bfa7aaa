/**
 * A run whose image budget stopped short of some covered repositories knows nothing new
 * about their images: their recorded image findings are carried over as they were, so a
 * failed signing is not resolved just because this run's rotation did not reach it.
 */
import type { Finding, RegistrySnapshot } from '../core/types.js';
import type { TargetRecord } from '../records/drift-store.js';
import type { ImageSamplingOutcome } from '../scan/image-sampler.js';

/** A finding about an image: its place in the facts is within a repository's `images`. */
const IMAGE_FINDING_PATH = /^\/repositories\/\d+\/images(\/|$)/;

/** The recorded open image findings of repositories this run read no image of, when a budget cut the sample. */
export function unsampledImageFindings(
  previous: TargetRecord | null,
  registry: RegistrySnapshot,
  sampling: ImageSamplingOutcome | undefined,
): Finding[] {
  if (!previous || !sampling) return [];
  const cut = sampling.imagesSkippedByBudget > 0 || sampling.repositoriesSkippedByBudget > 0;
  if (!cut) return [];
  const sampled = new Set(
    registry.repositories.filter((r) => (r.images?.length ?? 0) > 0).map((r) => r.repositoryName),
  );
  const present = new Set(registry.repositories.map((r) => r.repositoryName));
  return [...previous.openFindings.values()]
    .filter(
      (finding) =>
        finding.repositoryName !== undefined &&
        IMAGE_FINDING_PATH.test(finding.factsPath) &&
        present.has(finding.repositoryName) &&
        !sampled.has(finding.repositoryName),
    )
    .map(({ firstSeen: _first, lastSeen: _last, lastNotified: _notified, ...finding }) => finding);
}
