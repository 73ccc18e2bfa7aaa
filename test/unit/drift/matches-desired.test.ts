import { beforeAll, describe, expect, it } from 'vitest';
import { auditRegistry } from '../../../functions/core/audit.js';
import { MATCHES_DESIRED_ID } from '../../../functions/core/drift/index.js';
import { compilePolicySet, type PolicySet } from '../../../functions/core/policy/index.js';
import type { RegistrySnapshot, SigningConfiguration } from '../../../functions/core/types.js';

const RELEASE = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/release_signing';
const prodOnly: SigningConfiguration = {
  rules: [
    { signingProfileArn: RELEASE, repositoryFilters: [{ filter: '*prod*', filterType: 'WILDCARD_MATCH' }] },
  ],
};
const registry = (signingConfiguration: SigningConfiguration | null): RegistrySnapshot => ({
  accountId: '111122223333',
  region: 'us-east-1',
  signingConfiguration,
  repositories: [{ repositoryName: 'web-prod' }],
});

let policySet: PolicySet;
beforeAll(() => {
  policySet = compilePolicySet([], []);
});
const context = (extra: Partial<Parameters<typeof auditRegistry>[1]> = {}) => ({
  policySet,
  desired: { 'default.json': prodOnly },
  strategy: 'merge' as const,
  today: '2026-12-03',
  ...extra,
});

describe('the matches-desired finding', () => {
  it('is one medium finding per drifted registry, its message the drift in words', () => {
    const audit = auditRegistry(registry({ rules: [{ signingProfileArn: RELEASE }] }), context());
    expect(audit.findings).toEqual([
      expect.objectContaining({
        policyId: MATCHES_DESIRED_ID,
        severity: 'medium',
        accountId: '111122223333',
        region: 'us-east-1',
        message: `differs from the desired configuration (default.json): ${audit.drift!.changes[0]!.message}`,
      }),
    ]);
    expect(audit.findings[0]!.message).toContain('*prod*');
  });

  it('is absent when the registry is in sync or no desired configuration applies', () => {
    expect(auditRegistry(registry(prodOnly), context()).findings).toEqual([]);
    expect(auditRegistry(registry(null), context({ desired: {} })).findings).toEqual([]);
  });

  it("takes the desired file's severity", () => {
    const desired = { 'default.json': { ...prodOnly, severity: 'critical' as const } };
    const [finding] = auditRegistry(registry(null), context({ desired })).findings;
    expect(finding).toMatchObject({ policyId: MATCHES_DESIRED_ID, severity: 'critical' });
    expect(finding!.message).toContain('registry has no signing configuration');
  });

  it('keeps one fingerprint while the drift changes shape, so it stays the same open finding', () => {
    const missing = auditRegistry(registry(null), context()).findings[0]!;
    const unfiltered = auditRegistry(registry({ rules: [{ signingProfileArn: RELEASE }] }), context())
      .findings[0]!;
    expect(unfiltered.fingerprint).toBe(missing.fingerprint);
    expect(unfiltered.message).not.toBe(missing.message);
  });

  it('is waivable like a policy finding', () => {
    const waived = {
      ...policySet,
      waivers: [
        {
          policyId: MATCHES_DESIRED_ID,
          reason: 'migration in progress',
          owner: 'platform@example.com',
          expires: '2027-01-31',
          source: 'policies/waivers/migration.json#0',
        },
      ],
    };
    const audit = auditRegistry(registry(null), context({ policySet: waived }));
    expect(audit.findings).toEqual([]);
    expect(audit.waived.map((w) => w.finding.policyId)).toEqual([MATCHES_DESIRED_ID]);
  });

  it('names three changes and counts the rest', () => {
    const other = (n: number) => `arn:aws:signer:us-east-1:999988887777:/signing-profiles/other_${n}`;
    const actual = { rules: [1, 2, 3, 4].map((n) => ({ signingProfileArn: other(n) })) };
    const [finding] = auditRegistry(registry(actual), context()).findings;
    expect(finding!.message).toMatch(/; and 2 more changes$/);
  });
});
