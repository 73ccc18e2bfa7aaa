/**
 * The detector Lambda: a scheduled run (EventBridge Scheduler) or a manual invocation
 * (audit, run, remediate, rollback). Configuration is read and validated once, at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { auditRegistries } from '../core/audit.js';
import { accountMetadataNeeded, selectPolicies } from '../core/policy/index.js';
import { runDetector } from '../run/detector.js';
import { rollbackTarget } from '../run/rollback-target.js';
import { newRunId } from '../run/run-id.js';
import { ScanSession } from '../scan/scan-session.js';
import { bundledPolicies } from './bundled-policies.js';
import {
  checkRequestedScope,
  effectiveRemediation,
  lambdaRunConfig,
  lambdaScanConfig,
} from './detector-config.js';
import { parseInvocation } from './invocation.js';
import { powertoolsTelemetry } from './powertools-telemetry.js';
import { type HandlerResponse, limitFindings } from './response.js';

const logger = new Logger();
const metrics = new Metrics();
const config = loadDetectorConfig(process.env);

export async function handler(event: unknown, context?: Context): Promise<HandlerResponse> {
  if (context) logger.addContext(context);
  const request = parseInvocation(event);
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
  const { summary, results } = await runDetector(
    lambdaRunConfig({
      config,
      runId,
      trigger: request.kind === 'scheduled' ? 'schedule' : `manual-${request.action}`,
      scope: request.kind === 'manual' ? request : {},
      remediation,
      loaded,
      ...(policySubset ? { policySet: policySubset } : {}),
      telemetry,
      env: process.env,
    }),
  );
  const action = request.kind === 'scheduled' ? 'run' : request.action;
  return {
    runId,
    action,
    summary,
    errors: summary.errors,
    warnings: summary.warnings,
    ...limitFindings(results.flatMap((r) => r.findings)),
  };
}
