import { PutSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it, vi } from 'vitest';
import { configurationHash } from '../../../functions/core/drift/index.js';
import type { RemediationPlan } from '../../../functions/core/planning/index.js';
import type { SigningConfiguration } from '../../../functions/core/types.js';
import { applyRemediation } from '../../../functions/remediation/apply-remediation.js';
import {
  RemediationJournalError,
  RemediationTargetMismatchError,
} from '../../../functions/remediation/errors.js';
import {
  CONFIGURED,
  contextFor,
  DESIRED,
  DEV_CONFIGURATION,
  DEV_PROFILE,
  ecrClientOf,
  evaluate,
  isNeverConfigured,
  localAws,
  PROD_PROFILE,
  REGION,
  registryConfiguration,
  rule,
  UNCONFIGURED,
} from './helpers.js';

describe('applyRemediation', () => {
  it('applies a merge plan: the registry then has plan.after, read through a separate client', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    expect(plan.status).toBe('ready');
    expect(plan.after).toEqual({ rules: [rule(DEV_PROFILE, 'team/*'), rule(PROD_PROFILE, 'payments/*')] });

    const outcome = await applyRemediation(context, CONFIGURED, plan, evaluatedHash);

    expect(outcome).toEqual({
      kind: 'remediation',
      status: 'applied',
      accountId: CONFIGURED.accountId,
      region: REGION,
      runId: 'run-1',
      reason: `applied the merge plan: ${plan.changes.map((c) => c.action).join('; ')}`,
      before: DEV_CONFIGURATION,
      after: plan.after,
    });
    expect(configurationHash(await registryConfiguration(CONFIGURED))).toBe(plan.afterHash);
  });

  it('journals the attempt as planned before it writes, then as applied with before and after', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    const saves = vi.spyOn(context.store, 'saveJournalEntry');
    const puts = vi.spyOn(context.ecr, 'putSigningConfiguration');

    await applyRemediation(context, CONFIGURED, plan, evaluatedHash);

    expect(saves.mock.calls.map(([, entry]) => entry.status)).toEqual(['planned', 'applied']);
    expect(saves.mock.calls[0]?.[1]).toMatchObject({ before: plan.before, after: plan.after, reason: null });
    expect(saves.mock.invocationCallOrder[0]).toBeLessThan(puts.mock.invocationCallOrder[0]!);
    const entry = await context.store.getJournalEntry(CONFIGURED, 'run-1');
    expect(entry).toMatchObject({
      runId: 'run-1',
      status: 'applied',
      before: DEV_CONFIGURATION,
      after: plan.after,
      plan: { status: 'ready', strategy: 'merge', afterHash: plan.afterHash },
      recordedAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:01.000Z',
    });
  });

  it('creates the configuration of a registry that was never configured', async () => {
    const context = await contextFor(UNCONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, UNCONFIGURED);
    expect(plan.before).toBeNull();

    const outcome = await applyRemediation(context, UNCONFIGURED, plan, evaluatedHash);

    expect(outcome.status).toBe('applied');
    expect(await registryConfiguration(UNCONFIGURED)).toEqual(DESIRED);
    expect(await context.store.getJournalEntry(UNCONFIGURED, 'run-1')).toMatchObject({
      status: 'applied',
      before: null,
      after: DESIRED,
    });
  });

  it('writes nothing when another writer changed the registry after evaluation, and keeps their change', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    const theirs: SigningConfiguration = { rules: [rule(DEV_PROFILE, 'team/*', 'tools/*')] };
    const otherWriter = await ecrClientOf(CONFIGURED);
    await otherWriter.send(new PutSigningConfigurationCommand({ signingConfiguration: theirs }));

    const outcome = await applyRemediation(context, CONFIGURED, plan, evaluatedHash);

    expect(outcome).toMatchObject({
      status: 'failed',
      step: 'check',
      reason: 'the registry changed since evaluation: nothing was written',
      error: null,
      observed: theirs,
      leftAsFound: true,
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(theirs);
    expect(await context.store.getJournalEntry(CONFIGURED, 'run-1')).toMatchObject({
      status: 'failed',
      before: DEV_CONFIGURATION,
      after: theirs,
      reason: 'the registry changed since evaluation: nothing was written',
    });
  });

  it('fails with ValidationException for a plan that breaks a model constraint and keeps the old configuration', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan: evaluated, evaluatedHash } = await evaluate(context, CONFIGURED);
    // The planner refuses such a plan, so it is built by hand: 11 rules, ECR allows 10.
    const after: SigningConfiguration = {
      rules: Array.from({ length: 11 }, (_, i) => rule(PROD_PROFILE, `team${i}/*`)),
    };
    const plan: RemediationPlan = { ...evaluated, after, afterHash: configurationHash(after) };

    const outcome = await applyRemediation(context, CONFIGURED, plan, evaluatedHash);

    const awsMessage = `1 validation error detected: Value '${JSON.stringify(after.rules)}' at 'signingConfiguration.rules' failed to satisfy constraint: Member must have length less than or equal to 10`;
    expect(outcome).toMatchObject({
      status: 'failed',
      step: 'write',
      error: { errorName: 'ValidationException', message: awsMessage },
      observed: DEV_CONFIGURATION,
      leftAsFound: true,
      reason: `PutSigningConfiguration failed: ValidationException: ${awsMessage}; the registry kept its previous configuration`,
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(DEV_CONFIGURATION);
    expect(await context.store.getJournalEntry(CONFIGURED, 'run-1')).toMatchObject({
      status: 'failed',
      before: DEV_CONFIGURATION,
      after: DEV_CONFIGURATION,
      plan: { after },
      reason: outcome.reason,
    });
  });

  it('counts a write whose reply was lost as applied when the read-back shows it took effect', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    const put = context.ecr.putSigningConfiguration.bind(context.ecr);
    vi.spyOn(context.ecr, 'putSigningConfiguration').mockImplementation(async (configuration) => {
      await put(configuration);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });

    const outcome = await applyRemediation(context, CONFIGURED, plan, evaluatedHash);

    expect(outcome.status).toBe('applied');
    expect(outcome.reason).toMatch(
      /\(PutSigningConfiguration reported TimeoutError: socket hang up, but the read-back shows it took effect\)$/,
    );
    expect(await context.store.getJournalEntry(CONFIGURED, 'run-1')).toMatchObject({
      status: 'applied',
      before: DEV_CONFIGURATION,
      after: plan.after,
    });
  });

  it('reports an AWS error reading the registry before the write as a failed check and writes nothing', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    localAws.current.setFaults({
      rules: [{ operation: 'GetSigningConfiguration', error: 'server-error', count: 1 }],
    });
    const puts = vi.spyOn(context.ecr, 'putSigningConfiguration');

    const outcome = await applyRemediation(context, CONFIGURED, plan, evaluatedHash);

    expect(outcome).toMatchObject({
      status: 'failed',
      step: 'check',
      error: { errorName: 'ServerException' },
      leftAsFound: true,
    });
    expect(outcome).not.toHaveProperty('observed');
    expect(outcome.reason).toMatch(/^reading the registry before writing failed: ServerException: /);
    expect(puts).not.toHaveBeenCalled();
    expect(await registryConfiguration(CONFIGURED)).toEqual(DEV_CONFIGURATION);
    expect((await context.store.getJournalEntry(CONFIGURED, 'run-1'))?.status).toBe('failed');
  });

  it('throws RemediationJournalError and writes nothing when the planned entry cannot be saved', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    const diskFull = new Error('ENOSPC: no space left on device');
    vi.spyOn(context.store, 'saveJournalEntry').mockRejectedValueOnce(diskFull);

    const error = await applyRemediation(context, CONFIGURED, plan, evaluatedHash).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RemediationJournalError);
    expect(error).toMatchObject({
      message: `saving the planned journal entry of run run-1 for ${CONFIGURED.accountId}/${REGION} failed (the registry was not written): Error: ENOSPC: no space left on device`,
      cause: diskFull,
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(DEV_CONFIGURATION);
  });

  it('skips a plan that was not made from the evaluated configuration, writing and journaling nothing', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan } = await evaluate(context, CONFIGURED);

    const outcome = await applyRemediation(context, CONFIGURED, plan, configurationHash(null));

    expect(outcome).toMatchObject({
      status: 'skipped',
      reason: 'the plan was not made from the configuration the run evaluated',
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(DEV_CONFIGURATION);
    expect(await context.store.listJournal(CONFIGURED)).toEqual([]);
  });

  it('skips refused and noop plans without writing or journaling', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    const refused: RemediationPlan = {
      ...plan,
      status: 'refused',
      refusals: ['merge would take profiles away'],
    };
    const noop = (await evaluate(context, CONFIGURED, DEV_CONFIGURATION)).plan;
    expect(noop.status).toBe('noop');
    const puts = vi.spyOn(context.ecr, 'putSigningConfiguration');

    const outcomes = [
      await applyRemediation(context, CONFIGURED, refused, evaluatedHash),
      await applyRemediation(context, CONFIGURED, noop, evaluatedHash),
    ];

    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['skipped', 'plan refused: merge would take profiles away'],
      ['skipped', 'the registry already has the planned configuration'],
    ]);
    expect(puts).not.toHaveBeenCalled();
    expect(await context.store.listJournal(CONFIGURED)).toEqual([]);
  });

  it('skips a target the run already remediated, keeping the journaled before a rollback needs', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const first = await evaluate(context, CONFIGURED);
    await applyRemediation(context, CONFIGURED, first.plan, first.evaluatedHash);
    const desired = { rules: [rule(PROD_PROFILE, 'payments/*', 'billing/*')] };
    const second = await evaluate(context, CONFIGURED, desired);
    expect(second.plan.status).toBe('ready');

    const outcome = await applyRemediation(context, CONFIGURED, second.plan, second.evaluatedHash);

    expect(outcome).toMatchObject({
      status: 'skipped',
      reason: `run run-1 already changed ${CONFIGURED.accountId}/${REGION}: its journal entry is applied`,
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(first.plan.after);
    expect(await context.store.getJournalEntry(CONFIGURED, 'run-1')).toMatchObject({
      status: 'applied',
      before: DEV_CONFIGURATION,
    });
  });

  it('throws RemediationTargetMismatchError for a plan made for another registry, before any call', async () => {
    const context = await contextFor(CONFIGURED, 'run-1');
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);

    await expect(applyRemediation(context, UNCONFIGURED, plan, evaluatedHash)).rejects.toThrow(
      RemediationTargetMismatchError,
    );
    expect(await isNeverConfigured(UNCONFIGURED)).toBe(true);
    expect(await context.store.listJournal(UNCONFIGURED)).toEqual([]);
  });
});
