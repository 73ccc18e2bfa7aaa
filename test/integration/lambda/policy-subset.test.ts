/**
 * A manual run with a policy subset only resolves findings of the policies it evaluated:
 * the findings of the other policies stay open, so neither that run nor the next full one
 * alerts about them.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { functionEnvironment, useLambdaWorld } from './helpers.js';

const TARGET = { accountId: '333333333333', region: 'us-east-1' };
const world = useLambdaWorld();
let tableName: string;

beforeAll(async () => {
  tableName = await world.dynamo.createTable();
  process.env = functionEnvironment(world, tableName, {
    [DetectorEnv.accounts]: TARGET.accountId,
    [DetectorEnv.regions]: TARGET.region,
  });
  vi.resetModules();
});

/** The event types of every message published since `from`. */
function eventTypesSince(from: number): string[] {
  return world.localAws
    .messages()
    .slice(from)
    .flatMap((m) => JSON.parse(m.messageAttributes['eventType']?.StringValue ?? '[]') as string[]);
}

async function openPolicyIds(): Promise<string[]> {
  const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
  const record = await store.getTarget(TARGET);
  return [...new Set([...(record?.openFindings.values() ?? [])].map((f) => f.policyId))].sort();
}

describe('a manual run with a policy subset', () => {
  it('keeps the findings of policies it did not evaluate open and sends no false finding.resolved or finding.opened', async () => {
    const { handler } = await import('../../../functions/lambda/detector-handler.js');
    await handler({ source: 'aws.scheduler' });
    const openAfterSchedule = await openPolicyIds();
    expect(openAfterSchedule.filter((id) => id !== 'signing-profiles-same-region').length).toBeGreaterThan(0);
    expect(eventTypesSince(0)).toContain('finding.opened');

    const beforeSubset = world.localAws.messages().length;
    const subset = await handler({ action: 'run', policies: ['signing-profiles-same-region'] });
    expect(eventTypesSince(beforeSubset)).not.toContain('finding.resolved');
    expect(await openPolicyIds()).toEqual(openAfterSchedule);
    // The response reports only what the run evaluated.
    expect(new Set(subset.findings.map((f) => f.policyId))).toEqual(
      new Set(subset.findings.length > 0 ? ['signing-profiles-same-region'] : []),
    );

    const beforeNext = world.localAws.messages().length;
    await handler({ source: 'aws.scheduler' });
    expect(eventTypesSince(beforeNext)).toEqual([]);
    expect(await openPolicyIds()).toEqual(openAfterSchedule);
  });
});
