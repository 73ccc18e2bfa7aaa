/**
 * The detector Lambda as it ships: dist/lambda/detector/index.mjs (built by `npm test`
 * before vitest), cold-started in a subprocess with only the environment the function
 * gets, against the local AWS endpoint and a dynalite table.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../records/dynalite-server.js';
import {
  ALERTED_TARGETS,
  countsByTarget,
  temporaryDirectory,
  useExampleWorld,
  WORLD_TOPIC_ARN,
} from './helpers.js';

const BUNDLE = resolve('dist/lambda/detector/index.mjs');
const INVOKE = resolve('test/integration/run/fixtures/invoke-detector.mjs');

const localAws = useExampleWorld();
let dynamoDb: LocalDynamoDb;

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` (npm test does)`);
  dynamoDb = await startLocalDynamoDb();
});
afterAll(async () => {
  await dynamoDb?.close();
});

interface Outcome {
  importError?: { name: string; message: string };
  invocations?: ({ response: Record<string, unknown> } | { error: { name: string; message: string } })[];
}

/** The function's environment as the stack sets it, pointed at the local endpoints. */
async function functionEnvironment(tableName: string): Promise<Record<string, string>> {
  return {
    AWS_ENDPOINT_URL: localAws.current.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    [DetectorEnv.organizationDiscovery]: 'true',
    [DetectorEnv.regions]: 'us-east-1,eu-west-1',
    [DetectorEnv.topicArn]: WORLD_TOPIC_ARN,
    [DetectorEnv.tableName]: tableName,
    [DetectorEnv.concurrency]: '4',
  };
}

/** Cold-starts the bundle in a subprocess with exactly `env` (plus PATH) and invokes it with each event. */
async function invoke(env: Record<string, string | undefined>, events: unknown[]): Promise<Outcome> {
  const output = join(await temporaryDirectory('lambda-'), 'outcome.json');
  const child = spawn(process.execPath, [INVOKE, BUNDLE, JSON.stringify(events), output], {
    env: { PATH: process.env['PATH'], ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const text = await readFile(output, 'utf8').catch(() => {
    throw new Error(`the subprocess wrote no outcome (exit ${code}): ${stderr}`);
  });
  return JSON.parse(text) as Outcome;
}

describe('the bundled detector Lambda', () => {
  it('runs on a Scheduler event and audits on a manual one, alerting through the endpoint', async () => {
    const tableName = await dynamoDb.createTable();

    const { invocations, importError } = await invoke(await functionEnvironment(tableName), [
      { source: 'aws.scheduler' },
      { action: 'audit' },
      { action: 'run', accounts: ['222222222222'], regions: ['us-east-1'] },
    ]);

    expect(importError).toBeUndefined();
    const [scheduled, audit, scoped] = (invocations ?? []).map(
      (i): Record<string, unknown> => ('response' in i ? i.response : { error: i.error }),
    );
    expect(scheduled).toMatchObject({
      action: 'run',
      summary: {
        trigger: 'schedule',
        targets: { scanned: 8, failed: 2, skipped: 0 },
        // Image findings included: a signing failed by the revoked profile, one stuck IN_PROGRESS.
        findings: { critical: 4, high: 8, medium: 7, low: 7, info: 4 },
        alerts: { enqueued: 10, published: 10, failed: 0, pending: 0 },
      },
      errors: [
        {
          accountId: '555555555555',
          region: 'eu-west-1',
          operation: 'AssumeRole',
          errorName: 'AccessDenied',
        },
        {
          accountId: '555555555555',
          region: 'us-east-1',
          operation: 'AssumeRole',
          errorName: 'AccessDenied',
        },
      ],
    });
    expect(scheduled?.['findings']).toHaveLength(30);
    expect(audit).toMatchObject({
      action: 'audit',
      summary: {
        registries: 8,
        findings: 30,
        failedTargets: 2,
        drift: { drifted: 6, inSync: 2 },
        imagesSampled: 6,
        imagesSkippedByBudget: 0,
      },
    });
    expect(audit?.['findings']).toHaveLength(30);
    // A manual run scoped to one registry, right after: it is read again, nothing is new.
    expect(scoped).toMatchObject({
      action: 'run',
      summary: {
        trigger: 'manual-run',
        targets: { scanned: 1, failed: 0, skipped: 0 },
        alerts: { enqueued: 0, published: 0, failed: 0, pending: 0 },
      },
    });

    // The scheduled run alerted each target once; the audit published nothing.
    const messages = localAws.current.messages();
    expect(countsByTarget(messages)).toEqual(Object.fromEntries(ALERTED_TARGETS.map((t) => [t, 1])));
    expect(messages.every((m) => m.topicArn === WORLD_TOPIC_ARN)).toBe(true);
    // Only the run is recorded, in the function's table.
    const store = new DynamoDbDriftStore({ tableName, client: dynamoDb.client });
    expect((await store.listRuns(Date.now())).map((r) => r.mode)).toEqual(['manual-run', 'schedule']);
  });

  it('rejects an invalid manual payload with every problem listed, and one asking for more than configured, before any AWS call', async () => {
    const tableName = await dynamoDb.createTable();

    const { invocations } = await invoke(await functionEnvironment(tableName), [
      { action: 'scan', accounts: ['12345'], remediation: 'yes', dryRun: true },
      { action: 'remediate' },
      { action: 'run', regions: ['ap-south-1'] },
    ]);

    expect(invocations).toEqual([
      {
        error: {
          name: 'InvalidInvocationError',
          message:
            "invalid invocation: payload: unknown field 'dryRun'; /action: must be one of audit, run, remediate, rollback; " +
            '/accounts/0: must match pattern "^[0-9]{12}$"; /remediation: must be one of off, plan, apply',
        },
      },
      {
        error: {
          name: 'ConfigurationError',
          message: "remediation 'apply' exceeds the function's configured mode 'off'",
        },
      },
      {
        error: {
          name: 'OutOfScopeError',
          message: 'regions ap-south-1 are not among the configured regions (us-east-1, eu-west-1)',
        },
      },
    ]);
    expect(localAws.current.calls()).toEqual([]);
  });

  it.each([
    [
      'without a topic',
      { [DetectorEnv.topicArn]: undefined },
      'environment variable ECR_SIGN_DRIFT_TOPIC_ARN is required',
    ],
    [
      'with a region that is no region',
      { [DetectorEnv.regions]: 'us-east-1,mars-1' },
      "environment variable ECR_SIGN_DRIFT_REGIONS: 'mars-1' is not a region name",
    ],
  ])('fails its cold start %s, naming the variable', async (_, change, message) => {
    const env = { ...(await functionEnvironment('drift-records')), ...change };

    const outcome = await invoke(env, [{ source: 'aws.scheduler' }]);

    expect(outcome).toEqual({ importError: { name: 'ConfigurationError', message } });
    expect(localAws.current.calls()).toEqual([]);
  });
});
