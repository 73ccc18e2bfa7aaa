/**
 * The detector Lambda: a scheduled run (EventBridge Scheduler) or a manual invocation
 * (audit, run, remediate, rollback). Configuration is read and validated once, at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadDetectorConfig } from '../config/detector-environment.js';
import { auditRegistries } from '../core/audit.js';
import { selectPolicies } from '../core/policy/select.js';
import { DynamoDbDriftStore } from '../records/dynamodb-drift-store.js';
import { runDetector } from '../run/detector.js';
import { rollbackTarget } from '../run/rollback-target.js';
import { newRunId } from '../run/run-id.js';
import { ScanSession } from '../scan/scan-session.js';
import { scanTargets } from '../scan/scan-targets.js';
import { bundledPolicies } from './bundled-policies.js';
import { effectiveRemediation, lambdaScanConfig } from './detector-config.js';
import { parseInvocation } from './invocation.js';
import { powertoolsTelemetry } from './powertools-telemetry.js';
import { type HandlerResponse, limitFindings } from './response.js';

const logger = new Logger();
const metrics = new Metrics();
const config = loadDetectorConfig(process.env);
const store = () =>
  new DynamoDbDriftStore({ tableName: config.tableName, retentionDays: config.runHistoryDays });

export async function handler(event: unknown, context?: Context): Promise<HandlerResponse> {
  if (context) logger.addContext(context);
  const request = parseInvocation(event);
  const loaded = await bundledPolicies();
  const policySet =
    request.kind === 'manual' && request.policies
      ? selectPolicies(loaded.policySet, request.policies)
      : loaded.policySet;
  const audit = { policySet, desired: loaded.desired, strategy: 'merge' as const };
  const runId = newRunId(new Date());
  logger.appendKeys({ runId });

  if (request.kind === 'manual' && request.action === 'audit') {
    const session = new ScanSession(
      lambdaScanConfig(config, request, process.env, loaded.readsRepositoryTags),
    );
    try {
      const scanned = await scanTargets(await session.targets(), await session.scanner(), {
        concurrency: config.concurrency,
      });
      const report = auditRegistries({ ...scanned, ...audit, generatedAt: new Date().toISOString() });
      return {
        runId,
        action: 'audit',
        summary: report.summary,
        errors: report.errors,
        ...limitFindings(report.findings),
      };
    } finally {
      session.close();
    }
  }
  if (request.kind === 'rollback') {
    const outcome = await rollbackTarget({
      scan: lambdaScanConfig(
        config,
        { accounts: [request.target.accountId], regions: [request.target.region] },
        process.env,
        false,
      ),
      store: store(),
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
  const scope = request.kind === 'manual' ? request : {};
  const remediation =
    request.kind === 'manual'
      ? effectiveRemediation(
          config.remediation,
          request.action === 'remediate' ? (request.remediation ?? 'apply') : request.remediation,
        )
      : config.remediation;
  const { summary, results } = await runDetector({
    runId,
    trigger: request.kind === 'scheduled' ? 'schedule' : `manual-${request.action}`,
    scan: lambdaScanConfig(config, scope, process.env, loaded.readsRepositoryTags),
    store: store(),
    topicArn: config.topicArn,
    audit,
    remediation: {
      mode: remediation,
      accounts: config.remediationAccounts,
      maxPerRun: config.maxRemediations,
    },
    reminderIntervalMs: config.reminderIntervalMs,
    telemetry: powertoolsTelemetry(logger, metrics),
  });
  return {
    runId,
    action: request.kind === 'scheduled' ? 'run' : request.action,
    summary,
    errors: summary.errors,
    ...limitFindings(results.flatMap((r) => r.findings)),
  };
}
