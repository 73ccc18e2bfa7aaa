/**
 * Scans many targets with bounded concurrency. A target that fails becomes a
 * ScanError; every other target is still scanned.
 */

import { mapConcurrent } from '../concurrency/map-concurrent.js';
import { compareTargets } from '../core/ordering.js';
import type { RegistrySnapshot, ScanError } from '../core/types.js';
import { type RegistryScan, type RegistryScanner, toScanError } from './registry-scanner.js';
import type { ScanTarget } from './targets.js';

export type TargetOutcome =
  | { target: ScanTarget; ok: true; scan: RegistryScan }
  | { target: ScanTarget; ok: false; error: ScanError };

export interface ScanProgress {
  done: number;
  failed: number;
  /** Known when the targets are a list (not discovered as the scan goes). */
  total?: number;
}

/** Scans one target; a failure becomes the outcome, never a rejection. */
export async function scanOne(
  scanner: Pick<RegistryScanner, 'scan'>,
  target: ScanTarget,
): Promise<TargetOutcome> {
  try {
    return { target, ok: true, scan: await scanner.scan(target) };
  } catch (error) {
    return { target, ok: false, error: toScanError(target, error) };
  }
}

/** Yields each target's outcome as it completes. */
export function scanEach(
  targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>,
  scanner: Pick<RegistryScanner, 'scan'>,
  concurrency: number,
): AsyncGenerator<TargetOutcome> {
  return mapConcurrent(targets, concurrency, (target) => scanOne(scanner, target));
}

export interface ScanResult {
  registries: RegistrySnapshot[];
  errors: ScanError[];
  warnings: ScanError[];
  /** Image sampling over every target: images whose status was read, and those the budget left unread. */
  images: { sampled: number; skippedByBudget: number };
}

/** Scans every target and returns the registries and errors in account/region order. */
export async function scanTargets(
  targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>,
  scanner: Pick<RegistryScanner, 'scan'>,
  options: { concurrency: number; onProgress?: (progress: ScanProgress) => void },
): Promise<ScanResult> {
  const result: ScanResult = {
    registries: [],
    errors: [],
    warnings: [],
    images: { sampled: 0, skippedByBudget: 0 },
  };
  const total = Array.isArray(targets) ? targets.length : undefined;
  for await (const outcome of scanEach(targets, scanner, options.concurrency)) {
    if (outcome.ok) {
      result.registries.push(outcome.scan.registry);
      result.warnings.push(...outcome.scan.warnings);
      result.images.sampled += outcome.scan.imageSampling?.imagesSampled ?? 0;
      result.images.skippedByBudget += outcome.scan.imageSampling?.imagesSkippedByBudget ?? 0;
    } else {
      result.errors.push(outcome.error);
    }
    options.onProgress?.({
      done: result.registries.length + result.errors.length,
      failed: result.errors.length,
      ...(total === undefined ? {} : { total }),
    });
  }
  result.registries.sort(compareTargets);
  result.errors.sort(compareTargets);
  result.warnings.sort(compareTargets);
  return result;
}
