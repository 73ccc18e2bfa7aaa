/** Builders shared by the alert tests: findings, observations and a clock that moves in hours. */
import type {
  AlertEvent,
  AlertEventType,
  FindingSummary,
} from '../../../functions/core/alerts/alert-event.js';
import type { ScanObservation } from '../../../functions/core/alerts/index.js';
import type { Finding, ScanError, TargetRef } from '../../../functions/core/types.js';

export const target: TargetRef = { accountId: '111122223333', region: 'us-east-1' };

export const HOUR_MS = 60 * 60 * 1000;
const start = Date.parse('2026-03-02T08:00:00.000Z');

/** The run time `hours` after the first run. */
export function at(hours: number): Date {
  return new Date(start + hours * HOUR_MS);
}

export function uncoveredRepository(repositoryName: string, overrides: Partial<Finding> = {}): Finding {
  return {
    policyId: 'repository-covered',
    policyTitle: 'Every repository is covered by a signing rule',
    severity: 'high',
    accountId: target.accountId,
    region: target.region,
    repositoryName,
    message: `Repository '${repositoryName}' is not covered by any signing rule`,
    factsPath: '/repositories/0',
    fingerprint: `repository-covered:${repositoryName}`,
    ...overrides,
  };
}

export function scanned(
  findings: Finding[],
  overrides: Partial<Extract<ScanObservation, { kind: 'scanned' }>> = {},
): ScanObservation {
  return {
    kind: 'scanned',
    configurationHash: 'hash-a',
    configuration: {
      rules: [{ signingProfileArn: 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing' }],
    },
    signingConfigured: true,
    findings,
    ...overrides,
  };
}

/** A registry that was never configured: every repository is uncovered. */
export function notConfigured(repositoryNames: string[]): ScanObservation {
  return scanned(
    repositoryNames.map((name) => uncoveredRepository(name)),
    {
      configurationHash: 'hash-null',
      configuration: null,
      signingConfigured: false,
    },
  );
}

export function failed(errorName = 'AccessDeniedException'): ScanObservation {
  const error: ScanError = {
    ...target,
    operation: 'GetSigningConfiguration',
    errorName,
    message: 'User is not authorized to perform ecr:GetSigningConfiguration',
  };
  return { kind: 'failed', error };
}

const finding: FindingSummary = {
  fingerprint: 'repository-covered:team/api',
  policyId: 'repository-covered',
  policyTitle: 'Every repository is covered by a signing rule',
  severity: 'high',
  repositoryName: 'team/api',
  message: "Repository 'team/api' is not covered by any signing rule",
  factsPath: '/repositories/0',
};
const failure = {
  operation: 'GetSigningConfiguration',
  errorName: 'AccessDeniedException',
  message: 'denied',
};
const t0 = '2026-03-02T08:00:00.000Z';

/** An event of the given type, as planAlerts would make it. */
export function eventOf(type: AlertEventType): AlertEvent {
  switch (type) {
    case 'finding.opened':
      return { type, ...finding, firstSeen: t0 };
    case 'finding.reminder':
      return { type, ...finding, firstSeen: t0, previouslyNotified: t0 };
    case 'finding.resolved':
      return { type, ...finding, firstSeen: t0, lastSeen: t0 };
    case 'config.changed':
      return {
        type,
        severity: 'low',
        previousHash: 'a'.repeat(64),
        currentHash: 'b'.repeat(64),
        changes: ['rule 2 removed'],
      };
    case 'scan.failed':
      return { type, severity: 'medium', error: failure, failingSince: t0, reminder: false };
    case 'discovery.failed':
      return {
        type,
        severity: 'high',
        error: { operation: 'ListAccounts', errorName: 'TooManyRequestsException', message: 'Rate exceeded' },
        targetsFound: 0,
      };
    case 'scan.recovered':
      return { type, severity: 'info', failingSince: t0, lastError: failure };
    case 'waiver.expired':
      return {
        type,
        severity: 'high',
        waiverSource: 'policies/waivers/legacy.json#0',
        policyId: 'repository-covered',
        owner: 'platform@example.com',
        reason: 'legacy estate',
        expires: '2026-03-01',
        findingCount: 2,
      };
    case 'signing.not-configured':
      return {
        type,
        severity: 'high',
        since: t0,
        reminder: false,
        findingCount: 2,
        newFindingCount: 2,
        policies: [
          {
            policyId: 'repository-covered',
            policyTitle: finding.policyTitle,
            severity: 'high',
            findingCount: 2,
          },
        ],
        repositoryCount: 2,
        repositoryNames: ['team/api', 'team/web'],
      };
    case 'signing.configured':
      return { type, severity: 'info', notConfiguredSince: t0, resolvedFindingCount: 2 };
    case 'remediation.planned':
      return {
        type,
        severity: 'info',
        status: 'planned',
        summary: 'Add rule 1',
        changes: ["add filter 'team/*'"],
      };
    case 'remediation.applied':
      return {
        type,
        severity: 'low',
        status: 'applied',
        summary: 'Add rule 1',
        changes: ["add filter 'team/*'"],
      };
    case 'remediation.failed':
      return {
        type,
        severity: 'high',
        status: 'failed',
        summary: 'Add rule 1',
        changes: [],
        reason: 'denied',
      };
    case 'remediation.conflict':
      return {
        type,
        severity: 'high',
        status: 'conflict',
        summary: 'Add rule 1',
        changes: ["add filter 'team/*'"],
        reason: 'remediation of this target is held until a person releases it',
        lostChanges: [
          {
            principal: 'arn:aws:iam::111122223333:user/alice',
            eventTime: t0,
            eventName: 'PutSigningConfiguration',
            configuration: ["rule 1: profile 'release', filters 'team/*'"],
          },
        ],
      };
  }
}

/** finding.opened for `count` repositories, severities cycling from critical to info. */
export function manyDetected(count: number, messagePadding = 0): AlertEvent[] {
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  return Array.from({ length: count }, (_, i) => {
    const repositoryName = `team/service-${String(i).padStart(5, '0')}`;
    return {
      ...finding,
      type: 'finding.opened' as const,
      severity: severities[i % severities.length]!,
      repositoryName,
      fingerprint: `repository-covered:${repositoryName}`,
      message: `Repository '${repositoryName}' is not covered by any signing rule${' '.repeat(messagePadding)}`,
      firstSeen: t0,
    };
  });
}
