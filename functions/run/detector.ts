/**
 * Wires a run from configuration: the scan session (clients, credentials), the store,
 * the SNS publisher and the remediation step, then executes it. Entry points (Lambda
 * handler, CLI) build the configuration and the store; everything else happens here.
 */

import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SecurityHubFindings } from '../aws/security-hub-findings.js';
import { SnsPublisher } from '../aws/sns-publisher.js';
import type { RemediationMode } from '../config/detector-environment.js';
import type { AuditContext } from '../core/audit.js';
import { ScanStartError } from '../core/errors.js';
import type { ScanError } from '../core/types.js';
import type { DriftStore } from '../records/drift-store.js';
import { cloudTrailWriteCheck } from '../remediation/concurrent-writes.js';
import { type ScanConfig, ScanSession } from '../scan/scan-session.js';
import { executeRun } from './execute-run.js';
import { remediationStep } from './remediation-step.js';
import type { RunDependencies, RunSettings, RunSummary, TargetResult } from './run-types.js';
import type { RunTelemetry } from './telemetry.js';

export interface DetectorRunConfig {
  runId: string;
  trigger: string;
  scan: ScanConfig;
  store: DriftStore;
  topicArn: string | null;
  /** Import findings into Security Hub in the caller's (the detector's) account and home region. */
  securityHub?: boolean;
  audit: AuditContext;
  remediation: { mode: RemediationMode; accounts: readonly string[]; maxPerRun: number };
  reminderIntervalMs: number;
  /** Set when `audit.policySet` is a subset: the ids it holds (see RunSettings). */
  evaluatedPolicyIds?: readonly string[];
  telemetry: RunTelemetry;
  clock?: () => Date;
  onTarget?: (result: TargetResult) => void;
}

/**
 * The lease time. Live runs renew their leases every third of it, so it only bounds how long
 * a crashed run's leases stay (the file store frees those of a dead process at once).
 */
export const LEASE_TTL_MS = 60_000;

/** An opened run: its dependencies and settings, shared by the whole run and by scale-out workers. */
export interface OpenedRun {
  deps: RunDependencies;
  settings: RunSettings;
  session: ScanSession;
}

export async function openRun(config: DetectorRunConfig): Promise<OpenedRun> {
  const clock = config.clock ?? (() => new Date());
  const session = new ScanSession(config.scan);
  try {
    let scanner: Awaited<ReturnType<ScanSession['scanner']>>;
    try {
      scanner = await session.scanner();
    } catch (error) {
      // The caller's own credentials do not work: nothing can be read, one line says why.
      throw new ScanStartError(`cannot start the run: ${(error as Error).message}`, { cause: error });
    }
    const publisher = config.topicArn
      ? new SnsPublisher({ client: new SNSClient(session.clients.home()), topicArn: config.topicArn })
      : null;
    const securityHub = config.securityHub
      ? {
          importer: new SecurityHubFindings({ client: new SecurityHubClient(session.clients.home()) }),
          destination: {
            account: {
              accountId: await session.roleCredentials.callerAccountId(),
              region: config.scan.homeRegion,
            },
            policies: new Map(config.audit.policySet.policies.map((p) => [p.id, p])),
          },
        }
      : null;
    return {
      session,
      deps: {
        scanner,
        store: config.store,
        publisher,
        securityHub,
        audit: config.audit,
        remediate: remediationStep({
          mode: config.remediation.mode,
          allowedAccounts: config.remediation.accounts,
          maxPerRun: config.remediation.maxPerRun,
          runId: config.runId,
          store: config.store,
          clock,
          ecrFor: (target) => scanner.ecrFor(target),
          concurrentWritesFor: (target) =>
            cloudTrailWriteCheck(scanner.historyFor(target), () => scanner.principalArnFor(target)),
        }),
        telemetry: config.telemetry,
        clock,
      },
      settings: {
        runId: config.runId,
        trigger: config.trigger,
        remediation: config.remediation.mode,
        reminderIntervalMs: config.reminderIntervalMs,
        concurrency: config.scan.concurrency,
        leaseTtlMs: LEASE_TTL_MS,
        ...(config.evaluatedPolicyIds ? { evaluatedPolicyIds: config.evaluatedPolicyIds } : {}),
      },
    };
  } catch (error) {
    session.close();
    throw error;
  }
}

export async function runDetector(
  config: DetectorRunConfig,
): Promise<{ summary: RunSummary; results: TargetResult[] }> {
  const { deps, settings, session } = await openRun(config);
  try {
    const discoveryErrors: ScanError[] = [];
    const targets = await session.withDiscoveryErrors(await session.targets(), discoveryErrors);
    return await executeRun(
      deps,
      settings,
      targets,
      config.onTarget,
      discoveryErrors,
      session.accountWarnings,
    );
  } finally {
    session.close();
  }
}
