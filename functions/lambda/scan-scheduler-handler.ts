/**
 * Scale-out mode, first half: on the schedule or a manual invocation, enumerate the targets
 * (Organizations pages overlap with sending) and put one SQS message per target for the
 * workers, each carrying the request (action, trigger, remediation mode, policies).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type QueuedRequest, type QueuedTarget, TargetQueue } from '../aws/target-queue.js';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { ConfigurationError } from '../core/errors.js';
import { accountMetadataNeeded, selectPolicies } from '../core/policy/index.js';
import { newRunId } from '../run/run-id.js';
import { ScanSession } from '../scan/scan-session.js';
import type { ScanTarget } from '../scan/targets.js';
import { bundledPolicies } from './bundled-policies.js';
import { checkRequestedScope, lambdaScanConfig } from './detector-config.js';
import { parseInvocation } from './invocation.js';
import { queuedRequest } from './scale-out-request.js';

const logger = new Logger();
const config = loadDetectorConfig(process.env);
if (!config.queueUrl)
  throw new ConfigurationError('environment variable ECR_SIGN_DRIFT_QUEUE_URL is required in scale-out mode');
const queueUrl = config.queueUrl;

async function* queued(
  runId: string,
  request: QueuedRequest,
  targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>,
): AsyncGenerator<QueuedTarget> {
  for await (const t of targets) {
    const account = t.account ? { account: t.account } : {};
    yield { runId, accountId: t.accountId, region: t.region, ...account, request };
  }
}

export async function handler(
  event: unknown,
): Promise<{ runId: string; action: QueuedRequest['action']; enqueued: number; refused: number }> {
  const invocation = parseInvocation(event);
  const request = queuedRequest(config, invocation);
  const scope =
    invocation.kind === 'manual'
      ? invocation
      : invocation.kind === 'signing-change'
        ? { accounts: [invocation.target.accountId], regions: [invocation.target.region] }
        : {};
  await checkRequestedScope(config, scope, process.env);
  const loaded = await bundledPolicies();
  // Unknown policy ids are refused here, once, not by every worker.
  const policies = request.policies ? selectPolicies(loaded.policySet, request.policies) : loaded.policySet;
  const session = new ScanSession(
    lambdaScanConfig(
      config,
      scope,
      process.env,
      loaded.readsRepositoryTags,
      accountMetadataNeeded(policies.policies),
    ),
  );
  const runId = newRunId(new Date());
  try {
    const queue = new TargetQueue({ client: new SQSClient(session.clients.home()), queueUrl });
    const { sent, refused } = await queue.send(queued(runId, request, await session.targets()));
    for (const warning of session.accountWarnings) logger.warn('account metadata not read', { ...warning });
    logger.info('targets enqueued', { runId, ...request, enqueued: sent, refused: refused.length });
    if (refused.length > 0)
      throw new Error(`SQS refused ${refused.length} targets twice; the schedule's retry will enqueue again`);
    return { runId, action: request.action, enqueued: sent, refused: refused.length };
  } finally {
    session.close();
  }
}
