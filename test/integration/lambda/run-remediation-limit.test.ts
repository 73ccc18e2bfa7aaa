/**
 * Scale-out workers of one run share its remediation limit: the count is taken from the
 * run's counter in DynamoDB (dynalite), not from each invocation's own memory, so workers
 * processing the run's targets at the same time apply no more than the limit between them.
 */
import { describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { functionEnvironment, sqsEvent, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();

/** The example world's registries that apply mode can merge into the desired configuration. */
const REMEDIABLE = [
  ['222222222222', 'eu-west-1'],
  ['333333333333', 'eu-west-1'],
  ['333333333333', 'us-east-1'],
  ['444444444444', 'eu-west-1'],
  ['444444444444', 'us-east-1'],
] as const;

const WRITES = ['PutSigningConfiguration', 'DeleteSigningConfiguration'];

describe('the remediation limit of a scale-out run', () => {
  it('holds across workers processing the run at the same time', async () => {
    const tableName = await world.dynamo.createTable();
    process.env = functionEnvironment(world, tableName, {
      [DetectorEnv.accounts]: '222222222222,333333333333,444444444444',
      [DetectorEnv.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/111111111111/targets',
      [DetectorEnv.remediation]: 'apply',
      [DetectorEnv.remediationAccounts]: '222222222222,333333333333,444444444444',
      [DetectorEnv.maxRemediations]: '2',
    });
    vi.resetModules();
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const request = { action: 'run', trigger: 'schedule', remediation: 'apply' };
    const message = ([accountId, region]: readonly [string, string]) =>
      JSON.stringify({ runId: 'run-limited', accountId, region, request });

    // One invocation per target, all at once, as SQS would fan a run out to five workers.
    const responses = await Promise.all(REMEDIABLE.map((target) => handler(sqsEvent([message(target)]))));

    expect(responses).toEqual(REMEDIABLE.map(() => ({ batchItemFailures: [] })));
    const writes = world.localAws
      .calls()
      .filter((c) => c.service === 'ecr' && WRITES.includes(c.operation) && !c.errorCode);
    expect(writes).toHaveLength(2);
    const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
    const entries = await Promise.all(
      REMEDIABLE.map(async ([accountId, region]) => (await store.listJournal({ accountId, region }))[0]),
    );
    expect(entries.map((entry) => entry?.runId)).toEqual(REMEDIABLE.map(() => 'run-limited'));
    expect(entries.filter((entry) => entry?.status === 'applied')).toHaveLength(2);
    expect(
      entries.filter((entry) => entry?.reason === "the run's limit of 2 remediations is reached"),
    ).toHaveLength(3);
  });
});
