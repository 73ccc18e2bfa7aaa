/**
 * The human-readable bodies of an alert: `default` (a line per event, for SMS, HTTP and
 * anything without a body of its own) and `email` (what happened, where, which
 * repositories, what to do).
 */
import type { TargetRef } from '../types.js';
import {
  ALERT_EVENT_TYPES,
  type AlertEvent,
  type AlertEventType,
  type Attributed,
  type FindingSummary,
} from './alert-event.js';
import { repositoryNamesOf } from './event-summary.js';

export interface AlertTextInput {
  runId: string;
  target: TargetRef;
  accountName?: string;
  /** The subject line, which also heads the text. */
  headline: string;
  /** The events this message shows, in presentation order. */
  events: readonly AlertEvent[];
  /** How many events the run produced for the target; more than `events` when some were dropped. */
  totalEvents: number;
}

const SECTION_TITLES: Record<AlertEventType, string> = {
  'discovery.failed': 'Account discovery failed',
  'scan.failed': 'Scan failed',
  'scan.recovered': 'Scan recovered',
  'signing.not-configured': 'Signing not configured',
  'signing.configured': 'Signing configured again',
  'config.changed': 'Signing configuration changed',
  'finding.opened': 'New findings',
  'finding.reminder': 'Still open',
  'finding.resolved': 'Resolved',
  'waiver.expired': 'Waivers expired',
  'remediation.planned': 'Remediation planned',
  'remediation.applied': 'Remediation applied',
  'remediation.failed': 'Remediation failed',
  'remediation.conflict': 'Remediation overwrote a concurrent change',
};

/** How many repository names the email lists before saying how many more there are. */
const LISTED_REPOSITORIES = 20;

export function defaultText(input: AlertTextInput): string {
  return [input.headline, `Run: ${input.runId}`, '', ...sections(input.events, false), ...omissionNote(input)]
    .join('\n')
    .trimEnd();
}

export function emailText(input: AlertTextInput): string {
  const { target } = input;
  const account = input.accountName ? `${target.accountId} (${input.accountName})` : target.accountId;
  const repositories = repositoryNamesOf(input.events);
  return [
    input.headline,
    '',
    `Account: ${account}`,
    `Region: ${target.region}`,
    `Run: ${input.runId}`,
    ...messageAttribution(input.events),
    ...(repositories.length > 0 ? [`Repositories: ${listWithMore(repositories, LISTED_REPOSITORIES)}`] : []),
    '',
    ...sections(input.events, true),
    ...omissionNote(input),
    'What to do',
    ...advice(input.events, target).map((line) => `- ${line}`),
  ].join('\n');
}

function sections(events: readonly AlertEvent[], detailed: boolean): string[] {
  return ALERT_EVENT_TYPES.flatMap((type) => {
    const ofType = events.filter((event) => event.type === type);
    if (ofType.length === 0) return [];
    const lines = ofType.flatMap((event) => {
      const { headline, details } = describeEvent(event);
      return [`- ${headline}`, ...(detailed ? details.map((detail) => `  ${detail}`) : [])];
    });
    return [`${SECTION_TITLES[type]} (${ofType.length})`, ...lines, ''];
  });
}

function omissionNote(input: AlertTextInput): string[] {
  const omitted = input.totalEvents - input.events.length;
  if (omitted === 0) return [];
  return [
    `${omitted} more of ${input.totalEvents} events are not shown: the message reached the SNS size limit.`,
    `The records of run ${input.runId} hold them all.`,
    '',
  ];
}

function describeEvent(event: AlertEvent): { headline: string; details: string[] } {
  switch (event.type) {
    case 'finding.opened':
      return { headline: findingHeadline(event), details: [event.message] };
    case 'finding.reminder':
      return {
        headline: findingHeadline(event),
        details: [event.message, `Open since ${readableTime(event.firstSeen)}`],
      };
    case 'finding.resolved':
      return {
        headline: findingHeadline(event),
        details: [event.message, `Was open since ${readableTime(event.firstSeen)}`],
      };
    case 'config.changed':
      return {
        headline:
          event.changes.length === 0
            ? 'The signing configuration changed (the difference is in the machine-readable body)'
            : `The signing configuration changed: ${event.changes.length === 1 ? event.changes[0] : `${event.changes.length} changes`}`,
        details: [...(event.changes.length === 1 ? [] : event.changes), ...attributionLines(event)],
      };
    case 'discovery.failed':
      return {
        headline: `${event.error.operation} failed: ${event.error.errorName}`,
        details: [
          event.error.message,
          `Only the ${event.targetsFound} targets found before the failure were scanned in this run`,
        ],
      };
    case 'scan.failed':
      return {
        headline: `${event.error.operation} failed: ${event.error.errorName}`,
        details: [
          event.error.message,
          `${event.reminder ? 'Still failing' : 'Failing'} since ${readableTime(event.failingSince)}`,
        ],
      };
    case 'scan.recovered':
      return {
        headline: `Scans succeed again, after failing since ${readableTime(event.failingSince)}`,
        details: [`Last error: ${event.lastError.operation}: ${event.lastError.errorName}`],
      };
    case 'signing.not-configured':
      return {
        headline:
          `[${event.severity.toUpperCase()}] The registry has no signing configuration: ` +
          `${count(event.findingCount, 'finding')} (${event.newFindingCount} new), ` +
          `${count(event.repositoryCount, 'repository', 'repositories')} unsigned`,
        details: [
          `Not configured since ${readableTime(event.since)}`,
          ...event.policies.map(
            (policy) =>
              `[${policy.severity.toUpperCase()}] ${policy.policyTitle} (${policy.policyId}): ${count(policy.findingCount, 'finding')}`,
          ),
          ...(event.repositoryCount > 0
            ? [
                `Repositories: ${listWithMore(event.repositoryNames, event.repositoryNames.length, event.repositoryCount)}`,
              ]
            : []),
        ],
      };
    case 'waiver.expired':
      return {
        headline:
          `[${event.severity.toUpperCase()}] The waiver for ${event.policyId} (owner ${event.owner}) expired on ${event.expires}: ` +
          `${count(event.findingCount, 'finding')} it covered ${event.findingCount === 1 ? 'counts' : 'count'} again`,
        details: [
          `Waived because: ${event.reason}`,
          ...(event.ticket ? [`Ticket: ${event.ticket}`] : []),
          `Renew it (a later expires) or remove it: ${event.waiverSource}`,
        ],
      };
    case 'signing.configured':
      return {
        headline: `The registry has a signing configuration again (missing since ${readableTime(event.notConfiguredSince)})`,
        details: [`${count(event.resolvedFindingCount, 'finding')} held back while it was missing resolved`],
      };
    case 'remediation.planned':
    case 'remediation.applied':
    case 'remediation.failed':
    case 'remediation.conflict':
      return {
        headline: event.summary,
        details: [
          ...event.changes,
          ...(event.lostChanges ?? []).flatMap((lost) => [
            `Overwritten: ${lost.eventName} by ${lost.principal} at ${readableTime(lost.eventTime)}`,
            ...lost.configuration.map((line) => `  ${line}`),
          ]),
          ...(event.reason ? [`Reason: ${event.reason}`] : []),
        ],
      };
  }
}

