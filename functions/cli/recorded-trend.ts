/** The trend of the HTML report: the last recorded runs of a store, oldest first. */
import { type RunTrendPoint, runTrend } from '../core/report/index.js';
import type { CommandIO } from './command.js';
import { openStoreWithAccessOptions } from './store-option.js';
import type { TargetOptionValues } from './target-options.js';

/** How many runs the trend shows unless told otherwise. */
export const DEFAULT_TREND_RUNS = 30;

export async function readRecordedTrend(
  storeSpec: string,
  values: TargetOptionValues,
  io: CommandIO,
  limit: number,
  now: Date,
): Promise<{ runs: RunTrendPoint[]; source: string }> {
  const store = await openStoreWithAccessOptions(storeSpec, values, io);
  return { runs: runTrend(await store.listRuns(now, limit)), source: storeSpec };
}
