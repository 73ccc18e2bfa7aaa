/**
 * The audit of registries: facts, policy findings, drift against the desired
 * configuration and a remediation plan where there is drift. Pure: the offline audit
 * of a snapshot and the live audit of the registries it captured give the same report.
 */

import {
  computeDrift,
  type DesiredConfigurationSet,
  type DriftReport,
  matchesDesiredFinding,
  resolveDesired,
} from './drift/index.js';
import { PolicyEvaluationTimeoutError } from './errors.js';
import { buildFacts } from './facts/index.js';
import {
  type ProfileLookup,
  planRemediation,
  type RemediationPlan,
  type RemediationStrategy,
} from './planning/index.js';
import type { EvaluationBudget, PolicySet, UnevaluatedScope, WaivedFinding } from './policy/index.js';
import { applyPolicySetWaivers, evaluatePolicies, unevaluatedScope } from './policy/index.js';
import {
  type Finding,
  type RegistryFacts,
  type RegistrySnapshot,
  type ScanError,
  SEVERITIES,
  type Severity,
} from './types.js';

export interface AuditContext {
  policySet: PolicySet;
  desired: DesiredConfigurationSet;
  strategy: RemediationStrategy;
  /** Per registry; the default bounds it at 30 s. */
  evaluationBudget?: EvaluationBudget;
  /** The day waivers are judged on (YYYY-MM-DD, UTC); default: today. */
  today?: string;
}

/** One registry's audit: what the run records, alerts on and remediates. */
export interface RegistryAudit {
  facts: RegistryFacts;
  /** Findings no waiver in force covers: what exit codes, alerts and records count. */
  findings: Finding[];
  /** Findings a waiver in force covers, with that waiver. */
  waived: WaivedFinding[];
  /** Findings only an expired waiver covers (they are in `findings` too): warnings. */
  expiredWaivers: WaivedFinding[];
  /** Policies not applied because their scope names account metadata that was not read (a warning). */
  unevaluatedScope: UnevaluatedScope | null;
  /** null when no desired configuration applies. */
  drift: DriftReport | null;
  /** Present only when the registry drifted from its desired configuration. */
  plan: RemediationPlan | null;
}

/** Audits one registry; throws PolicyEvaluationTimeoutError when its evaluation runs out of time. */
export function auditRegistry(registry: RegistrySnapshot, context: AuditContext): RegistryAudit {
  const facts = buildFacts(registry);
  const today = context.today ?? new Date().toISOString().slice(0, 10);
  const violations = evaluatePolicies(context.policySet, facts, context.evaluationBudget);
  const desired = resolveDesired(context.desired, registry.accountId, registry.region);
  const target = { accountId: registry.accountId, region: registry.region };
  const actual = registry.signingConfiguration;
  const drift = desired
    ? computeDrift({ ...target, actual, desired: desired.configuration, desiredSource: desired.source })
    : null;
  const driftFinding =
    drift && desired && !context.policySet.withoutMatchesDesired
      ? matchesDesiredFinding(drift, desired.severity)
      : null;
  const { findings, waived, expired } = applyPolicySetWaivers(
    context.policySet,
    driftFinding ? [...violations, driftFinding] : violations,
    today,
  );
  const plan =
    desired && drift?.status === 'drifted'
      ? planRemediation({
          ...target,
          actual,
          desired: desired.configuration,
          repositories: registry.repositories.map((r) => r.repositoryName),
          currentProfiles: profilesInFacts(facts),
          strategy: context.strategy,
        })
      : null;
  return {
    facts,
    findings,
    waived,
    expiredWaivers: expired,
    unevaluatedScope: unevaluatedScope(context.policySet.policies, registry),
    drift,
    plan,
  };
}

/** The facts' own answer to "which profiles sign this repository now". */
function profilesInFacts(facts: RegistryFacts): ProfileLookup {
  const byName = new Map(facts.repositories.map((r) => [r.repositoryName, r.signingProfileArns]));
  return (name) => byName.get(name) ?? [];
}

/** Audits one registry; a timed-out evaluation is that target's error rather than an exception. */
export function tryAuditRegistry(
  registry: RegistrySnapshot,
  context: AuditContext,
): { ok: true; audit: RegistryAudit } | { ok: false; error: ScanError } {
  try {
    return { ok: true, audit: auditRegistry(registry, context) };
  } catch (error) {
    if (!(error instanceof PolicyEvaluationTimeoutError)) throw error;
    return {
      ok: false,
      error: {
        accountId: registry.accountId,
        region: registry.region,
        operation: 'EvaluatePolicies',
        errorName: error.name,
        message: error.message,
      },
    };
  }
}

