/**
 * Samples the effect of a registry's signing configuration: the newest images of each
 * covered repository and their signing status, within a budget of status calls per target
 * and per run. Repositories are visited in name order from a cursor, so repeated runs with
 * a small budget rotate over all of them; an uncovered repository costs no call.
 */
import { isAccessRefusal, summarizeAwsError } from '../aws/aws-error.js';
import type { CallOptions } from '../aws/call-options.js';
import type { EcrImages } from '../aws/ecr-images.js';
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
  concurrency: number;
  call: CallOptions;
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
  const { target, images, settings, runBudget, pacer, call } = request;
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
  const take = () => {
    if (targetCalls <= 0 || !runBudget.take()) return false;
    targetCalls--;
    return true;
  };
  const order = visitOrder(request.covered, request.cursor);
  // Set once: the first repository this run left (partly) unread.
  let nextCursor: string | null | undefined;
  for (const [position, repositoryName] of order.entries()) {
    try {
      if (targetCalls <= 0) {
        nextCursor ??= repositoryName;
        outcome.repositoriesSkippedByBudget = order.length - position;
        break;
      }
      await pacer.take();
      const newest = await images.newestImages(
        repositoryName,
        { limit: settings.imagesPerRepository, pushedSince },
        call,
      );
      const granted = newest.filter(() => take());
      if (granted.length < newest.length) {
        outcome.imagesSkippedByBudget += newest.length - granted.length;
        // Its newest images were read: the next run moves on; none was: the next run starts here.
        if (nextCursor === undefined)
          nextCursor = granted.length > 0 ? (order[position + 1] ?? null) : repositoryName;
      }
      const read = await mapBounded(granted, request.concurrency, async (image) => {
        await pacer.take();
        const signingStatuses = await images.signingStatuses(repositoryName, image.imageDigest, call);
        if (signingStatuses === null) return null;
        return {
          imageDigest: image.imageDigest,
          imageTags: image.imageTags,
          pushedAt: image.pushedAt.toISOString(),
          signingStatuses,
        } satisfies ImageSnapshot;
      });
      const sampled = read.filter((image) => image !== null);
      outcome.imagesSampled += sampled.length;
      if (sampled.length > 0) imagesByRepository.set(repositoryName, sampled);
      if (granted.length < newest.length && targetCalls > 0) {
        // The run's budget ran out, not the target's: the rest of the target is not listed either.
        outcome.repositoriesSkippedByBudget = order.length - position - 1;
        break;
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
      break;
    }
  }
  outcome.nextCursor = nextCursor ?? null;
  return { imagesByRepository, outcome, warnings };
}
