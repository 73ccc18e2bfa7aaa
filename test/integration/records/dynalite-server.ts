/**
 * A dynalite server on loopback for one test file, with a real SDK client pointed at it
 * and a way to create drift-store tables shaped as the CDK stack creates them.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { PARTITION_KEY, SORT_KEY } from '../../../functions/records/dynamodb-table.js';

export interface LocalDynamoDb {
  /** e.g. `http://127.0.0.1:4567`, for AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  client: DynamoDBClient;
  /** Another client for the same server, for a test that changes its middleware. */
  newClient(): DynamoDBClient;
  /** Creates an empty table with a name no other test uses. */
  createTable(): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const newClient = () =>
    new DynamoDBClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  const client = newClient();
  let tables = 0;
  return {
    endpoint,
    client,
    newClient,
    async createTable() {
      tables += 1;
      const tableName = `drift-records-${tables}`;
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: PARTITION_KEY, AttributeType: 'S' },
            { AttributeName: SORT_KEY, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
            { AttributeName: SORT_KEY, KeyType: 'RANGE' },
          ],
        }),
      );
      // dynalite answers ResourceNotFoundException until the table turns ACTIVE, even with createTableMs 0.
      for (let i = 0; i < 200; i++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        if (Table?.TableStatus === 'ACTIVE') return tableName;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`table ${tableName} did not become ACTIVE`);
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
