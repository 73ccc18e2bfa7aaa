import { describe, expect, it } from 'vitest';
import { applyWaivers, indexWaivers } from '../../../functions/core/policy/apply-waivers.js';
import type { Waiver } from '../../../functions/core/policy/index.js';
import type { Finding } from '../../../functions/core/types.js';

const finding = (overrides: Partial<Finding>): Finding => ({
  policyId: 'all-repositories-covered',
  policyTitle: 'All covered',
  severity: 'low',
  accountId: '111122223333',
  region: 'us-east-1',
  message: 'not covered',
  factsPath: '',
  fingerprint: Math.random().toString(16).slice(2, 18),
  ...overrides,
});
const waiver = (overrides: Partial<Waiver>): Waiver => ({
  policyId: 'all-repositories-covered',
  reason: 'accepted',
  owner: 'team@example.com',
  expires: '2027-01-31',
  source: 'waivers/w.json#0',
  ...overrides,
});
const TODAY = '2027-01-01';

describe('applyWaivers', () => {
  it('waives by policy, account, region and repository pattern, and nothing else', () => {
    const index = indexWaivers([
      waiver({ accountId: '111122223333', repository: 'scratch/*' }),
      waiver({ policyId: 'signing-configured', region: 'eu-west-1', source: 'waivers/w.json#1' }),
    ]);
    const findings = [
      finding({ repositoryName: 'scratch/a' }),
      finding({ repositoryName: 'team/a' }),
      finding({ repositoryName: 'scratch/a', accountId: '222222222222' }),
      finding({ policyId: 'signing-configured', region: 'eu-west-1' }),
      finding({ policyId: 'signing-configured', region: 'us-east-1' }),
    ];
    const outcome = applyWaivers(findings, index, TODAY);
    expect(outcome.waived.map((w) => [w.finding, w.waiver.source])).toEqual([
      [findings[0], 'waivers/w.json#0'],
      [findings[3], 'waivers/w.json#1'],
    ]);
    expect(outcome.findings).toEqual([findings[1], findings[2], findings[4]]);
  });

  it('covers registry-level findings only with a waiver without repository', () => {
    const registryLevel = finding({ policyId: 'signing-configured' });
    const patterned = indexWaivers([waiver({ policyId: 'signing-configured', repository: '*' })]);
    expect(applyWaivers([registryLevel], patterned, TODAY).waived).toEqual([]);
    const whole = indexWaivers([waiver({ policyId: 'signing-configured' })]);
    expect(applyWaivers([registryLevel], whole, TODAY).waived).toHaveLength(1);
  });

  it('applies through its expires day and reports the finding as expired after it', () => {
    const index = indexWaivers([waiver({ expires: TODAY })]);
    expect(applyWaivers([finding({})], index, TODAY).waived).toHaveLength(1);
    const after = applyWaivers([finding({})], index, '2027-01-02');
    expect(after.waived).toEqual([]);
    expect(after.findings).toHaveLength(1);
    expect(after.expired.map((e) => e.waiver.expires)).toEqual([TODAY]);
  });

  it('matches 10,000 findings against 1,000 waivers through the index, not finding by waiver', () => {
    const waivers = Array.from({ length: 1000 }, (_, i) =>
      waiver({ repository: `team-${i}/*`, source: `waivers/w.json#${i}` }),
    );
    const findings = Array.from({ length: 10_000 }, (_, i) =>
      finding({ repositoryName: `team-${i % 2000}/svc` }),
    );
    const index = indexWaivers(waivers);
    const started = performance.now();
    const outcome = applyWaivers(findings, index, TODAY);
    const ms = performance.now() - started;
    expect(outcome.waived).toHaveLength(5000);
    expect(outcome.waived[1]!.waiver.source).toBe('waivers/w.json#1');
    expect(ms).toBeLessThan(500);
  });
});
