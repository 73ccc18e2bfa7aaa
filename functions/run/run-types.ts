/** The shapes a run is configured with and reports. */
import type { RemediationMode } from '../config/detector-environment.js';
import type {
  RemediationOutcome as AlertRemediationOutcome,
  ChangeAttribution,
  ComposedAlert,
} from '../core/alerts/index.js';
import type { AuditContext, RegistryAudit } from '../core/audit.js';
import type {
  Finding,
  RegistrySnapshot,
  ScanError,
  Severity,
  SigningConfiguration,
  TargetRef,
} from '../core/types.js';
import type { DriftStore } from '../records/drift-store.js';
import type { RegistryScan } from '../scan/registry-scanner.js';
import type { ScanTarget } from '../scan/targets.js';
import type { SecurityHubDestination } from './security-hub-import.js';
import type { RunTelemetry } from './telemetry.js';

export interface RunSettings {
  runId: string;
  /** What started the run, recorded in its history: schedule, manual, cli, worker. */
  trigger: string;
  remediation: RemediationMode;
  reminderIntervalMs: number;
  concurrency: number;
  /**
   * The lease time: how long a lease outlives its holder's last renewal (a live run renews
   * every third of it). A target another run has held for longer than it is a failed target.
   */
  leaseTtlMs: number;
  /** Set when the run evaluates only these policies: the others' open findings stay as recorded. */
  evaluatedPolicyIds?: readonly string[];
}

/** Remediation for one target, decided and (maybe) applied by the run's remediation step. */
export interface TargetRemediation {
  /** Outcomes as the alert lifecycle reports them. */
  alerts: AlertRemediationOutcome[];
  status: 'planned' | 'applied' | 'failed' | 'skipped';
  reason: string | null;
  /** What an applied remediation wrote (and read back): the registry's configuration from now on. */
  written?: SigningConfiguration | null;
}

export type RemediationStep = (input: {
  target: ScanTarget;
  registry: RegistrySnapshot;
  audit: RegistryAudit;
  evaluatedHash: string;
}) => Promise<TargetRemediation | null>;

export interface AlertPublisher {
  /** Where alerts go (the topic ARN), for error messages. */
  readonly destination?: string;
  publish(alert: ComposedAlert): Promise<string>;
}

/** Imports ASFF findings (functions/aws/security-hub-findings.ts); refused ones are returned, a failed call throws. */
export interface FindingImporter {
  importFindings(findings: readonly Record<string, unknown>[]): Promise<{
    imported: number;
    refused: { id: string; errorCode: string; errorMessage: string }[];
  }>;
}

export interface RunDependencies {
  scanner: {
    scan(target: ScanTarget): Promise<RegistryScan>;
    /** True when scans sample images: each target's image cursor is then read from its record first. */
    readonly samplesImages?: boolean;
    /** Who made a configuration change the scan found (CloudTrail); without it nobody is looked up. */
    attributeChange?(
      target: TargetRef,
      window: { since: Date; until: Date; observed: SigningConfiguration | null },
    ): Promise<ChangeAttribution>;
  };
  store: DriftStore;
  /** Null: alerts stay in the outbox (no topic configured). */
  publisher: AlertPublisher | null;
  /** Set when findings go to Security Hub too (`securityHub: true`). */
  securityHub?: { importer: FindingImporter; destination: SecurityHubDestination } | null;
  audit: AuditContext;
  remediate: RemediationStep;
  telemetry: RunTelemetry;
  clock: () => Date;
}

export interface RepositoryCoverage {
  repositories: number;
  coveredRepositories: number;
}

/** What happened to one target in a run. */
export interface TargetResult {
  accountId: string;
  region: string;
  status: 'scanned' | 'failed' | 'skipped';
  /** Why a target was skipped (another run holds it, or recorded it after this run read it). */
  reason?: string;
  /** Set when the target was skipped because another run holds its lease. */
  heldBy?: {
    /** The holding run; null when its lease was freed before this run could read it. */
    runId: string | null;
    /** When it took the lease (ISO-8601). */
    since: string | null;
    /** It had held the target for longer than the lease time: a stuck run, reported as a failed run. */
    longerThanLeaseTime: boolean;
  };
  findings: Finding[];
  /** The configuration differs from the desired one. */
  drifted: boolean;
  events: string[];
  remediation: TargetRemediation['status'] | null;
  /** Repositories, and those a signing rule covers, as scanned (set when the target was scanned). */
  coverage?: RepositoryCoverage;
  error?: ScanError;
  /** What image sampling did for the target (scanned targets that sample images). */
  images?: { sampled: number; skippedByBudget: number };
  /** What kept part of the audit from being done (a policy scope that could not be evaluated). */
  warnings?: ScanError[];
}

export interface RunSummary {
  runId: string;
  trigger: string;
  startedAt: string;
  finishedAt: string;
  targets: {
    scanned: number;
    failed: number;
    skipped: number;
    /** Of the skipped: another run held the target's lease. */
    heldByAnotherRun: number;
    /** Of those: held for longer than the lease time, so the run fails (exit 3). */
    heldLongerThanLeaseTime: number;
  };
  /** Finding the accounts failed: only the targets found before it were scanned (a failed run). */
  discoveryFailed: boolean;
  findings: Record<Severity, number>;
  /** Targets on which findings were opened, and on which findings were resolved, this run. */
  findingChanges: { opened: number; resolved: number };
  /** Targets whose configuration differs from their desired configuration (drift). */
  drift: { drifted: number };
  /** Over the scanned targets, as scanned (before this run's remediation): the HTML report's trend. */
  coverage: RepositoryCoverage;
  remediation: { planned: number; applied: number; failed: number; skipped: number };
  alerts: { enqueued: number; published: number; failed: number; pending: number };
  /** Images whose signing status was read, and those the budgets left unread (images and covered repositories). */
  imagesSampled: number;
  imagesSkippedByBudget: number;
  /**
   * Present when findings go to Security Hub: findings imported, findings refused after the
   * retries, imports that failed (kept for the next run); refusals and failures are errors too.
   */
  securityHub?: { imported: number; refused: number; failed: number };
  /** Failed targets, and findings Security Hub refused (operation BatchImportFindings). */
  errors: ScanError[];
  /** Per target and per account: what the run could not judge (never a silent non-match). */
  warnings: ScanError[];
}
