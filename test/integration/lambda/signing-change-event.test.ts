/**
 * The detector handler given the CloudTrail event EventBridge delivers for a signing
 * configuration write: a run of exactly that target; a failed call, a foreign or malformed
 * event and an account outside the scope change nothing and make no AWS call.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { signingChange } from '../../support/signing-change-event.js';
import { functionEnvironment, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();
let tableName: string;

beforeEach(async () => {
  world.localAws.reset();
  tableName = await world.dynamo.createTable();
});

async function detector() {
  process.env = functionEnvironment(world, tableName, {
    [DetectorEnv.accounts]: '111111111111,222222222222',
  });
  vi.resetModules();
  return (await import('../../../functions/lambda/detector-handler.js')).handler;
}

const awsCalls = () => world.localAws.calls().length;
const ecrTargets = () => [
  ...new Set(
    world.localAws
      .calls()
      .filter((c) => c.service === 'ecr')
      .map((c) => `${c.accountId}/${c.region}`),
  ),
];

describe('the detector handler given a signing-configuration change from CloudTrail', () => {
  it('runs exactly the target of the event and records it', async () => {
    const handler = await detector();
    const response = await handler(signingChange());
    expect(response.action).toBe('run');
    expect(ecrTargets()).toEqual(['222222222222/us-east-1']);
    const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
    expect(await store.getTarget({ accountId: '222222222222', region: 'us-east-1' })).not.toBeNull();
    expect(await store.getTarget({ accountId: '222222222222', region: 'eu-west-1' })).toBeNull();
  });

  it('does nothing for a call that failed (errorCode set), with no AWS call', async () => {
    const handler = await detector();
    const response = await handler(signingChange({ detail: { errorCode: 'ValidationException' } }));
    expect(response).toMatchObject({
      action: 'ignored',
      summary: {
        ignored: 'failed-call',
        reason: expect.stringContaining('failed (ValidationException): nothing changed'),
      },
    });
    expect(awsCalls()).toBe(0);
  });

  it.each([
    ['another source', { ...signingChange(), source: 'aws.s3' }, '/source: must be equal to constant'],
    [
      'another API call',
      signingChange({ detail: { eventName: 'PutImage' } }),
      '/detail/eventName: must be one of',
    ],
    [
      'a missing region',
      signingChange({ detail: { awsRegion: undefined } }),
      "/detail: 'awsRegion' is required",
    ],
    ['a bad account id', signingChange({ account: '12' }), '/account: must match pattern'],
    [
      'an account that differs from the call’s',
      { ...signingChange(), account: '111111111111' },
      'differ from the call’s 222222222222/us-east-1'.replace('’', "'"),
    ],
  ])('refuses %s in one line, with no AWS call', async (_name, event, words) => {
    const handler = await detector();
    const response = await handler(JSON.parse(JSON.stringify(event)));
    expect(response.action).toBe('ignored');
    expect((response.summary as { ignored: string; reason: string }).ignored).toBe('refused');
    expect((response.summary as { reason: string }).reason).toContain(words);
    expect(awsCalls()).toBe(0);
  });

  it('refuses an event from an account outside the configured scope, with no AWS call', async () => {
    const handler = await detector();
    const response = await handler(signingChange({ account: '333333333333' }));
    expect(response).toMatchObject({ action: 'ignored', summary: { ignored: 'refused' } });
    expect((response.summary as { reason: string }).reason).toContain(
      '333333333333 are not among the configured accounts',
    );
    expect(awsCalls()).toBe(0);
    expect(world.localAws.messages()).toEqual([]);
  });

  it('coalesces an event whose write a recorded read already saw: one read, one alert for a burst', async () => {
    const handler = await detector();
    const secondsAgo = (n: number) => new Date(Date.now() - n * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const first = await handler(signingChange({ detail: { eventTime: secondsAgo(10), eventID: 'e1' } }));
    expect(first.action).toBe('run');
    const callsAfterFirst = awsCalls();
    // A second write of the same burst, made before the first run began reading: already seen.
    const second = await handler(signingChange({ detail: { eventTime: secondsAgo(9), eventID: 'e2' } }));
    expect(second).toMatchObject({ action: 'ignored', summary: { ignored: 'coalesced' } });
    expect(awsCalls()).toBe(callsAfterFirst);
  });

  it('reads again for a write made after the recorded read, once it has settled', async () => {
    const handler = await detector();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await handler(signingChange({ detail: { eventTime: iso(Date.now() - 10_000), eventID: 'e1' } }));
    const callsAfterFirst = awsCalls();
    const writtenAt = Date.now();
    const started = performance.now();
    const later = await handler(signingChange({ detail: { eventTime: iso(writtenAt), eventID: 'e3' } }));
    expect(later.action).toBe('run');
    expect(awsCalls()).toBeGreaterThan(callsAfterFirst);
    // It waited for the write's second to end and the settling time, not longer.
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_500 - (writtenAt % 1000));
  });
});
