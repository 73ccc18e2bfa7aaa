/**
 * The detector Lambda: a scheduled run (EventBridge Scheduler) or a manual invocation
 * (audit, run, remediate, rollback). Configuration is read and validated once, at cold start.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { auditRegistries } from '../core/audit.js';
import { accountMetadataNeeded, selectPolicies } from '../core/policy/index.js';
import { runDetector } from '../run/detector.js';
import { rollbackTarget } from '../run/rollback-target.js';
import { newRunId } from '../run/run-id.js';
import type { RunSummary, TargetResult } from '../run/run-types.js';
import { runSigningChange } from '../run/signing-change-coalescing.js';
import { ScanSession } from '../scan/scan-session.js';
import { bundledPolicies } from './bundled-policies.js';
import {
  checkRequestedScope,
  effectiveRemediation,
  lambdaRunConfig,
  lambdaScanConfig,
} from './detector-config.js';
import { InvalidSigningChangeEventError, parseInvocation } from './invocation.js';
import { OutOfScopeError } from './invocation-scope.js';
import { powertoolsTelemetry } from './powertools-telemetry.js';
import { type HandlerResponse, limitFindings } from './response.js';

const logger = new Logger();
const metrics = new Metrics();
const config = loadDetectorConfig(process.env);

/** Why the detector did not act on an event: a failed call, an event it refuses, or one a recorded read already saw. */
export type IgnoredEvent = 'failed-call' | 'refused' | 'coalesced';

export async function handler(event: unknown, context?: Context): Promise<HandlerResponse> {
  if (context) logger.addContext(context);
  let request: ReturnType<typeof parseInvocation>;
  try {
    request = parseInvocation(event);
  } catch (error) {
    // A bad or foreign CloudTrail event is refused, not retried: EventBridge would only send it again.
    if (!(error instanceof InvalidSigningChangeEventError)) throw error;
    return ignoreEvent('refused', error.message);
  }
  if (request.kind === 'signing-change') {
    const target = `${request.target.accountId}/${request.target.region}`;
    if (request.errorCode) {
      return ignoreEvent(
        'failed-call',
        `${request.eventName} on ${target} failed (${request.errorCode}): nothing changed`,
      );
    }
    try {
      await checkRequestedScope(
        config,
        { accounts: [request.target.accountId], regions: [request.target.region] },
        process.env,
      );
    } catch (error) {
      if (!(error instanceof OutOfScopeError)) throw error;
      return ignoreEvent('refused', `${request.eventName} on ${target}: ${(error as Error).message}`);
    }
    logger.info('signing configuration changed', {
      target,
      eventName: request.eventName,
      ...(request.principalArn ? { principalArn: request.principalArn } : {}),
    });
  }
  if (request.kind === 'rollback') {
    const { accountId, region } = request.target;
    await checkRequestedScope(config, { accounts: [accountId], regions: [region] }, process.env);
  } else if (request.kind === 'manual') {
    await checkRequestedScope(config, request, process.env);
  }
  const loaded = await bundledPolicies();
  const runId = newRunId(new Date());
  logger.appendKeys({ runId });
  const telemetry = powertoolsTelemetry(logger, metrics);

  if (request.kind === 'rollback') {
    const base = lambdaRunConfig({
      config,
      runId,
      trigger: 'rollback',
      scope: { accounts: [request.target.accountId], regions: [request.target.region] },
      remediation: 'off',
      loaded,
      telemetry,
      env: process.env,
    });
    const outcome = await rollbackTarget({
      scan: base.scan,
      store: base.store,
      runId,
      target: request.target,
      ...(request.toRunId ? { toRunId: request.toRunId } : {}),
    });
    logger.info('rollback finished', {
      status: outcome.status,
      target: `${request.target.accountId}/${request.target.region}`,
    });
    return { runId, action: 'rollback', summary: outcome, errors: [], findings: [] };
  }

  const policySubset =
    request.kind === 'manual' && request.policies
      ? selectPolicies(loaded.policySet, request.policies)
      : undefined;
  const policySet = policySubset ?? loaded.policySet;
  if (request.kind === 'manual' && request.action === 'audit') {
    const session = new ScanSession(
      lambdaScanConfig(
        config,
        request,
        process.env,
        loaded.readsRepositoryTags,
        accountMetadataNeeded(policySet.policies),
      ),
    );
    try {
      const scanned = await session.scan();
      const report = auditRegistries({
        ...scanned,
        imagesSkippedByBudget: scanned.images.skippedByBudget,
        policySet,
        desired: loaded.desired,
        strategy: 'merge',
        generatedAt: new Date().toISOString(),
      });
      return {
        runId,
        action: 'audit',
        summary: report.summary,
        errors: report.errors,
        warnings: report.warnings,
        ...limitFindings(report.findings),
      };
    } finally {
      session.close();
    }
  }

  const remediation =
    request.kind === 'manual'
      ? effectiveRemediation(
          config.remediation,
          request.action === 'remediate' ? (request.remediation ?? 'apply') : request.remediation,
        )
      : config.remediation;
  const runConfig = lambdaRunConfig({
    config,
    runId,
    trigger:
      request.kind === 'scheduled'
        ? 'schedule'
        : request.kind === 'signing-change'
          ? 'signing-change'
          : `manual-${request.action}`,
    scope:
      request.kind === 'manual'
        ? request
        : request.kind === 'signing-change'
          ? { accounts: [request.target.accountId], regions: [request.target.region] }
          : {},
    remediation,
    loaded,
    ...(policySubset ? { policySet: policySubset } : {}),
    telemetry,
    env: process.env,
  });
  if (request.kind === 'signing-change') {
    const outcome = await runSigningChange(request, runConfig);
    if (outcome.coalesced) {
      return ignoreEvent(
        'coalesced',
        `${request.eventName} on ${request.target.accountId}/${request.target.region} at ${request.eventTime}: a read begun after it is recorded (${outcome.recordedReadStartedAt})`,
      );
    }
    return runResponse(runId, 'run', outcome);
  }
  return runResponse(runId, request.kind === 'manual' ? request.action : 'run', await runDetector(runConfig));
}

function runResponse(
  runId: string,
  action: HandlerResponse['action'],
  { summary, results }: { summary: RunSummary; results: TargetResult[] },
): HandlerResponse {
  return {
    runId,
    action,
    summary,
    errors: summary.errors,
    warnings: summary.warnings,
    ...limitFindings(results.flatMap((r) => r.findings)),
  };
}

const IGNORED_METRIC: Record<IgnoredEvent, string> = {
  refused: 'EventsRefused',
  'failed-call': 'FailedCallsIgnored',
  coalesced: 'EventsCoalesced',
};

/** One log line and a metric, no AWS call: the response says why (`action: "ignored"`). */
function ignoreEvent(ignored: IgnoredEvent, reason: string): HandlerResponse {
  logger.warn('event not acted on', { ignored, reason });
  metrics.addMetric(IGNORED_METRIC[ignored], MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return { runId: '', action: 'ignored', summary: { ignored, reason }, errors: [], findings: [] };
}
