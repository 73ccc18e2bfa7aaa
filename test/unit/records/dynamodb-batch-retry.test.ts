/**
 * BatchWriteItem may leave items unprocessed (throttling) without failing; dynalite never
 * does, so this is shown against a mocked client.
 */
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../functions/core/types.js';
import { DriftStoreError } from '../../../functions/records/drift-store-error.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';

const tableName = 'drift-records';
const target = { accountId: '111122223333', region: 'eu-west-1' };
const configuration = { canonicalJson: 'null', hash: 'h' };
const dynamoDbMock = mockClient(DynamoDBClient);

afterEach(() => {
  dynamoDbMock.reset();
});

function findings(count: number): Finding[] {
  return Array.from({ length: count }, (_, i) => ({
    policyId: 'p',
    policyTitle: 'P',
    severity: 'low',
    accountId: target.accountId,
    region: target.region,
    message: 'm',
    factsPath: '/',
    fingerprint: `fp-${i}`,
  }));
}

function storeWithMaxAttempts(maxAttempts: number): DynamoDbDriftStore {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  });
  return new DynamoDbDriftStore({ tableName, client, batchRetry: { maxAttempts, baseDelayMs: 0 } });
}

function sentRequests(call: number): WriteRequest[] {
  const input = dynamoDbMock.commandCalls(BatchWriteItemCommand)[call]?.args[0].input;
  return input?.RequestItems?.[tableName] ?? [];
}

describe('DynamoDbDriftStore batch writes', () => {
  it('writes at most 25 items a request and sends unprocessed items again', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });
    dynamoDbMock
      .on(BatchWriteItemCommand)
      .callsFakeOnce((input: { RequestItems: Record<string, WriteRequest[]> }) => ({
        UnprocessedItems: { [tableName]: input.RequestItems[tableName]?.slice(0, 3) ?? [] },
      }))
      .resolves({});
    dynamoDbMock.on(PutItemCommand).resolves({});
    const store = storeWithMaxAttempts(3);
    await store.saveTargetObservation(target, { status: 'ok', configuration, findings: findings(30) }, 0);
    const calls = dynamoDbMock.commandCalls(BatchWriteItemCommand);
    expect(calls.map((_, i) => sentRequests(i).length).sort((a, b) => a - b)).toEqual([3, 5, 25]);
    const retried = calls.findIndex((_, i) => sentRequests(i).length === 3);
    expect(sentRequests(retried)).toEqual(sentRequests(0).slice(0, 3));
  });

  it('fails with DriftStoreError when items stay unprocessed', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });
    dynamoDbMock
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => ({
        UnprocessedItems: input.RequestItems,
      }));
    const store = storeWithMaxAttempts(4);
    const commit = store.saveTargetObservation(
      target,
      { status: 'ok', configuration, findings: findings(2) },
      0,
    );
    await expect(commit).rejects.toThrow(DriftStoreError);
    await expect(commit).rejects.toThrow(/still unprocessed after 4/);
    expect(dynamoDbMock.commandCalls(BatchWriteItemCommand)).toHaveLength(4);
  });
});
