/**
 * Shared by the Lambda handler tests: the example world on the local AWS endpoint and a
 * dynalite server for the file, the function's environment pointed at them, SQS events.
 */
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../../functions/local-aws/server.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../records/dynalite-server.js';

/** The topic the example world starts with. */
export const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alerts';

/** The test process's environment before any test gave it a function's. */
const baseline = { ...process.env };

export interface LambdaWorld {
  localAws: LocalAws;
  dynamo: LocalDynamoDb;
}

/** Starts both endpoints before the file's tests and stops them (restoring process.env) after. */
export function useLambdaWorld(): LambdaWorld {
  const world = {} as LambdaWorld;
  beforeAll(async () => {
    world.localAws = await startLocalAws({ world: exampleWorld() });
    world.dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    process.env = { ...baseline };
    await world.localAws.close();
    await world.dynamo.close();
  });
  return world;
}

/** The functions' environment as the stack sets it, against the local endpoints, plus `variables` (nothing of an earlier test's). */
export function functionEnvironment(
  world: LambdaWorld,
  tableName: string,
  variables: Record<string, string>,
): NodeJS.ProcessEnv {
  return {
    ...baseline,
    AWS_ENDPOINT_URL: world.localAws.url,
    AWS_ENDPOINT_URL_DYNAMODB: world.dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    [DetectorEnv.regions]: 'us-east-1,eu-west-1',
    [DetectorEnv.topicArn]: TOPIC,
    [DetectorEnv.tableName]: tableName,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...variables,
  };
}

/** An SQS event delivering `bodies` as messages m-0, m-1, … */
export function sqsEvent(bodies: string[]): SQSEvent {
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