function findingHeadline(finding: FindingSummary): string {
  const subject =
    finding.repositoryName ??
    (finding.ruleIndex === undefined ? 'registry' : `rule ${finding.ruleIndex + 1}`);
  return `[${finding.severity.toUpperCase()}] ${subject}: ${finding.policyTitle} (${finding.policyId})`;
}

function advice(events: readonly AlertEvent[], target: TargetRef): string[] {
  const present = new Set(events.map((event) => event.type));
  const where = `account ${target.accountId}, region ${target.region}`;
  const lines: string[] = [];
  if (present.has('signing.not-configured')) {
    lines.push(
      `Add a signing configuration to the registry in ${where} (aws ecr put-signing-configuration). ` +
        'Findings it leaves open are then alerted one by one.',
    );
  }
  if (present.has('finding.opened') || present.has('finding.reminder')) {
    lines.push(
      `Bring the registry signing configuration in ${where} in line with the policies named above, ` +
        'or let ecr-sign-drift remediate it. If a finding is intended, change the policy instead.',
    );
  }
  if (present.has('config.changed')) {
    lines.push(
      'Check that the configuration change was intended: CloudTrail records PutSigningConfiguration ' +
        'and DeleteSigningConfiguration calls and who made them.',
    );
  }
  if (present.has('discovery.failed')) {
    lines.push(
      'Check that ecr-sign-drift may call AWS Organizations (ListAccounts, ListAccountsForParent) from this account. ' +
        'Accounts it could not list were not checked in this run; the run is reported as failed.',
    );
  }
  if (present.has('scan.failed')) {
    lines.push(
      `Check that ecr-sign-drift can assume its role in ${where} and make the call that failed. ` +
        'Until a scan succeeds, open findings stay as they were.',
    );
  }
  if (present.has('remediation.planned')) lines.push('Review the planned change before it is applied.');
  if (present.has('remediation.conflict')) {
    lines.push(
      `Someone changed the registry in ${where} while ecr-sign-drift was writing it, and the write replaced that change. ` +
        'Decide which configuration is right, then release the hold: ecr-sign-drift release --target ' +
        `${target.accountId}/${target.region}. Until then ecr-sign-drift plans but does not write there.`,
    );
  }
  if (present.has('remediation.failed')) {
    lines.push('Remediation did not complete: fix the reason given above, or apply the change by hand.');
  }
  if (lines.length === 0)
    lines.push('Nothing: this message reports that earlier alerts are over or work done.');
  return lines;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `a, b, c and 12 more`. */
function listWithMore(items: readonly string[], shown: number, total = items.length): string {
  const listed = items.slice(0, shown).join(', ');
  return total > shown ? `${listed} and ${total - shown} more` : listed;
}

/** 2026-03-02T08:00:00.000Z → 2026-03-02 08:00 UTC. */
/** "Changed by <arn> at <time>", or why nobody is named; nothing when the run did not look. */
function attributionLines(event: Attributed): string[] {
  if (event.changedBy === undefined) return [];
  if (event.changedBy === null) return [`Changed by: unknown (${event.changedByReason ?? 'not looked up'})`];
  const { principalArn, eventTime, sourceIPAddress, byThisTool } = event.changedBy;
  const from = sourceIPAddress ? ` from ${sourceIPAddress}` : '';
  // To the second, as CloudTrail has it, so a person can find the event.
  const at = eventTime.replace(/\.\d{3}Z$/, 'Z');
  return [`Changed by ${principalArn}${byThisTool ? ' (ecr-sign-drift itself)' : ''} at ${at}${from}`];
}

/** The attribution of the first event that carries one: every such event of a message tells the same write. */
function messageAttribution(events: readonly AlertEvent[]): string[] {
  const attributed = events.find((event) => 'changedBy' in event && event.changedBy !== undefined);
  return attributed ? attributionLines(attributed as Attributed) : [];
}

function readableTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
