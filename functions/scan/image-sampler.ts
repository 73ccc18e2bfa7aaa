/**
 * Samples the effect of a registry's signing configuration: the newest images of each
 * covered repository and their signing status, within a budget of status calls per target
 * and per run. Repositories are visited in name order from a cursor, so repeated runs with
 * a small budget rotate over all of them; an uncovered repository costs no call.
 */
import { isAccessRefusal, summarizeAwsError } from '../aws/aws-error.js';
import type { EcrImages, ImageListing } from '../aws/ecr-images.js';
import { mapBounded } from '../concurrency/map-concurrent.js';
import type { RatePacer } from '../concurrency/rate-pacer.js';
import { createRepositoryMatcher } from '../core/matching/index.js';
import type { ImageSnapshot, ScanError, SigningConfiguration, TargetRef } from '../core/types.js';

export interface ImageSamplingSettings {
  /** The newest N images of each covered repository; 0 reads no image at all. */
  imagesPerRepository: number;
  /** Only images pushed within this many days. */
  maxAgeDays: number;
  /** DescribeImageSigningStatus calls one target may make. */
  statusCallsPerTarget: number;
  /** DescribeImageSigningStatus calls one run (one scanning process) may make. */
  statusCallsPerRun: number;
}

export const IMAGE_SAMPLING_DEFAULTS: Readonly<ImageSamplingSettings> = {
  imagesPerRepository: 3,
  maxAgeDays: 30,
  statusCallsPerTarget: 200,
  statusCallsPerRun: 20_000,
};

/** What sampling a target did, for the summary and the next run's cursor. */
export interface ImageSamplingOutcome {
  imagesSampled: number;
  /** Images listed whose status the budget left unread. */
  imagesSkippedByBudget: number;
  /** Covered repositories the budget left unlisted (their images are not counted above). */
  repositoriesSkippedByBudget: number;
  /** The covered repository the next run starts at; null when this run reached every one. */
  nextCursor: string | null;
}

/** The run's remaining status calls, shared by every target a process scans. */
export class StatusCallBudget {
  #remaining: number;

  constructor(calls: number) {
    this.#remaining = calls;
  }

  /** Takes one call; false when none is left. */
  take(): boolean {
    if (this.#remaining <= 0) return false;
    this.#remaining--;
    return true;
  }
}

/** Covered repositories in name order, starting at the cursor (the first name at or after it) and wrapping. */
export function visitOrder(covered: readonly string[], cursor: string | undefined): string[] {
  const sorted = [...covered].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (cursor === undefined) return sorted;
  const start = sorted.findIndex((name) => name >= cursor);
  return start <= 0 ? sorted : [...sorted.slice(start), ...sorted.slice(0, start)];
}

/** The repositories a rule covers now (a rule without filters covers every one). */
export function coveredRepositories(
  configuration: SigningConfiguration | null,
  repositoryNames: readonly string[],
): string[] {
  const rules = configuration?.rules ?? [];
  if (rules.length === 0) return [];
  if (rules.some((r) => r.repositoryFilters === undefined)) return [...repositoryNames];
  const matcher = createRepositoryMatcher(rules);
  return repositoryNames.filter((name) => matcher.coveringRuleMask(name) !== 0);
}

export interface SampleRequest {
  target: TargetRef;
  images: EcrImages;
  covered: readonly string[];
  cursor: string | undefined;
  settings: ImageSamplingSettings;
  runBudget: StatusCallBudget;
  pacer: RatePacer;
  now: Date;
  /** Concurrent status reads within the target. */
  concurrency: number;
  /** Repositories listed at once within the target. */
  repositoriesAtOnce: number;
}

export interface SampleResult {
  imagesByRepository: Map<string, ImageSnapshot[]>;
  outcome: ImageSamplingOutcome;
  warnings: ScanError[];
}

/**
 * Samples the covered repositories. AccessDenied on an image call ends the target's sampling
 * with a warning (what was read is kept); any other failure fails the target, as other reads do.
 */
export async function sampleImages(request: SampleRequest): Promise<SampleResult> {
  const { target, images, settings, runBudget, pacer } = request;
  const imagesByRepository = new Map<string, ImageSnapshot[]>();
  const outcome: ImageSamplingOutcome = {
    imagesSampled: 0,
    imagesSkippedByBudget: 0,
    repositoriesSkippedByBudget: 0,
    nextCursor: null,
  };
  const warnings: ScanError[] = [];
  const pushedSince = new Date(request.now.getTime() - settings.maxAgeDays * 86_400_000);
  let targetCalls = settings.statusCallsPerTarget;
  let budgetOut = false;
  const take = () => {
    if (budgetOut || targetCalls <= 0 || !runBudget.take()) {
      budgetOut = true;
      return false;
    }
    targetCalls--;
    return true;
  };
  const order = visitOrder(request.covered, request.cursor);
  // Set once: the first repository this run left (partly) unread.
  let nextCursor: string | null | undefined;
  const readStatuses = async (repositoryName: string, image: ImageListing): Promise<ImageSnapshot | null> => {
    await pacer.take();
    const signingStatuses = await images.signingStatuses(repositoryName, image.imageDigest);
    if (signingStatuses === null) return null;
    return {
      imageDigest: image.imageDigest,
      imageTags: image.imageTags,
      pushedAt: image.pushedAt.toISOString(),
      signingStatuses,
    };
  };
  try {
    // A few repositories are listed at once; the budget goes to them in visiting order.
    for (let start = 0; start < order.length; start += request.repositoriesAtOnce) {
      if (budgetOut || targetCalls <= 0) {
        nextCursor ??= order[start]!;
        outcome.repositoriesSkippedByBudget = order.length - start;
        break;
      }
      const chunk = order.slice(start, start + request.repositoriesAtOnce);
      const listed = await mapBounded(chunk, chunk.length, async (repositoryName) => {
        await pacer.take();
        return images.newestImages(repositoryName, { limit: settings.imagesPerRepository, pushedSince });
      });
      const granted: { repositoryName: string; image: ImageListing }[] = [];
      chunk.forEach((repositoryName, i) => {
        const newest = listed[i]!;
        const allowed = newest.filter(() => take());
        for (const image of allowed) granted.push({ repositoryName, image });
        if (allowed.length < newest.length) {
          outcome.imagesSkippedByBudget += newest.length - allowed.length;
          // Its newest images were read: the next run moves on; none was: the next run starts here.
          if (nextCursor === undefined) {
            nextCursor = allowed.length > 0 ? (order[start + i + 1] ?? null) : repositoryName;
          }
        }
      });
      const read = await mapBounded(granted, request.concurrency, (g) =>
        readStatuses(g.repositoryName, g.image),
      );
      read.forEach((image, i) => {
        if (image === null) return;
        const { repositoryName } = granted[i]!;
        const sampled = imagesByRepository.get(repositoryName);
        if (sampled) sampled.push(image);
        else imagesByRepository.set(repositoryName, [image]);
        outcome.imagesSampled++;
      });
    }
  } catch (error) {
    if (!isAccessRefusal(error)) throw error;
    const { errorName, message } = summarizeAwsError(error);
    warnings.push({
      accountId: target.accountId,
      region: target.region,
      operation: 'DescribeImageSigningStatus',
      errorName,
      message: `${message} (image signing statuses not read; allow ecr:DescribeImages and ecr:DescribeImageSigningStatus)`,
    });
  }
  outcome.nextCursor = nextCursor ?? null;
  return { imagesByRepository, outcome, warnings };
}