export interface AuditSummary {
  registries: number;
  repositories: number;
  findings: number;
  waived: number;
  bySeverity: Record<Severity, number>;
  drift: { drifted: number; inSync: number; noDesired: number };
  remediation: { ready: number; refused: number; noop: number };
  failedTargets: number;
  warnings: number;
  /** Images whose signing status was read (counted from the registries, so live and offline agree). */
  imagesSampled: number;
  /** Images (and covered repositories) the live scan's budget left unread; 0 offline. */
  imagesSkippedByBudget: number;
}

export interface AuditReport {
  reportVersion: 1;
  generatedAt: string;
  summary: AuditSummary;
  findings: Finding[];
  /** Findings a waiver covers: reported, never counted for exit codes or alerts. */
  waived: WaivedFinding[];
  drift: DriftReport[];
  remediation: RemediationPlan[];
  errors: ScanError[];
  warnings: ScanError[];
  /** Account names by account id, for human-readable formats. */
  accountNames: Record<string, string>;
}

export interface AuditInput extends AuditContext {
  registries: readonly RegistrySnapshot[];
  errors?: readonly ScanError[];
  warnings?: readonly ScanError[];
  imagesSkippedByBudget?: number;
  generatedAt: string;
}

/** What one registry adds to the report; a streamed report writes it out and drops it. */
export interface RegistryReportParts {
  findings: Finding[];
  waived: WaivedFinding[];
  drift: DriftReport | null;
  plan: RemediationPlan | null;
  warnings: ScanError[];
  /** Set when the registry's evaluation failed (it is then counted as a failed target). */
  error: ScanError | null;
  /** null when the registry's evaluation failed. */
  coverage: RegistryCoverage | null;
}

/** How much of one registry is signed and whether it is in policy: a cell of the HTML report's heatmap. */
export interface RegistryCoverage {
  accountId: string;
  region: string;
  /** Organizational unit names from the root down (ids where names are unknown); empty when unknown. */
  organizationalUnit: string[];
  repositories: number;
  coveredRepositories: number;
  /** Findings no waiver covers: 0 means the registry is in policy. */
  findings: number;
}

function registryCoverage(facts: RegistryFacts, findings: readonly Finding[]): RegistryCoverage {
  const { organizationalUnitNames: names, organizationalUnitPath: ids } = facts.account;
  return {
    accountId: facts.accountId,
    region: facts.region,
    organizationalUnit: names.length === ids.length && names.length > 0 ? names : ids,
    repositories: facts.counts.repositories,
    coveredRepositories: facts.counts.coveredRepositories,
    findings: findings.length,
  };
}

/** The report without its per-registry sections: what a streamed report writes around them. */
export type AuditReportFrame = Omit<AuditReport, 'findings' | 'waived' | 'drift' | 'remediation'>;

/**
 * Audits registries one at a time and keeps only counts (and account names), so a report
 * over a snapshot of any size holds one registry in memory at a time.
 */
export class AuditAccumulator {
  readonly #context: AuditContext;
  readonly #generatedAt: string;
  readonly #errors: ScanError[] = [];
  readonly #warnings: ScanError[] = [];
  readonly #accountNames: Record<string, string> = {};
  readonly #bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  #registries = 0;
  #repositories = 0;
  #findings = 0;
  #waived = 0;
  #desired = 0;
  #drifted = 0;
  #imagesSampled = 0;
  readonly #plans = { ready: 0, refused: 0, noop: 0 };

  constructor(context: AuditContext & { generatedAt: string }) {
    this.#generatedAt = context.generatedAt;
    this.#context = { ...context, today: context.today ?? context.generatedAt.slice(0, 10) };
  }

