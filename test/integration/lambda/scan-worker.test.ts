import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../records/dynalite-server.js';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alerts';
let localAws: LocalAws;
let dynamo: LocalDynamoDb;
let tableName: string;
const saved = { ...process.env };
const SCHEDULED = { action: 'run', trigger: 'schedule', remediation: 'off' };

function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m-${i}`,
      receiptHandle: `r-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'scheduler',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:targets',
      awsRegion: 'us-east-1',
    })),
  };
}

beforeAll(async () => {
  localAws = await startLocalAws({ world: exampleWorld() });
  dynamo = await startLocalDynamoDb();
  tableName = await dynamo.createTable();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: localAws.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    ECR_SIGN_DRIFT_ACCOUNTS: '222222222222,333333333333,555555555555',
    ECR_SIGN_DRIFT_REGIONS: 'us-east-1,eu-west-1',
    ECR_SIGN_DRIFT_TOPIC_ARN: TOPIC,
    ECR_SIGN_DRIFT_TABLE_NAME: tableName,
    ECR_SIGN_DRIFT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/targets',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
});

afterAll(async () => {
  process.env = saved;
  await localAws.close();
  await dynamo.close();
});

describe('the scale-out worker handler', () => {
  it('runs the per-target code for each queued target, records it and publishes its alert', async () => {
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const target = (accountId: string, region: string) =>
      JSON.stringify({ runId: 'run-worker-test', accountId, region, request: SCHEDULED });
    const response = await handler(
      sqsEvent([target('333333333333', 'us-east-1'), target('555555555555', 'us-east-1')]),
    );
    expect(response).toEqual({ batchItemFailures: [] });

    const store = new DynamoDbDriftStore({ tableName, client: dynamo.client });
    const scanned = await store.getTarget({ accountId: '333333333333', region: 'us-east-1' });
    expect(scanned?.state.lastScan).toEqual({ status: 'ok' });
    expect(scanned?.openFindings.size).toBeGreaterThan(0);
    const denied = await store.getTarget({ accountId: '555555555555', region: 'us-east-1' });
    expect(denied?.state.lastScan).toMatchObject({
      status: 'failed',
      error: { operation: 'AssumeRole', errorName: 'AccessDenied' },
    });

    const alerted = localAws.messages().map((m) => m.messageAttributes['accountId']?.StringValue);
    expect(alerted.sort()).toEqual(['333333333333', '555555555555']);
    expect(await store.listPendingAlerts()).toEqual([]);

    // The batch is recorded under the run's id, so the run's summary can be assembled from its batches.
    const [batch] = (await store.listRuns(new Date())).filter((r) => r.runId === 'run-worker-test');
    expect(batch).toMatchObject({
      mode: 'schedule',
      counts: { targets: { scanned: 1, failed: 1, skipped: 0 } },
    });
  });

  it('reports a message that is not a target as a batch item failure and processes the rest quietly', async () => {
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const before = localAws.messages().length;
    const response = await handler(
      sqsEvent([
        'not json',
        JSON.stringify({
          runId: 'run-worker-test-2',
          accountId: '222222222222',
          region: 'eu-west-1',
          request: SCHEDULED,
        }),
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    const store = new DynamoDbDriftStore({ tableName, client: dynamo.client });
    expect(
      (await store.getTarget({ accountId: '222222222222', region: 'eu-west-1' }))?.state.lastScan,
    ).toEqual({ status: 'ok' });
    // That registry has no findings and remediation is off: its first scan has nothing to say.
    expect(localAws.messages()).toHaveLength(before);
  });
});
