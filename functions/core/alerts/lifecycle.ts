/**
 * The alert lifecycle: from a target's previous state and this run's observation, the
 * events worth telling someone about and the state to keep. Pure: the clock and the
 * reminder interval are inputs, nothing is read or written.
 */
import { createHash } from 'node:crypto';
import { bySeverity, severityRank } from '../severity.js';
import type { Finding, ScanError, SigningConfiguration, TargetRef } from '../types.js';
import {
  type AlertEvent,
  type AlertEventType,
  type Attributed,
  EVENT_SEVERITY,
  type FindingSummary,
  type InhibitedPolicyCount,
  type RemediationEvent,
  type RemediationOutcome,
  type ScanFailure,
  type SigningNotConfiguredEvent,
} from './alert-event.js';
import {
  ALERT_STATE_VERSION,
  type LastScanRecord,
  type OpenFindingRecord,
  type RemediationNoticeRecords,
  type SigningNotConfiguredRecord,
  type TargetAlertState,
} from './alert-state.js';
import type { ChangeAttribution } from './change-attribution.js';
import { byPresentationOrder, compareText } from './event-order.js';
import { type ExpiredWaiverNotice, planWaiverExpiry } from './waiver-expiry.js';

export const DEFAULT_REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** How many repository names a signing.not-configured event lists; it counts them all. */
export const MAX_LISTED_REPOSITORIES = 20;

/** What this run learnt about the target. */
export type ScanObservation =
  | {
      kind: 'scanned';
      configurationHash: string;
      /** In the form the caller hashed (canonical), so the next run can diff against it. */
      configuration: SigningConfiguration | null;
      signingConfigured: boolean;
      findings: readonly Finding[];
      /** Old-vs-new differences in words, computed by the caller when the hash changed. */
      configurationChange?: readonly string[];
      /** Who made the change (CloudTrail), looked up by the caller when the hash changed. */
      changeAttribution?: ChangeAttribution;
      /** Waivers that expired, from the findings only they covered (expiredWaiverNotices). */
      expiredWaivers?: readonly ExpiredWaiverNotice[];
    }
  | { kind: 'failed'; error: ScanError };

export interface PlanAlertsInput {
  target: TargetRef;
  /** Null for a target never seen before. */
  previous: TargetAlertState | null;
  observation: ScanObservation;
  /** What remediation did for this target in this run. */
  remediations?: readonly RemediationOutcome[];
  now: Date;
  reminderIntervalMs?: number;
}

export interface AlertPlan {
  /** Empty when nothing changed that is worth telling. */
  events: AlertEvent[];
  nextState: TargetAlertState;
}

export function planAlerts(input: PlanAlertsInput): AlertPlan {
  const { target, previous, observation } = input;
  if (previous && (previous.accountId !== target.accountId || previous.region !== target.region)) {
    throw new Error(
      `previous state is for ${previous.accountId}/${previous.region}, not ${target.accountId}/${target.region}`,
    );
  }
  const clock: Clock = {
    now: input.now.toISOString(),
    isDue: (lastNotified) =>
      input.now.getTime() - Date.parse(lastNotified) >=
      (input.reminderIntervalMs ?? DEFAULT_REMINDER_INTERVAL_MS),
  };
  const planned =
    observation.kind === 'failed'
      ? planFailedScan(target, previous, observation.error, clock)
      : planSuccessfulScan(target, previous, observation, clock);
  const remediation = planRemediationEvents(
    previous?.remediationNotices ?? {},
    input.remediations ?? [],
    // A failed scan learnt nothing about remediation: what was told stays told.
    observation.kind === 'failed',
    clock,
  );
  const waivers = planWaiverExpiry(
    previous?.expiredWaivers ?? {},
    observation.kind === 'scanned' ? (observation.expiredWaivers ?? []) : undefined,
    clock.now,
  );
  const attribution = observation.kind === 'scanned' ? observation.changeAttribution : undefined;
  const attributed = attribution
    ? planned.events.map((event) => withAttribution(event, attribution))
    : planned.events;
  // Stable sort: remediation outcomes keep the order they were given in.
  const events = [...attributed, ...waivers.events, ...remediation.events].sort(byPresentationOrder);
  return {
    events,
    nextState: {
      ...planned.nextState,
      remediationNotices: remediation.notices,
      ...(Object.keys(waivers.told).length > 0 ? { expiredWaivers: waivers.told } : {}),
    },
  };
}

/** The events a write brings about: they say who made it. */
const ATTRIBUTED_EVENT_TYPES: ReadonlySet<AlertEventType> = new Set([
  'config.changed',
  'finding.opened',
  'signing.not-configured',
]);

