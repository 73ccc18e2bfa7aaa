/**
 * A registry whose policy evaluation runs out of time is that target's error: the run
 * reports it, records it as failed, and every other target goes on.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledPolicy } from '../../../functions/core/policy/types.js';
import { runDetector } from '../../../functions/run/detector.js';
import { runConfig, temporaryFileStore, useCallerCredentials, useExampleWorld } from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const SLOW_ACCOUNT = '333333333333';

describe('a run whose policy evaluation of one registry exceeds its budget', () => {
  it('reports that target as failed with a timeout and audits the others', async () => {
    let clockMs = 0;
    // Stands for a policy that takes a minute on this account's registries: it moves the clock.
    const slow: CompiledPolicy = {
      id: 'slow-on-one-account',
      title: 'slow',
      description: null,
      severity: 'low',
      scope: null,
      source: 'slow.policy.json',
      messages: {},
      validate: (facts) => {
        if ((facts as { accountId: string }).accountId === SLOW_ACCOUNT) clockMs += 60_000;
        return true;
      },
    };
    const config = await runConfig(localAws.current, {
      runId: 'run-timeout',
      store: await temporaryFileStore(),
      topicArn: null,
    });
    const policySet = config.audit.policySet;
    config.audit = {
      ...config.audit,
      policySet: { ...policySet, policies: [slow, ...policySet.policies] },
      evaluationBudget: { timeoutMs: 10_000, now: () => clockMs },
    };

    const { summary, results } = await runDetector(config);

    const slowResults = results.filter((r) => r.accountId === SLOW_ACCOUNT);
    expect(slowResults.map((r) => [r.region, r.status, r.error?.errorName])).toEqual(
      expect.arrayContaining([
        ['us-east-1', 'failed', 'PolicyEvaluationTimeoutError'],
        ['eu-west-1', 'failed', 'PolicyEvaluationTimeoutError'],
      ]),
    );
    expect(slowResults[0]!.error!.message).toMatch(
      /^evaluating the policies on 333333333333\/(us-east-1|eu-west-1) took longer than 10000 ms \(at policy slow-on-one-account\)$/,
    );
    const others = results.filter((r) => r.accountId !== SLOW_ACCOUNT && r.accountId !== '555555555555');
    expect(others.length).toBeGreaterThan(4);
    expect(others.every((r) => r.status === 'scanned')).toBe(true);
    expect(summary.errors.filter((e) => e.errorName === 'PolicyEvaluationTimeoutError')).toHaveLength(2);
  });
});
