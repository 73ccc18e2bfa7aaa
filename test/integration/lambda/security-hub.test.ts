/**
 * The detector Lambda with ECR_SIGN_DRIFT_SECURITY_HUB=true (what `-c securityHub=true` sets)
 * imports a scheduled run's findings into Security Hub in its own account and region.
 */
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { clientConfig } from '../local-aws/helpers.js';
import { functionEnvironment, sqsEvent, useLambdaWorld } from './helpers.js';

const TARGET = { accountId: '333333333333', region: 'us-east-1' };
const world = useLambdaWorld();

beforeAll(async () => {
  const tableName = await world.dynamo.createTable();
  process.env = functionEnvironment(world, tableName, {
    [DetectorEnv.accounts]: TARGET.accountId,
    [DetectorEnv.regions]: TARGET.region,
    [DetectorEnv.securityHub]: 'true',
  });
  vi.resetModules();
});

describe('the detector Lambda with Security Hub', () => {
  it("imports the run's findings as the function's account, once, and reports them in the summary", async () => {
    const { handler } = await import('../../../functions/lambda/detector-handler.js');
    const response = (await handler({ source: 'aws.scheduler' })) as {
      summary: { securityHub?: { imported: number; refused: number; failed: number } };
    };
    const client = new SecurityHubClient(clientConfig(world.localAws));
    const out = await client.send(new GetFindingsCommand({ MaxResults: 100 }));
    client.destroy();
    const findings = out.Findings ?? [];
    expect(findings.length).toBeGreaterThan(0);
    expect(response.summary.securityHub).toEqual({ imported: findings.length, refused: 0, failed: 0 });
    expect(findings.every((f) => f.AwsAccountId === '111111111111' && f.RecordState === 'ACTIVE')).toBe(true);
    expect(findings.every((f) => f.ProductFields?.['ecrSignDrift/accountId'] === TARGET.accountId)).toBe(
      true,
    );

    await handler({ source: 'aws.scheduler' });
    const calls = world.localAws.calls().filter((c) => c.operation === 'BatchImportFindings');
    expect(calls).toHaveLength(1);
  });

  it('imports from a scale-out worker batch the same way', async () => {
    process.env = functionEnvironment(world, await world.dynamo.createTable(), {
      [DetectorEnv.accounts]: TARGET.accountId,
      [DetectorEnv.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/111111111111/targets',
      [DetectorEnv.securityHub]: 'true',
    });
    vi.resetModules();
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const request = { action: 'run', trigger: 'schedule', remediation: 'off' };
    const response = await handler(
      sqsEvent([
        JSON.stringify({ runId: 'run-worker', accountId: TARGET.accountId, region: 'eu-west-1', request }),
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const client = new SecurityHubClient(clientConfig(world.localAws));
    const out = await client.send(
      new GetFindingsCommand({
        MaxResults: 100,
        Filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] },
      }),
    );
    client.destroy();
    const fromWorker = (out.Findings ?? []).filter(
      (f) => f.ProductFields?.['ecrSignDrift/region'] === 'eu-west-1',
    );
    expect(fromWorker.length).toBeGreaterThan(0);
    expect(fromWorker.every((f) => f.ProductFields?.['ecrSignDrift/accountId'] === TARGET.accountId)).toBe(
      true,
    );
  });
});