  /** Audits one registry and returns what it adds to the report. */
  add(registry: RegistrySnapshot): RegistryReportParts {
    this.#registries++;
    const audited = tryAuditRegistry(registry, this.#context);
    if (!audited.ok) {
      this.#errors.push(audited.error);
      return {
        findings: [],
        waived: [],
        drift: null,
        plan: null,
        warnings: [],
        error: audited.error,
        coverage: null,
      };
    }
    const { audit } = audited;
    const warnings = expiredWaiverWarnings(registry, audit.expiredWaivers);
    if (audit.unevaluatedScope) warnings.push(audit.unevaluatedScope.warning);
    this.#warnings.push(...warnings);
    this.#findings += audit.findings.length;
    for (const f of audit.findings) this.#bySeverity[f.severity]++;
    this.#waived += audit.waived.length;
    if (audit.drift) {
      this.#desired++;
      if (audit.drift.status === 'drifted') this.#drifted++;
    }
    if (audit.plan) this.#plans[audit.plan.status]++;
    this.#repositories += registry.repositories.length;
    for (const repository of registry.repositories) this.#imagesSampled += repository.images?.length ?? 0;
    if (registry.account?.name) this.#accountNames[registry.accountId] = registry.account.name;
    return {
      findings: audit.findings,
      waived: audit.waived,
      drift: audit.drift,
      plan: audit.plan,
      warnings,
      error: null,
      coverage: registryCoverage(audit.facts, audit.findings),
    };
  }

  /**
   * The report around its per-registry sections, once every registry was added: the scan's
   * own errors and warnings (targets it could not read) come before the audit's.
   */
  frame(
    scan: {
      errors?: readonly ScanError[];
      warnings?: readonly ScanError[];
      imagesSkippedByBudget?: number;
    } = {},
  ): AuditReportFrame {
    const errors = [...(scan.errors ?? []), ...this.#errors];
    const warnings = [...(scan.warnings ?? []), ...this.#warnings];
    return {
      reportVersion: 1,
      generatedAt: this.#generatedAt,
      summary: {
        registries: this.#registries,
        repositories: this.#repositories,
        findings: this.#findings,
        waived: this.#waived,
        bySeverity: { ...this.#bySeverity },
        drift: {
          drifted: this.#drifted,
          inSync: this.#desired - this.#drifted,
          noDesired: this.#registries - this.#desired,
        },
        remediation: { ...this.#plans },
        failedTargets: errors.length,
        warnings: warnings.length,
        imagesSampled: this.#imagesSampled,
        imagesSkippedByBudget: scan.imagesSkippedByBudget ?? 0,
      },
      errors,
      warnings,
      accountNames: { ...this.#accountNames },
    };
  }
}

/** The whole report in memory: for live runs and the formats people read. */
export function auditRegistries(input: AuditInput): AuditReport {
  return auditRegistriesWithCoverage(input).report;
}

/** The whole report and each registry's coverage (in audit order): what the HTML report shows. */
export function auditRegistriesWithCoverage(input: AuditInput): {
  report: AuditReport;
  coverage: RegistryCoverage[];
} {
  const accumulator = new AuditAccumulator(input);
  const coverage: RegistryCoverage[] = [];
  const findings: Finding[] = [];
  const waived: WaivedFinding[] = [];
  const drift: DriftReport[] = [];
  const remediation: RemediationPlan[] = [];
  for (const registry of input.registries) {
    const parts = accumulator.add(registry);
    if (parts.coverage) coverage.push(parts.coverage);
    findings.push(...parts.findings);
    waived.push(...parts.waived);
    if (parts.drift) drift.push(parts.drift);
    if (parts.plan) remediation.push(parts.plan);
  }
  const frame = accumulator.frame({
    ...(input.errors ? { errors: input.errors } : {}),
    ...(input.warnings ? { warnings: input.warnings } : {}),
    ...(input.imagesSkippedByBudget ? { imagesSkippedByBudget: input.imagesSkippedByBudget } : {}),
  });
  return { report: withSections(frame, { findings, waived, drift, remediation }), coverage };
}

/** The report with its sections in the order readers see them (summary first). */
export function withSections(
  frame: AuditReportFrame,
  sections: Pick<AuditReport, 'findings' | 'waived' | 'drift' | 'remediation'>,
): AuditReport {
  const { reportVersion, generatedAt, summary, errors, warnings, accountNames } = frame;
  return { reportVersion, generatedAt, summary, ...sections, errors, warnings, accountNames };
}

/** One warning per expired waiver and registry: the findings it covered count again. */
function expiredWaiverWarnings(
  target: { accountId: string; region: string },
  expired: readonly WaivedFinding[],
): ScanError[] {
  const counts = new Map<string, { waived: WaivedFinding; count: number }>();
  for (const entry of expired) {
    const seen = counts.get(entry.waiver.source);
    if (seen) seen.count++;
    else counts.set(entry.waiver.source, { waived: entry, count: 1 });
  }
  return [...counts.values()].map(({ waived: { waiver }, count }) => ({
    accountId: target.accountId,
    region: target.region,
    operation: 'ApplyWaivers',
    errorName: 'WaiverExpired',
    message: `waiver ${waiver.source} (${waiver.policyId}, owner ${waiver.owner}) expired on ${waiver.expires}: ${count} finding${count === 1 ? '' : 's'} of ${waiver.policyId} count again`,
  }));
}
