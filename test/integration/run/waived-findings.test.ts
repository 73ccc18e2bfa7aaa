/** Waived findings are reported by audits but never recorded as findings or alerted by a run. */
import { describe, expect, it } from 'vitest';
import { MATCHES_DESIRED_ID } from '../../../functions/core/policy/index.js';
import { runDetector } from '../../../functions/run/detector.js';
import {
  createTopic,
  machineBody,
  runConfig,
  targetOf,
  temporaryFileStore,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

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
    const waivers = [...policySet.policies.map((p) => p.id), MATCHES_DESIRED_ID].map((policyId, i) => ({
      policyId,
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

  it('alerts waiver.expired once when a waiver runs out, and the findings it covered as opened', async () => {
    const aws = localAws.current;
    const topicArn = await createTopic(aws, 'waiver-expiry');
    const store = await temporaryFileStore();
    const config = await runConfig(aws, { runId: 'run-expiry-1', store, topicArn });
    const policySet = config.audit.policySet;
    const waiver = {
      policyId: 'all-repositories-covered',
      accountId: WAIVED_ACCOUNT,
      reason: 'legacy estate',
      owner: 'team@example.com',
      expires: '2026-03-01',
      source: 'waivers/legacy.json#0',
    };
    config.audit = { ...config.audit, policySet: { ...policySet, waivers: [waiver] }, today: '2026-03-02' };
    const expiredEvents = () =>
      aws
        .messages()
        .filter((m) => m.topicArn === topicArn)
        .flatMap((m) =>
          machineBody(m)
            .events.filter((e) => e.type === 'waiver.expired')
            .map((e) => ({ target: targetOf(m), e })),
        );

    await runDetector(config);
    const told = expiredEvents();
    expect(told.map((t) => t.target).sort()).toEqual([
      `${WAIVED_ACCOUNT}/eu-west-1`,
      `${WAIVED_ACCOUNT}/us-east-1`,
    ]);
    expect(told[0]!.e).toMatchObject({
      policyId: 'all-repositories-covered',
      owner: 'team@example.com',
      expires: '2026-03-01',
    });
    const email = aws.messages().find((m) => m.topicArn === topicArn && targetOf(m) === told[0]!.target)!;
    expect((JSON.parse(email.message) as { email: string }).email).toContain(
      'The waiver for all-repositories-covered (owner team@example.com) expired on 2026-03-01',
    );

    // The next run, the waiver still expired: nothing more is said of it.
    await runDetector({ ...config, runId: 'run-expiry-2' });
    expect(expiredEvents()).toHaveLength(told.length);
  });
});
