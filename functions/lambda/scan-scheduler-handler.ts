/**
 * Scale-out mode, first half: on the schedule, enumerate the targets (Organizations
 * pages overlap with sending) and put one SQS message per target for the workers.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type QueuedTarget, TargetQueue } from '../aws/target-queue.js';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { ConfigurationError } from '../core/errors.js';
import { newRunId } from '../run/run-id.js';
import { ScanSession } from '../scan/scan-session.js';
import type { ScanTarget } from '../scan/targets.js';
import { bundledPolicies } from './bundled-policies.js';
import { lambdaScanConfig } from './detector-config.js';
import { parseInvocation } from './invocation.js';

const logger = new Logger();
const config = loadDetectorConfig(process.env);
if (!config.queueUrl)
  throw new ConfigurationError('environment variable ECR_SIGN_DRIFT_QUEUE_URL is required in scale-out mode');
const queueUrl = config.queueUrl;

async function* queued(
  runId: string,
  targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>,
): AsyncGenerator<QueuedTarget> {
  for await (const t of targets)
    yield { runId, accountId: t.accountId, region: t.region, ...(t.account ? { account: t.account } : {}) };
}

export async function handler(event: unknown): Promise<{ runId: string; enqueued: number; refused: number }> {
  const request = parseInvocation(event);
  const scope = request.kind === 'manual' ? request : {};
  const loaded = await bundledPolicies();
  const session = new ScanSession(lambdaScanConfig(config, scope, process.env, loaded.readsRepositoryTags));
  const runId = newRunId(new Date());
  try {
    const queue = new TargetQueue({ client: new SQSClient(session.clients.home()), queueUrl });
    const { sent, refused } = await queue.send(queued(runId, await session.targets()));
    logger.info('targets enqueued', { runId, enqueued: sent, refused: refused.length });
    if (refused.length > 0)
      throw new Error(`SQS refused ${refused.length} targets twice; the schedule's retry will enqueue again`);
    return { runId, enqueued: sent, refused: refused.length };
  } finally {
    session.close();
  }
}
