/**
 * The audit of registries: facts, policy findings, drift against the desired
 * configuration and a remediation plan where there is drift. Pure: the offline audit
 * of a snapshot and the live audit of the registries it captured give the same report.
 */

import {
  computeDrift,
  type DesiredConfigurationSet,
  type DriftReport,
  resolveDesired,
} from './drift/index.js';
import { PolicyEvaluationTimeoutError } from './errors.js';
import { buildFacts } from './facts/index.js';
import { planRemediation, type RemediationPlan, type RemediationStrategy } from './planning/index.js';
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
  const { findings, waived, expired } = applyPolicySetWaivers(
    context.policySet,
    evaluatePolicies(context.policySet, facts, context.evaluationBudget),
    today,
  );
  const base = {
    facts,
    findings,
    waived,
    expiredWaivers: expired,
    unevaluatedScope: unevaluatedScope(context.policySet.policies, registry),
  };
  const desired = resolveDesired(context.desired, registry.accountId, registry.region);
  if (!desired) return { ...base, drift: null, plan: null };
  const target = { accountId: registry.accountId, region: registry.region };
  const actual = registry.signingConfiguration;
  const drift = computeDrift({
    ...target,
    actual,
    desired: desired.configuration,
    desiredSource: desired.source,
  });
  const plan =
    drift.status === 'drifted'
      ? planRemediation({
          ...target,
          actual,
          desired: desired.configuration,
          repositories: registry.repositories.map((r) => r.repositoryName),
          strategy: context.strategy,
        })
      : null;
  return { ...base, drift, plan };
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
  generatedAt: string;
}

export function auditRegistries(input: AuditInput): AuditReport {
  const findings: Finding[] = [];
  const waived: WaivedFinding[] = [];
  const warnings = [...(input.warnings ?? [])];
  const context = { ...input, today: input.today ?? input.generatedAt.slice(0, 10) };
  const drift: DriftReport[] = [];
  const remediation: RemediationPlan[] = [];
  const accountNames: Record<string, string> = {};
  const errors = [...(input.errors ?? [])];
  let repositories = 0;
  for (const registry of input.registries) {
    const audited = tryAuditRegistry(registry, context);
    if (!audited.ok) {
      errors.push(audited.error);
      continue;
    }
    const { audit } = audited;
    findings.push(...audit.findings);
    waived.push(...audit.waived);
    warnings.push(...expiredWaiverWarnings(registry, audit.expiredWaivers));
    if (audit.unevaluatedScope) warnings.push(audit.unevaluatedScope.warning);
    if (audit.drift) drift.push(audit.drift);
    if (audit.plan) remediation.push(audit.plan);
    repositories += registry.repositories.length;
    if (registry.account?.name) accountNames[registry.accountId] = registry.account.name;
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  const drifted = drift.filter((d) => d.status === 'drifted').length;
  return {
    reportVersion: 1,
    generatedAt: input.generatedAt,
    summary: {
      registries: input.registries.length,
      repositories,
      findings: findings.length,
      waived: waived.length,
      bySeverity,
      drift: { drifted, inSync: drift.length - drifted, noDesired: input.registries.length - drift.length },
      remediation: {
        ready: remediation.filter((p) => p.status === 'ready').length,
        refused: remediation.filter((p) => p.status === 'refused').length,
        noop: remediation.filter((p) => p.status === 'noop').length,
      },
      failedTargets: errors.length,
      warnings: warnings.length,
    },
    findings,
    waived,
    drift,
    remediation,
    errors,
    warnings,
    accountNames,
  };
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
