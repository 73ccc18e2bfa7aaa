/**
 * Scale-out mode, second half: an SQS batch of targets, each through exactly the per-target
 * code of a single-function run. A target whose processing throws is reported as a batch item
 * failure, so only it is retried (and after the queue's receive limit, dead-lettered).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueuedTarget } from '../aws/target-queue.js';
import { mapConcurrent } from '../concurrency/map-concurrent.js';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { openRun } from '../run/detector.js';
import { finishRun } from '../run/execute-run.js';
import { processTarget } from '../run/process-target.js';
import type { TargetResult } from '../run/run-types.js';
import { scanOne } from '../scan/scan-targets.js';
import { bundledPolicies } from './bundled-policies.js';
import { lambdaRunConfig } from './detector-config.js';
import { powertoolsTelemetry } from './powertools-telemetry.js';

const logger = new Logger();
const metrics = new Metrics();
const config = loadDetectorConfig(process.env);

function parseTarget(body: string): QueuedTarget | null {
  try {
    const t = JSON.parse(body) as QueuedTarget;
    return /^[0-9]{12}$/.test(t.accountId) && typeof t.region === 'string' && typeof t.runId === 'string'
      ? t
      : null;
  } catch {
    return null;
  }
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const loaded = await bundledPolicies();
  const records = event.Records.map((r) => ({ messageId: r.messageId, target: parseTarget(r.body) }));
  const unreadable = records.filter((r) => !r.target);
  for (const r of unreadable)
    logger.error('message is not a target; left for the dead-letter queue', { messageId: r.messageId });
  const runId = records.find((r) => r.target)?.target?.runId ?? 'worker';
  const telemetry = powertoolsTelemetry(logger, metrics);
  const opened = await openRun(
    lambdaRunConfig({
      config,
      runId,
      trigger: 'worker',
      scope: {},
      remediation: config.remediation,
      loaded,
      telemetry,
      env: process.env,
    }),
  );
  const failures: { itemIdentifier: string }[] = unreadable.map((r) => ({ itemIdentifier: r.messageId }));
  try {
    const startedAt = opened.deps.clock();
    const results: TargetResult[] = [];
    const work = async ({ messageId, target }: { messageId: string; target: QueuedTarget | null }) => {
      try {
        const { runId: _run, ...ref } = target!;
        const scanStartedAt = opened.deps.clock();
        const outcome = await scanOne(opened.deps.scanner, ref);
        results.push(await processTarget(opened.deps, opened.settings, outcome, scanStartedAt));
        return null;
      } catch (error) {
        logger.error('target failed; SQS will retry it', {
          messageId,
          error: error instanceof Error ? error.message : String(error),
        });
        return messageId;
      }
    };
    for await (const failed of mapConcurrent(
      records.filter((r) => r.target),
      config.concurrency,
      work,
    )) {
      if (failed) failures.push({ itemIdentifier: failed });
    }
    // Recorded under the run's id: a scale-out run's summary is the sum of its batches' records.
    await finishRun(opened.deps, opened.settings, results, startedAt);
    return { batchItemFailures: failures };
  } finally {
    opened.session.close();
  }
}
