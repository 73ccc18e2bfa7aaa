/** Waived findings are reported by audits but never recorded as findings or alerted by a run. */
import { describe, expect, it } from 'vitest';
import { runDetector } from '../../../functions/run/detector.js';
import { runConfig, temporaryFileStore, useCallerCredentials, useExampleWorld } from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const WAIVED_ACCOUNT = '333333333333';

describe('a run with waivers covering every policy in one account', () => {
  it('alerts and counts no finding there, and the other accounts as before', async () => {
    const config = await runConfig(localAws.current, {
      runId: 'run-waived',
      store: await temporaryFileStore(),
      topicArn: null,
    });
    const policySet = config.audit.policySet;
    const waivers = policySet.policies.map((p, i) => ({
      policyId: p.id,
      accountId: WAIVED_ACCOUNT,
      reason: 'accepted for the test',
      owner: 'team@example.com',
      expires: '2099-12-31',
      source: `waivers/test.json#${i}`,
    }));
    const unwaived = await runDetector(config);
    config.audit = { ...config.audit, policySet: { ...policySet, waivers }, today: '2026-03-02' };
    config.store = await temporaryFileStore();
    const { results } = await runDetector({ ...config, runId: 'run-waived-2' });

    const before = unwaived.results.filter((r) => r.accountId === WAIVED_ACCOUNT);
    expect(before.every((r) => r.findings.length > 0)).toBe(true);
    const waived = results.filter((r) => r.accountId === WAIVED_ACCOUNT);
    expect(waived.map((r) => [r.status, r.findings.length])).toEqual([
      ['scanned', 0],
      ['scanned', 0],
    ]);
    expect(before.flatMap((r) => r.events)).toContain('finding.opened');
    expect(waived.flatMap((r) => r.events)).not.toContain('finding.opened');
    const others = (rs: typeof results) =>
      rs
        .filter((r) => r.accountId !== WAIVED_ACCOUNT)
        .map((r) => `${r.accountId}/${r.region} ${r.findings.length}`)
        .sort();
    expect(others(results)).toEqual(others(unwaived.results));
  });
});
