/**
 * What an alert says: one event per transition of a target (account x region) in one run.
 * Events are plain JSON because they travel as-is in the machine body of the SNS message
 * (documented for subscribers by alert-message.schema.json).
 */
import type { Severity } from '../types.js';
import type { ChangedBy } from './change-attribution.js';

/** Every event type, in the order messages present them. */
export const ALERT_EVENT_TYPES = [
  'discovery.failed',
  'scan.failed',
  'scan.recovered',
  'signing.not-configured',
  'signing.configured',
  'config.changed',
  'finding.opened',
  'finding.reminder',
  'finding.resolved',
  'waiver.expired',
  'remediation.planned',
  'remediation.applied',
  'remediation.failed',
  'remediation.conflict',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** Why a target could not be scanned: a ScanError without its target, which the message carries. */
export interface ScanFailure {
  operation: string;
  errorName: string;
  message: string;
}

/** A finding as alerts describe it: the Finding without its target. */
export interface FindingSummary {
  fingerprint: string;
  policyId: string;
  policyTitle: string;
  severity: Severity;
  repositoryName?: string;
  ruleIndex?: number;
  message: string;
  factsPath: string;
}

/** On the events a configuration change brings about, when the run looked up who made it. */
export interface Attributed {
  /** The write CloudTrail recorded; null when none was found (`changedByReason` says why). */
  changedBy?: ChangedBy | null;
  changedByReason?: string;
}

export interface FindingOpenedEvent extends FindingSummary, Attributed {
  type: 'finding.opened';
  /** ISO-8601; earlier than the run when the finding was held back (inhibited) until now. */
  firstSeen: string;
}

export interface FindingReminderEvent extends FindingSummary {
  type: 'finding.reminder';
  firstSeen: string;
  /** When the finding was last alerted, before this reminder. */
  previouslyNotified: string;
}

export interface FindingResolvedEvent extends FindingSummary {
  type: 'finding.resolved';
  firstSeen: string;
  /** The last scan that still saw the finding. */
  lastSeen: string;
}

export interface ConfigChangedEvent extends Attributed {
  type: 'config.changed';
  severity: Severity;
  previousHash: string;
  currentHash: string;
  /** Old-vs-new differences in words; empty when the caller computed none. */
  changes: string[];
}

export interface ScanFailedEvent {
  type: 'scan.failed';
  severity: Severity;
  error: ScanFailure;
  /** When the target's current run of failures began. */
  failingSince: string;
  /** True when the target was already reported failing and the reminder interval has passed. */
  reminder: boolean;
}

/**
 * Finding the accounts failed (an Organizations call): the run scanned only the targets
 * found before the failure, so it is a failed run, alerted every time it happens.
 */
export interface DiscoveryFailedEvent {
  type: 'discovery.failed';
  severity: Severity;
  error: ScanFailure;
  /** Targets found (and scanned) before discovery failed. */
  targetsFound: number;
}

export interface ScanRecoveredEvent {
  type: 'scan.recovered';
  severity: Severity;
  failingSince: string;
  lastError: ScanFailure;
}

/** Findings of one policy held back while the registry has no signing configuration. */
export interface InhibitedPolicyCount {
  policyId: string;
  policyTitle: string;
  severity: Severity;
  findingCount: number;
}

/**
 * Stands for every finding of a registry that has no signing configuration at all: one
 * event instead of one per unsigned repository. The findings are tracked all the same.
 */
export interface SigningNotConfiguredEvent extends Attributed {
  type: 'signing.not-configured';
  /** The highest severity among the findings it stands for. */
  severity: Severity;
  since: string;
  reminder: boolean;
  findingCount: number;
  /** Findings first seen in this run. */
  newFindingCount: number;
  policies: InhibitedPolicyCount[];
  /** Distinct repositories named by the findings. */
  repositoryCount: number;
  /** The first of them, sorted; `repositoryCount` says how many there are in all. */
  repositoryNames: string[];
}

/** The registry has a signing configuration again: the signing.not-configured alert is over. */
export interface SigningConfiguredEvent {
  type: 'signing.configured';
  severity: Severity;
  notConfiguredSince: string;
  /** Held-back findings that are gone now; they get no finding.resolved of their own. */
  resolvedFindingCount: number;
}

/**
 * A waiver stopped applying to the target: the findings it covered count again. Told once
 * per waiver and expiry date (see waiver-expiry.ts).
 */
export interface WaiverExpiredEvent {
  type: 'waiver.expired';
  /** The most severe of the findings it no longer covers. */
  severity: Severity;
  /** Where the waiver is written: `file#index`. */
  waiverSource: string;
  policyId: string;
  owner: string;
  reason: string;
  ticket?: string;
  /** The last day it applied (YYYY-MM-DD). */
  expires: string;
  findingCount: number;
}

export const REMEDIATION_STATUSES = ['planned', 'applied', 'failed', 'conflict'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

/** What remediation did for a target in this run, as the remediation step reports it. */
export interface RemediationOutcome {
  status: RemediationStatus;
  /** The plan's one-line summary. */
  summary: string;
  /** The plan's changes in words. */
  changes: string[];
  /** Why it failed (status `failed`), or why remediation of the target is now held (status `conflict`). */
  reason?: string;
  /**
   * Status `conflict`: the changes someone else made between the remediation's last read
   * and its write, which the write replaced.
   */
  lostChanges?: LostChange[];
}

/** A signing-configuration write by another principal that a remediation overwrote. */
export interface LostChange {
  /** Who made it (the principal's ARN, as CloudTrail records it). */
  principal: string;
  /** ISO-8601, as CloudTrail records it. */
  eventTime: string;
  eventName: string;
  /** The configuration it wrote, in words (empty when CloudTrail did not show it). */
  configuration: string[];
}

export interface RemediationEvent extends RemediationOutcome {
  type: `remediation.${RemediationStatus}`;
  severity: Severity;
}

export type AlertEvent =
  | FindingOpenedEvent
  | FindingReminderEvent
  | FindingResolvedEvent
  | ConfigChangedEvent
  | ScanFailedEvent
  | DiscoveryFailedEvent
  | ScanRecoveredEvent
  | SigningNotConfiguredEvent
  | SigningConfiguredEvent
  | WaiverExpiredEvent
  | RemediationEvent;

/** Severities of the events that are not about one finding (finding events carry the finding's). */
export const EVENT_SEVERITY = {
  'discovery.failed': 'high',
  'scan.failed': 'medium',
  'scan.recovered': 'info',
  'signing.configured': 'info',
  'config.changed': 'low',
  'remediation.planned': 'info',
  'remediation.applied': 'low',
  'remediation.failed': 'high',
  'remediation.conflict': 'high',
} as const satisfies Partial<Record<AlertEventType, Severity>>;

/** Events that announce something is over: a message made only of these is good news. */
export const RESOLUTION_EVENT_TYPES: readonly AlertEventType[] = [
  'finding.resolved',
  'scan.recovered',
  'signing.configured',
];
