/** Builders shared by the alert tests: findings, observations and a clock that moves in hours. */
import type { ScanObservation } from '../../../functions/core/alerts/lifecycle.js';
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
