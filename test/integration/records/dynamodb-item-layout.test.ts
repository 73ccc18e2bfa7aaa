/**
 * What the contract cannot see: how DynamoDbDriftStore lays records out in the table
 * (TTL attribute, body parts for records over the item size limit) and what an interrupted
 * commit leaves behind.
 */
import { type PutItemCommandInput, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SigningConfiguration } from '../../../functions/core/types.js';
import { DriftStoreError } from '../../../functions/records/drift-store-error.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { TARGET_STATE_SORT_KEY, TTL_ATTRIBUTE } from '../../../functions/records/dynamodb-table.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynalite-server.js';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
const target = { accountId: '111122223333', region: 'eu-west-1' };

let dynamoDb: LocalDynamoDb;
let tableName: string;
let store: DynamoDbDriftStore;

beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamoDb.close();
});

beforeEach(async () => {
  tableName = await dynamoDb.createTable();
  store = new DynamoDbDriftStore({ tableName, client: dynamoDb.client, retentionDays: 30 });
});

async function itemsOfKind(kind: string) {
  const out = await dynamoDb.client.send(new ScanCommand({ TableName: tableName }));
  return (out.Items ?? []).filter((item) => item['kind']?.S === kind);
}

/** About 600 KB of configuration: more than one item can hold. */
function configurationOver400Kb(): SigningConfiguration {
  return {
    rules: Array.from({ length: 10 }, (_, rule) => ({
      signingProfileArn: `arn:aws:signer:eu-west-1:111122223333:/signing-profiles/p_${rule}`,
      repositoryFilters: Array.from({ length: 200 }, (_, filter) => ({
        filter: `r${rule}-${filter}-`.padEnd(256, 'z'),
        filterType: 'WILDCARD_MATCH' as const,
      })),
    })),
  };
}

describe('DynamoDbDriftStore item layout', () => {
  it('gives run records the TTL attribute in epoch seconds', async () => {
    await store.recordRun({ runId: 'r1', mode: 'audit', startedAt: T0, finishedAt: null, counts: {} });
    const [run] = await itemsOfKind('run');
    expect(run?.[TTL_ATTRIBUTE]).toEqual({ N: String(T0 / 1000 + 30 * 86_400) });
  });

  it('splits a record over the item size limit into body parts and reads it back whole', async () => {
    const before = configurationOver400Kb();
    const entry = { runId: 'r1', before, after: null, plan: {}, status: 'planned' as const, reason: null };
    await store.saveJournalEntry(target, entry, T0);
    expect((await itemsOfKind('body-part')).length).toBeGreaterThan(1);
    expect((await store.getJournalEntry(target, 'r1'))?.before).toEqual(before);
  });

  it('deletes the body parts of a record when it is replaced by a small one', async () => {
    const entry = {
      runId: 'r1',
      before: null,
      after: null,
      plan: {},
      status: 'planned' as const,
      reason: null,
    };
    await store.saveJournalEntry(target, { ...entry, before: configurationOver400Kb() }, T0);
    await store.saveJournalEntry(target, { ...entry, status: 'failed' }, T0 + 1);
    expect(await itemsOfKind('body-part')).toEqual([]);
  });

  it('deletes the body parts of a large alert once it is sent', async () => {
    const payload = { text: 'x'.repeat(500_000) };
    expect(await store.enqueueAlert({ id: 'a', payload }, T0)).toBe(true);
    expect(await store.enqueueAlert({ id: 'a', payload }, T0)).toBe(false);
    expect((await store.listPendingAlerts())[0]?.payload).toEqual(payload);
    expect((await itemsOfKind('body-part')).length).toBe(2);
    await store.markAlertSent('a', T0 + 1);
    expect(await itemsOfKind('body-part')).toEqual([]);
  });

  it('converges when a commit interrupted before its state write is repeated', async () => {
    const client = dynamoDb.newClient();
    let failures = 1;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as PutItemCommandInput;
        if (context.commandName === 'PutItemCommand' && input.Item?.['sk']?.S === TARGET_STATE_SORT_KEY) {
          if (failures-- > 0) throw new Error('socket hang up');
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const flaky = new DynamoDbDriftStore({ tableName, client });
    const configuration = { canonicalJson: 'null', hash: 'h' };
    const finding = (fingerprint: string) => ({
      policyId: 'p',
      policyTitle: 'P',
      severity: 'low' as const,
      ...target,
      message: fingerprint,
      factsPath: '/',
      fingerprint,
    });
    const observation = { status: 'ok' as const, configuration, findings: [finding('b'), finding('c')] };

    await expect(flaky.saveTargetObservation(target, observation, T0)).rejects.toThrow(DriftStoreError);
    expect(await flaky.getTarget(target)).toBeNull();
    const repeated = await flaky.saveTargetObservation(target, observation, T0 + 1000);
    client.destroy();

    expect(repeated).toEqual({ opened: [], closed: [], open: 2 });
    const record = await store.getTarget(target);
    expect(record?.state.lastScanAt).toBe(new Date(T0 + 1000).toISOString());
    expect(record?.openFindings.get('c')).toMatchObject({
      firstSeen: new Date(T0).toISOString(),
      lastSeen: new Date(T0 + 1000).toISOString(),
      lastNotified: null,
    });
  });
});
