import { afterAll, beforeAll } from 'vitest';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { describeDriftStoreContract } from '../../contract/drift-store.contract.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynalite-server.js';

let dynamoDb: LocalDynamoDb;

beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamoDb.close();
});

describeDriftStoreContract('DynamoDbDriftStore', async (options) => {
  const tableName = await dynamoDb.createTable();
  return new DynamoDbDriftStore({ ...options, tableName, client: dynamoDb.client });
});
