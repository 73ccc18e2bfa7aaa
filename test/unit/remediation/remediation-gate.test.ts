import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { RemediationMode } from '../../../functions/config/detector-environment.js';
import { ConfigurationError } from '../../../functions/core/errors.js';
import { planRemediation, type RemediationPlan } from '../../../functions/core/planning/index.js';
import type { SigningRule } from '../../../functions/core/types.js';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import {
  decideRemediation,
  RemediationBudget,
  type RemediationSettings,
  runRemediationCounter,
  type SharedCounter,
} from '../../../functions/remediation/remediation-gate.js';

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

let runs = 0;
/** A run's remediation counter in a file store of its own. */
function counter(): SharedCounter {
  const directory = mkdtempSync(join(tmpdir(), 'remediation-gate-'));
  directories.push(directory);
  runs += 1;
  return runRemediationCounter(new FileDriftStore({ directory }), `run-${runs}`, () => new Date());
}

function newBudget(limit: number): RemediationBudget {
  return new RemediationBudget(limit, counter());
}

const ALLOWED = '111122223333';
const NOT_ALLOWED = '444444444444';
const prod = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/prod_signing';
const dev = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/dev_signing';
const prodRule: SigningRule = {
  signingProfileArn: prod,
  repositoryFilters: [{ filter: 'payments/*', filterType: 'WILDCARD_MATCH' }],
};
const repositories = ['payments/api', 'team/tool'];

function readyPlan(accountId = ALLOWED): RemediationPlan {
  return planRemediation({
    accountId,
    region: 'us-east-1',
    actual: null,
    desired: { rules: [prodRule] },
    repositories,
  });
}

function noopPlan(): RemediationPlan {
  const configuration = { rules: [prodRule] };
  return planRemediation({
    accountId: ALLOWED,
    region: 'us-east-1',
    actual: configuration,
    desired: configuration,
    repositories,
  });
}

/** Merge refuses: the registry's filter-less dev rule would be kept, making 11 rules. */
function refusedPlan(): RemediationPlan {
  const desired = {
    rules: Array.from({ length: 10 }, (_, i) => ({
      signingProfileArn: `arn:aws:signer:us-east-1:999988887777:/signing-profiles/profile_${i}`,
    })),
  };
  return planRemediation({
    accountId: ALLOWED,
    region: 'us-east-1',
    actual: { rules: [{ signingProfileArn: dev }] },
    desired,
    repositories,
  });
}

function settings(mode: RemediationMode, allowedAccounts: string[] = [ALLOWED]): RemediationSettings {
  return { mode, allowedAccounts };
}

describe('decideRemediation', () => {
  it('does nothing when remediation is off, even for a ready plan of an allowed account', async () => {
    const budget = newBudget(5);
    expect(await decideRemediation(settings('off'), budget, readyPlan())).toEqual({
      action: 'none',
      reason: 'remediation is off',
    });
    expect(budget.granted).toBe(0);
  });

  it('records a ready plan without writing in plan mode', async () => {
    const budget = newBudget(5);
    const decision = await decideRemediation(settings('plan'), budget, readyPlan());
    expect(decision).toEqual({
      action: 'record',
      reason: 'remediation mode is plan: the plan is recorded, nothing is written',
    });
    expect(budget.granted).toBe(0);
  });

  it('applies a ready plan of an allowed account in apply mode and counts it', async () => {
    const budget = newBudget(5);
    expect(await decideRemediation(settings('apply'), budget, readyPlan())).toEqual({
      action: 'apply',
      reason: 'remediation 1 of at most 5 in this run',
    });
    expect(budget.granted).toBe(1);
  });

  it('records the plan of an account not on the allow-list and leaves the budget alone', async () => {
    const budget = newBudget(5);
    expect(await decideRemediation(settings('apply'), budget, readyPlan(NOT_ALLOWED))).toEqual({
      action: 'record',
      reason: 'account 444444444444 is not on the remediation allow-list',
    });
    expect(budget.granted).toBe(0);
  });

  it('records without writing once the run has used its limit', async () => {
    const budget = newBudget(5);
    const decisions = [];
    for (let i = 0; i < 6; i++)
      decisions.push(await decideRemediation(settings('apply'), budget, readyPlan()));
    expect(decisions.map((d) => d.action)).toEqual(['apply', 'apply', 'apply', 'apply', 'apply', 'record']);
    expect(decisions[5]?.reason).toBe("the run's limit of 5 remediations is reached");
  });

  it('never applies a refused plan, in any mode, and gives the refusals as the reason', async () => {
    const plan = refusedPlan();
    expect(plan.status).toBe('refused');
    const budget = newBudget(5);
    for (const mode of ['plan', 'apply'] as const) {
      const decision = await decideRemediation(settings(mode), budget, plan);
      expect(decision.action).toBe('record');
      expect(decision.reason).toBe(`plan refused: ${plan.refusals.join('; ')}`);
      expect(decision.reason).toContain('at most 10 are allowed');
    }
    expect((await decideRemediation(settings('off'), budget, plan)).action).toBe('none');
    expect(budget.granted).toBe(0);
  });

  it('has nothing to record or write for a noop plan', async () => {
    const budget = newBudget(5);
    for (const mode of ['plan', 'apply'] as const) {
      expect(await decideRemediation(settings(mode), budget, noopPlan())).toEqual({
        action: 'none',
        reason: 'the registry already has the planned configuration',
      });
    }
    expect(budget.granted).toBe(0);
  });

  it('grants exactly the limit to concurrent callers sharing one budget', async () => {
    const budget = newBudget(5);
    const decisions = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        // Callers reach the gate interleaved, as targets finishing their scans would.
        await sleep(i % 7);
        return decideRemediation(settings('apply'), budget, readyPlan());
      }),
    );
    expect(decisions.filter((d) => d.action === 'apply')).toHaveLength(5);
    expect(decisions.filter((d) => d.action === 'record')).toHaveLength(35);
    expect(budget.granted).toBe(5);
  });

  it('grants nothing with a limit of 0', async () => {
    const budget = newBudget(0);
    expect((await decideRemediation(settings('apply'), budget, readyPlan())).action).toBe('record');
    expect(budget.granted).toBe(0);
  });
});

describe('RemediationBudget', () => {
  it('shares the limit between budgets of one run, as scale-out workers hold them', async () => {
    const shared = counter();
    const workers = Array.from({ length: 6 }, () => new RemediationBudget(3, shared));
    const granted = await Promise.all(workers.flatMap((w) => [w.tryTake(), w.tryTake()]));
    expect(granted.filter((n) => n !== null).sort()).toEqual([1, 2, 3]);
  });

  it('grants again what is given back, and gives back only what it holds', async () => {
    const budget = newBudget(1);
    expect(await budget.tryTake()).toBe(1);
    expect(await budget.tryTake()).toBeNull();
    await budget.giveBack();
    await budget.giveBack();
    expect(budget.granted).toBe(0);
    expect(await budget.tryTake()).toBe(1);
    expect(await budget.tryTake()).toBeNull();
  });

  it('rejects a limit that is negative or not a whole number with ConfigurationError', () => {
    expect(() => new RemediationBudget(-1, counter())).toThrow(ConfigurationError);
    expect(() => new RemediationBudget(1.5, counter())).toThrow(ConfigurationError);
  });
});
