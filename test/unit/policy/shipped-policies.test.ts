import { describe, expect, it } from 'vitest';
import { lintPolicyDirectory } from '../../../functions/cli/commands/policies.js';
import { runPolicyTests } from '../../../functions/core/policy/index.js';
import { loadPolicySet } from '../../../functions/files/load-policy-directory.js';

const { directory, policySet } = await loadPolicySet('policies');

describe('shipped policies', () => {
  it('are the agreed set, with their severities', () => {
    expect(Object.fromEntries(policySet.policies.map((p) => [p.id, p.severity]))).toEqual({
      'all-repositories-covered': 'low',
      'approved-signing-profiles': 'high',
      'images-signed': 'high',
      'no-dead-filters': 'info',
      'no-duplicate-signing': 'info',
      'no-failed-signing': 'critical',
      'no-stuck-signing': 'medium',
      'production-repositories-covered': 'high',
      'required-repositories-covered': 'high',
      'signing-configured': 'critical',
      'signing-profiles-active': 'critical',
      'signing-profiles-notation-platform': 'medium',
      'signing-profiles-same-region': 'high',
    });
  });

  it('each have pass and fail fixtures, a title and a description', () => {
    expect(lintPolicyDirectory(directory, policySet)).toEqual([]);
  });

  it.each(policySet.policies.map((p) => [p.id]))('%s passes every one of its fixtures', (policyId) => {
    const fixtures = directory.fixtures.filter((f) => f.policyId === policyId);
    const results = runPolicyTests(policySet, fixtures);
    expect(results.filter((r) => r.expectation === 'pass').length).toBeGreaterThan(0);
    expect(results.filter((r) => r.expectation === 'fail').length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.passed).map((r) => [r.name, r.problems])).toEqual([]);
  });

  it('reference the approved-signer allow-list through a shared schema', () => {
    expect(policySet.sharedSchemaIds).toEqual([
      'https://policies.ecr-sign-drift.dev/shared/approved-signers.json',
    ]);
    const approved = directory.policies.find((d) =>
      d.source.endsWith('approved-signing-profiles.policy.json'),
    );
    expect(JSON.stringify(approved?.schema)).toContain(
      '"$ref":"https://policies.ecr-sign-drift.dev/shared/approved-signers.json#/$defs/approvedSigningProfileArn"',
    );
  });
});
