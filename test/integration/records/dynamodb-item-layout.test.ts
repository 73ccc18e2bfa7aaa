/**
 * What the contract cannot see: how DynamoDbDriftStore lays records out in the table
 * (TTL attribute, body parts for records over the item size limit).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SigningConfiguration } from '../../../functions/core/types.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { TTL_ATTRIBUTE } from '../../../functions/records/dynamodb-table.js';
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
});
