/**
 * Scale-out mode, second half: an SQS batch of targets, each through exactly the per-target
 * code of a single-function run, as the request it carries says (an audit records, alerts and
 * remediates nothing). A target whose processing throws, or a message without a complete
 * request, is reported as a batch item failure, so only it is retried (and after the queue's
 * receive limit, dead-lettered).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueuedRequest, QueuedTarget } from '../aws/target-queue.js';
import { mapConcurrent } from '../concurrency/map-concurrent.js';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { auditRegistries } from '../core/audit.js';
import { type PolicySet, selectPolicies } from '../core/policy/index.js';
import { type OpenedRun, openRun } from '../run/detector.js';
import { finishRun } from '../run/execute-run.js';
import { processTarget } from '../run/process-target.js';
import type { TargetResult } from '../run/run-types.js';
import { scanFromImageCursor } from '../run/scan-from-cursor.js';
import { scanOne, type TargetOutcome } from '../scan/scan-targets.js';
import { type BundledPolicies, bundledPolicies } from './bundled-policies.js';
import { effectiveRemediation, lambdaRunConfig } from './detector-config.js';
import { powertoolsTelemetry } from './powertools-telemetry.js';
import { limitFindings } from './response.js';
import { parseQueuedTarget } from './scale-out-request.js';

const logger = new Logger();
const metrics = new Metrics();
const config = loadDetectorConfig(process.env);

interface QueuedMessage {
  messageId: string;
  target: QueuedTarget;
}

/** Messages of one run and one request share a run; a batch may hold several. */
function byRun(messages: QueuedMessage[]): QueuedMessage[][] {
  const groups = new Map<string, QueuedMessage[]>();
  for (const m of messages) {
    const key = JSON.stringify([m.target.runId, m.target.request]);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()];
}

/** The run's remediation mode and policies; throws ConfigurationError when the request exceeds the function. */
function obeyed(
  request: QueuedRequest,
  loaded: BundledPolicies,
): { remediation: QueuedRequest['remediation']; policySet: PolicySet } {
  return {
    remediation:
      request.action === 'audit' ? 'off' : effectiveRemediation(config.remediation, request.remediation),
    policySet: request.policies ? selectPolicies(loaded.policySet, request.policies) : loaded.policySet,
  };
}

/** Scans each target; a target that throws is returned as failed (SQS retries only it). */
async function eachTarget<T>(
  messages: QueuedMessage[],
  work: (target: QueuedTarget) => Promise<T>,
): Promise<{ done: T[]; failed: string[] }> {
  const done: T[] = [];
  const failed: string[] = [];
  const attempt = async ({ messageId, target }: QueuedMessage) => {
    try {
      done.push(await work(target));
    } catch (error) {
      logger.error('target failed; SQS will retry it', {
        messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      failed.push(messageId);
    }
  };
  for await (const _ of mapConcurrent(messages, config.concurrency, attempt));
  return { done, failed };
}

function scanRef(opened: OpenedRun, { runId: _run, request: _request, ...ref }: QueuedTarget) {
  return scanOne(opened.deps.scanner, ref);
}

/** An audit: read and evaluate, log the report; the store, the topic and the registries are left alone. */
async function audit(
  opened: OpenedRun,
  messages: QueuedMessage[],
  policySet: PolicySet,
  loaded: BundledPolicies,
) {
  const { done, failed } = await eachTarget(messages, (target) => scanRef(opened, target));
  const scanned = done.filter((o): o is Extract<TargetOutcome, { ok: true }> => o.ok);
  const report = auditRegistries({
    registries: scanned.map((o) => o.scan.registry),
    errors: done.flatMap((o) => (o.ok ? [] : [o.error])),
    warnings: scanned.flatMap((o) => o.scan.warnings),
    imagesSkippedByBudget: scanned.reduce(
      (n, o) => n + (o.scan.imageSampling?.imagesSkippedByBudget ?? 0),
      0,
    ),
    policySet,
    desired: loaded.desired,
    strategy: 'merge',
    generatedAt: new Date().toISOString(),
  });
  logger.info('audit finished', {
    runId: opened.settings.runId,
    summary: report.summary,
    errors: report.errors,
    ...limitFindings(report.findings),
  });
  return failed;
}

/** A run: each target through the per-target code, the batch recorded under the run's id. */
async function run(opened: OpenedRun, messages: QueuedMessage[]) {
  const startedAt = opened.deps.clock();
  const { done, failed } = await eachTarget(messages, async (target) => {
    const scanStartedAt = opened.deps.clock();
    const { runId: _run, request: _request, ...ref } = target;
    const { outcome, corruptRecord } = await scanFromImageCursor(opened.deps, ref);
    return processTarget(opened.deps, opened.settings, outcome, scanStartedAt, corruptRecord);
  });
  const results: TargetResult[] = done;
  // A scale-out run's summary is the sum of its batches' records.
  await finishRun(opened.deps, opened.settings, results, startedAt);
  return failed;
}

async function processRun(messages: QueuedMessage[], loaded: BundledPolicies): Promise<string[]> {
  const { runId, request } = messages[0]!.target;
  let obey: ReturnType<typeof obeyed>;
  try {
    obey = obeyed(request, loaded);
  } catch (error) {
    logger.error('request refused; its messages are left for the dead-letter queue', {
      runId,
      error: (error as Error).message,
    });
    return messages.map((m) => m.messageId);
  }
  const opened = await openRun(
    lambdaRunConfig({
      config,
      runId,
      trigger: request.trigger,
      scope: {},
      remediation: obey.remediation,
      loaded,
      // Only a subset is passed as one: a run of every policy resolves every finding.
      ...(request.policies ? { policySet: obey.policySet } : {}),
      telemetry: powertoolsTelemetry(logger, metrics),
      env: process.env,
    }),
  );
  try {
    return request.action === 'audit'
      ? await audit(opened, messages, obey.policySet, loaded)
      : await run(opened, messages);
  } finally {
    opened.session.close();
  }
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const loaded = await bundledPolicies();
  const failures: { itemIdentifier: string }[] = [];
  const readable: QueuedMessage[] = [];
  for (const record of event.Records) {
    const parsed = parseQueuedTarget(record.body);
    if ('target' in parsed) readable.push({ messageId: record.messageId, target: parsed.target });
    else {
      logger.error('message refused; left for the dead-letter queue', {
        messageId: record.messageId,
        problem: parsed.problem,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  for (const messages of byRun(readable)) {
    for (const failed of await processRun(messages, loaded)) failures.push({ itemIdentifier: failed });
  }
  return { batchItemFailures: failures };
}