function withAttribution(event: AlertEvent, attribution: ChangeAttribution): AlertEvent {
  if (!ATTRIBUTED_EVENT_TYPES.has(event.type)) return event;
  const said: Attributed =
    attribution.changedBy === null
      ? { changedBy: null, changedByReason: attribution.reason }
      : { changedBy: structuredClone(attribution.changedBy) };
  return { ...event, ...said } as AlertEvent;
}

interface Clock {
  now: string;
  /** True when the reminder interval has passed since `lastNotified`. */
  isDue(lastNotified: string): boolean;
}

/** A failed scan says nothing about findings or configuration: they are kept as they were. */
function planFailedScan(
  target: TargetRef,
  previous: TargetAlertState | null,
  error: ScanError,
  clock: Clock,
): AlertPlan {
  const failure: ScanFailure = {
    operation: error.operation,
    errorName: error.errorName,
    message: error.message,
  };
  const failing = previous?.lastScan.status === 'failed' ? previous.lastScan : null;
  // Told once when the failures begin, then again only each time the reminder interval passes.
  const notify = !failing || clock.isDue(failing.lastNotified);
  const failingSince = failing?.failingSince ?? clock.now;
  const events: AlertEvent[] = notify
    ? [
        {
          type: 'scan.failed',
          severity: EVENT_SEVERITY['scan.failed'],
          error: failure,
          failingSince,
          reminder: failing !== null,
        },
      ]
    : [];
  const lastScan: LastScanRecord = {
    status: 'failed',
    at: clock.now,
    error: failure,
    failingSince,
    lastNotified: failing && !notify ? failing.lastNotified : clock.now,
  };
  return { events, nextState: previous ? { ...previous, lastScan } : newState(target, lastScan) };
}

function planSuccessfulScan(
  target: TargetRef,
  previous: TargetAlertState | null,
  observation: Extract<ScanObservation, { kind: 'scanned' }>,
  clock: Clock,
): AlertPlan {
  const events: AlertEvent[] = [];
  const last = previous?.lastScan;
  if (last?.status === 'failed') {
    events.push({
      type: 'scan.recovered',
      severity: EVENT_SEVERITY['scan.recovered'],
      failingSince: last.failingSince,
      lastError: last.error,
    });
  }
  if (previous?.configuration && previous.configuration.hash !== observation.configurationHash) {
    events.push({
      type: 'config.changed',
      severity: EVENT_SEVERITY['config.changed'],
      previousHash: previous.configuration.hash,
      currentHash: observation.configurationHash,
      changes: [...(observation.configurationChange ?? [])],
    });
  }

  // Without any signing configuration, every finding follows from that one fact: the
  // findings are tracked but alerted as one signing.not-configured event.
  const inhibited = !observation.signingConfigured;
  const previousOpen = previous?.openFindings ?? {};
  const current = new Map(observation.findings.map((finding) => [finding.fingerprint, summarize(finding)]));
  const openFindings: Record<string, OpenFindingRecord> = {};
  let newFindingCount = 0;
  for (const fingerprint of [...current.keys()].sort()) {
    const summary = current.get(fingerprint)!;
    const before = previousOpen[fingerprint];
    if (!before) newFindingCount += 1;
    const record: OpenFindingRecord = {
      ...summary,
      firstSeen: before?.firstSeen ?? clock.now,
      lastSeen: clock.now,
      lastNotified: before?.lastNotified ?? null,
    };
    if (!inhibited) {
      // Never notified covers findings held back while signing was not configured.
      if (record.lastNotified === null) {
        events.push({ type: 'finding.opened', ...summary, firstSeen: record.firstSeen });
        record.lastNotified = clock.now;
      } else if (clock.isDue(record.lastNotified)) {
        events.push({
          type: 'finding.reminder',
          ...summary,
          firstSeen: record.firstSeen,
          previouslyNotified: record.lastNotified,
        });
        record.lastNotified = clock.now;
      }
    }
    openFindings[fingerprint] = record;
  }

  let resolvedUnnotified = 0;
  for (const [fingerprint, before] of Object.entries(previousOpen)) {
    if (current.has(fingerprint)) continue;
    const { firstSeen, lastSeen, lastNotified, ...summary } = before;
    // A finding nobody was told about individually resolves as quietly as it opened.
    if (lastNotified === null) resolvedUnnotified += 1;
    else events.push({ type: 'finding.resolved', ...summary, firstSeen, lastSeen });
  }

  let signingNotConfigured: SigningNotConfiguredRecord | null = previous?.signingNotConfigured ?? null;
  if (inhibited && current.size > 0) {
    const standing = signingNotConfigured;
    if (!standing || clock.isDue(standing.lastNotified)) {
      const since = standing?.since ?? clock.now;
      events.push(notConfiguredEvent([...current.values()], since, standing !== null, newFindingCount));
      signingNotConfigured = { since, lastNotified: clock.now };
    }
  } else if (!inhibited && signingNotConfigured) {
    events.push({
      type: 'signing.configured',
      severity: EVENT_SEVERITY['signing.configured'],
      notConfiguredSince: signingNotConfigured.since,
      resolvedFindingCount: resolvedUnnotified,
    });
    signingNotConfigured = null;
  }

  return {
    events,
    nextState: {
      ...newState(target, { status: 'ok', at: clock.now }),
      configuration: {
        hash: observation.configurationHash,
        canonicalJson: JSON.stringify(observation.configuration),
      },
      signingNotConfigured,
      openFindings,
    },
  };
}

