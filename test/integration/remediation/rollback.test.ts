import { PutSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it, vi } from 'vitest';
import type { TargetRef } from '../../../functions/core/types.js';
import type { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import { applyRemediation } from '../../../functions/remediation/apply-remediation.js';
import { RollbackNotPossibleError } from '../../../functions/remediation/errors.js';
import { rollbackRemediation } from '../../../functions/remediation/rollback.js';
import {
  CONFIGURED,
  contextFor,
  DESIRED,
  DEV_CONFIGURATION,
  DEV_PROFILE,
  ecrClientOf,
  evaluate,
  isNeverConfigured,
  PROD_PROFILE,
  REGION,
  registryConfiguration,
  rule,
  temporaryStore,
  UNCONFIGURED,
} from './helpers.js';

/** Applies the desired configuration in run `runId` and returns the store that journaled it. */
async function remediate(
  target: TargetRef,
  runId: string,
  store?: FileDriftStore,
  desired = DESIRED,
): Promise<FileDriftStore> {
  const context = await contextFor(target, runId, store);
  const { plan, evaluatedHash } = await evaluate(context, target, desired);
  const outcome = await applyRemediation(context, target, plan, evaluatedHash);
  expect(outcome.status).toBe('applied');
  return context.store;
}

describe('rollbackRemediation', () => {
  it('restores the configuration from before the newest applied remediation', async () => {
    const store = await remediate(CONFIGURED, 'run-1');
    const remediated = await registryConfiguration(CONFIGURED);
    const context = await contextFor(CONFIGURED, 'rollback-1', store);

    const outcome = await rollbackRemediation(context, CONFIGURED);

    expect(outcome).toEqual({
      kind: 'rollback',
      status: 'applied',
      accountId: CONFIGURED.accountId,
      region: REGION,
      runId: 'rollback-1',
      rollbackOf: 'run-1',
      reason: 'restored the configuration from before run run-1',
      before: remediated,
      after: DEV_CONFIGURATION,
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(DEV_CONFIGURATION);
  });

  it('says there is nothing to roll back after a successful rollback, by default or by run, and writes nothing', async () => {
    const store = await remediate(CONFIGURED, 'run-1');
    await rollbackRemediation(await contextFor(CONFIGURED, 'rollback-1', store), CONFIGURED);
    const restored = await registryConfiguration(CONFIGURED);

    for (const toRunId of [undefined, 'run-1']) {
      const again = rollbackRemediation(
        await contextFor(CONFIGURED, 'rollback-2', store),
        CONFIGURED,
        toRunId,
      );
      await expect(again).rejects.toThrowError(RollbackNotPossibleError);
      await expect(again).rejects.toThrowError(
        `the remediation of run run-1 on ${CONFIGURED.accountId}/${REGION} was already rolled back by run rollback-1: nothing to roll back`,
      );
    }
    expect(await store.getJournalEntry(CONFIGURED, 'rollback-2')).toBeNull();
    expect(await registryConfiguration(CONFIGURED)).toEqual(restored);
  });

  it('journals the rollback under its own run as rolled-back and leaves the remediation entry applied', async () => {
    const store = await remediate(CONFIGURED, 'run-1');
    const remediation = await store.getJournalEntry(CONFIGURED, 'run-1');
    const context = await contextFor(CONFIGURED, 'rollback-1', store);
    const saves = vi.spyOn(store, 'saveJournalEntry');

    await rollbackRemediation(context, CONFIGURED);

    expect(saves.mock.calls.map(([, entry]) => [entry.runId, entry.status])).toEqual([
      ['rollback-1', 'planned'],
      ['rollback-1', 'rolled-back'],
    ]);
    expect(await store.getJournalEntry(CONFIGURED, 'rollback-1')).toMatchObject({
      status: 'rolled-back',
      before: remediation?.after,
      after: DEV_CONFIGURATION,
      plan: { rollbackOf: 'run-1', replace: remediation?.after, restore: DEV_CONFIGURATION },
      reason: 'restored the configuration from before run run-1',
    });
    expect(await store.getJournalEntry(CONFIGURED, 'run-1')).toEqual(remediation);
  });

  it('deletes the configuration when the registry had never been configured before the remediation', async () => {
    const store = await remediate(UNCONFIGURED, 'run-1');
    expect(await registryConfiguration(UNCONFIGURED)).toEqual(DESIRED);
    const context = await contextFor(UNCONFIGURED, 'rollback-1', store);
    const deletes = vi.spyOn(context.ecr, 'deleteSigningConfiguration');
    const puts = vi.spyOn(context.ecr, 'putSigningConfiguration');

    const outcome = await rollbackRemediation(context, UNCONFIGURED);

    expect(outcome).toMatchObject({
      status: 'applied',
      before: DESIRED,
      after: null,
      reason: 'deleted the signing configuration: the registry was never configured before run run-1',
    });
    expect(deletes).toHaveBeenCalledTimes(1);
    expect(puts).not.toHaveBeenCalled();
    expect(await isNeverConfigured(UNCONFIGURED)).toBe(true);
    expect(await store.getJournalEntry(UNCONFIGURED, 'rollback-1')).toMatchObject({
      status: 'rolled-back',
      before: DESIRED,
      after: null,
    });
  });

  it('refuses when the registry changed after the remediation, leaving the later change in place', async () => {
    const store = await remediate(CONFIGURED, 'run-1');
    const later = { rules: [rule(PROD_PROFILE, 'payments/*'), rule(DEV_PROFILE, 'team/*', 'tools/*')] };
    await (await ecrClientOf(CONFIGURED)).send(
      new PutSigningConfigurationCommand({ signingConfiguration: later }),
    );
    const context = await contextFor(CONFIGURED, 'rollback-1', store);

    const outcome = await rollbackRemediation(context, CONFIGURED);

    const reason =
      'the registry changed since the remediation of run run-1: nothing was written, so the later change stays';
    expect(outcome).toMatchObject({
      status: 'failed',
      step: 'check',
      reason,
      observed: later,
      leftAsFound: true,
    });
    expect(await registryConfiguration(CONFIGURED)).toEqual(later);
    expect(await store.getJournalEntry(CONFIGURED, 'rollback-1')).toMatchObject({ status: 'failed', reason });
    expect((await store.getJournalEntry(CONFIGURED, 'run-1'))?.status).toBe('applied');
  });

  it('rolls back a named run and refuses the older one once a newer remediation followed it', async () => {
    const store = await remediate(CONFIGURED, 'run-1');
    const afterRun1 = await registryConfiguration(CONFIGURED);
    await remediate(CONFIGURED, 'run-2', store, { rules: [rule(PROD_PROFILE, 'billing/*')] });

    const older = await rollbackRemediation(
      await contextFor(CONFIGURED, 'rollback-1', store),
      CONFIGURED,
      'run-1',
    );
    expect(older).toMatchObject({ status: 'failed', rollbackOf: 'run-1', step: 'check' });
    expect(older.reason).toContain('changed since the remediation of run run-1');

    const newest = await rollbackRemediation(
      await contextFor(CONFIGURED, 'rollback-2', store),
      CONFIGURED,
      'run-2',
    );
    expect(newest).toMatchObject({ status: 'applied', rollbackOf: 'run-2' });
    expect(await registryConfiguration(CONFIGURED)).toEqual(afterRun1);
  });

  it('throws RollbackNotPossibleError naming the target when its journal has no applied remediation', async () => {
    const context = await contextFor(CONFIGURED, 'rollback-1', await temporaryStore());

    const error = await rollbackRemediation(context, CONFIGURED).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RollbackNotPossibleError);
    expect((error as Error).message).toBe(
      `rollback run rollback-1: ${CONFIGURED.accountId}/${REGION} has no applied remediation in its journal to roll back`,
    );
    expect(await registryConfiguration(CONFIGURED)).toEqual(DEV_CONFIGURATION);
  });

  it('throws RollbackNotPossibleError naming the run when that run did not apply a remediation', async () => {
    const store = await temporaryStore();
    const context = await contextFor(CONFIGURED, 'run-1', store);
    const { plan, evaluatedHash } = await evaluate(context, CONFIGURED);
    await (await ecrClientOf(CONFIGURED)).send(
      new PutSigningConfigurationCommand({ signingConfiguration: DESIRED }),
    );
    expect((await applyRemediation(context, CONFIGURED, plan, evaluatedHash)).status).toBe('failed');
    const rollback = await contextFor(CONFIGURED, 'rollback-1', store);

    await expect(rollbackRemediation(rollback, CONFIGURED, 'run-1')).rejects.toThrow(
      new RollbackNotPossibleError(
        `run run-1 did not apply a remediation to ${CONFIGURED.accountId}/${REGION} (its journal entry is failed): nothing to roll back`,
      ),
    );
    await expect(rollbackRemediation(rollback, CONFIGURED, 'run-9')).rejects.toThrow(
      new RollbackNotPossibleError(
        `run run-9 has no journal entry for ${CONFIGURED.accountId}/${REGION}: nothing to roll back`,
      ),
    );
    await expect(rollbackRemediation(rollback, CONFIGURED)).rejects.toThrow(RollbackNotPossibleError);
  });

  it('skips a rollback whose run id is the remediation it would undo, which would overwrite its journal entry', async () => {
    const store = await remediate(CONFIGURED, 'run-1');
    const remediated = await registryConfiguration(CONFIGURED);

    const outcome = await rollbackRemediation(await contextFor(CONFIGURED, 'run-1', store), CONFIGURED);

    expect(outcome).toMatchObject({ status: 'skipped', kind: 'rollback' });
    expect(await registryConfiguration(CONFIGURED)).toEqual(remediated);
    expect((await store.getJournalEntry(CONFIGURED, 'run-1'))?.status).toBe('applied');
  });
});