function notConfiguredEvent(
  findings: FindingSummary[],
  since: string,
  reminder: boolean,
  newFindingCount: number,
): SigningNotConfiguredEvent {
  const byPolicy = new Map<string, InhibitedPolicyCount>();
  for (const finding of findings) {
    const counted = byPolicy.get(finding.policyId);
    if (!counted) {
      byPolicy.set(finding.policyId, {
        policyId: finding.policyId,
        policyTitle: finding.policyTitle,
        severity: finding.severity,
        findingCount: 1,
      });
      continue;
    }
    counted.findingCount += 1;
    if (severityRank(finding.severity) < severityRank(counted.severity)) counted.severity = finding.severity;
  }
  const policies = [...byPolicy.values()].sort(
    (a, b) => bySeverity(a, b) || compareText(a.policyId, b.policyId),
  );
  const repositories = [
    ...new Set(findings.flatMap((f) => (f.repositoryName ? [f.repositoryName] : []))),
  ].sort(compareText);
  return {
    type: 'signing.not-configured',
    severity: policies[0]?.severity ?? 'info',
    since,
    reminder,
    findingCount: findings.length,
    newFindingCount,
    policies,
    repositoryCount: repositories.length,
    repositoryNames: repositories.slice(0, MAX_LISTED_REPOSITORIES),
  };
}

/**
 * An applied remediation is always told: the registry was written (and so is one that
 * overwrote someone's concurrent change). A planned or failed one
 * that says what the one told before said is told again only when the reminder interval
 * has passed; one no longer reported is forgotten, so it is news should it come back.
 */
function planRemediationEvents(
  previous: RemediationNoticeRecords,
  outcomes: readonly RemediationOutcome[],
  keepUnreported: boolean,
  clock: Clock,
): { events: RemediationEvent[]; notices: RemediationNoticeRecords } {
  const events: RemediationEvent[] = [];
  const notices: RemediationNoticeRecords = keepUnreported ? { ...previous } : {};
  for (const outcome of outcomes) {
    if (outcome.status === 'applied' || outcome.status === 'conflict') {
      events.push(remediationEvent(outcome));
      continue;
    }
    const key = remediationNoticeKey(outcome);
    const lastNotified = previous[key];
    if (lastNotified === undefined || clock.isDue(lastNotified)) {
      events.push(remediationEvent(outcome));
      notices[key] = clock.now;
    } else {
      notices[key] = lastNotified;
    }
  }
  return { events, notices };
}

function remediationNoticeKey(outcome: RemediationOutcome): string {
  const said = [outcome.status, outcome.summary, outcome.changes, outcome.reason ?? null];
  return createHash('sha256').update(JSON.stringify(said)).digest('hex').slice(0, 32);
}

function remediationEvent(outcome: RemediationOutcome): RemediationEvent {
  const type = `remediation.${outcome.status}` as const;
  return {
    type,
    severity: EVENT_SEVERITY[type],
    status: outcome.status,
    summary: outcome.summary,
    changes: [...outcome.changes],
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(outcome.lostChanges === undefined ? {} : { lostChanges: structuredClone(outcome.lostChanges) }),
  };
}

/** The members alerts document (alert-message.schema.json), whatever else a finding carries. */
function summarize(finding: Finding): FindingSummary {
  return {
    fingerprint: finding.fingerprint,
    policyId: finding.policyId,
    policyTitle: finding.policyTitle,
    severity: finding.severity,
    ...(finding.repositoryName === undefined ? {} : { repositoryName: finding.repositoryName }),
    ...(finding.ruleIndex === undefined ? {} : { ruleIndex: finding.ruleIndex }),
    message: finding.message,
    factsPath: finding.factsPath,
  };
}

function newState(target: TargetRef, lastScan: LastScanRecord): TargetAlertState {
  return {
    stateVersion: ALERT_STATE_VERSION,
    accountId: target.accountId,
    region: target.region,
    configuration: null,
    lastScan,
    signingNotConfigured: null,
    openFindings: {},
    remediationNotices: {},
  };
}
