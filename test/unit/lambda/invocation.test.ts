import { describe, expect, it } from 'vitest';
import { InvalidInvocationError, parseInvocation } from '../../../functions/lambda/invocation.js';

describe('parseInvocation', () => {
  it('treats an EventBridge scheduled rule event as a scheduled run', () => {
    const event = {
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-11-23T08:00:00Z',
      detail: {},
    };
    expect(parseInvocation(event)).toEqual({ kind: 'scheduled', scheduledTime: '2026-11-23T08:00:00Z' });
  });

  it('treats the Scheduler schedule payload as a scheduled run', () => {
    expect(parseInvocation({ source: 'aws.scheduler', scheduledTime: '2026-11-23T09:00:00Z' })).toEqual({
      kind: 'scheduled',
      scheduledTime: '2026-11-23T09:00:00Z',
    });
  });

  it('accepts a manual audit limited to accounts, regions and policies', () => {
    expect(
      parseInvocation({
        action: 'audit',
        accounts: ['111122223333'],
        regions: ['eu-west-1'],
        policies: ['signing-configured'],
      }),
    ).toEqual({
      kind: 'manual',
      action: 'audit',
      accounts: ['111122223333'],
      regions: ['eu-west-1'],
      policies: ['signing-configured'],
    });
  });

  it('accepts a rollback of one target to a run', () => {
    expect(
      parseInvocation({ action: 'rollback', target: '111122223333/us-east-1', toRunId: 'run-1' }),
    ).toEqual({
      kind: 'rollback',
      target: { accountId: '111122223333', region: 'us-east-1' },
      toRunId: 'run-1',
    });
  });

  it('lists every problem of an invalid payload', () => {
    let error: unknown;
    try {
      parseInvocation({ action: 'destroy', accounts: ['123'], regions: [], colour: 'red' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInvocationError);
    expect((error as InvalidInvocationError).problems).toEqual(
      expect.arrayContaining([
        "payload: unknown field 'colour'",
        '/action: must be one of audit, run, remediate, rollback',
        '/accounts/0: must match pattern "^[0-9]{12}$"',
        '/regions: must NOT have fewer than 1 items',
      ]),
    );
  });

  it('requires a target for rollback and refuses one elsewhere', () => {
    expect(() => parseInvocation({ action: 'rollback' })).toThrowError("payload: 'target' is required");
    expect(() => parseInvocation({ action: 'run', target: '111122223333/us-east-1' })).toThrowError(
      "'target' and 'toRunId' are only for action rollback",
    );
  });

  it('rejects a payload that is not an object', () => {
    expect(() => parseInvocation('run')).toThrowError('payload: must be a JSON object');
  });

  it('bounds the invocation arrays and reports an over-long one as one short problem', () => {
    const tooMany = Array.from({ length: 100_000 }, () => 'not-an-account');
    let message = '';
    try {
      parseInvocation({ action: 'audit', accounts: tooMany });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('invalid invocation: /accounts: must NOT have more than 1000 items');
    const regions = Array.from({ length: 51 }, (_, i) => `eu-west-${i}`);
    expect(() => parseInvocation({ action: 'audit', regions })).toThrowError(
      '/regions: must NOT have more than 50 items',
    );
    const policies = Array.from({ length: 201 }, (_, i) => `policy-${i}`);
    expect(() => parseInvocation({ action: 'audit', policies })).toThrowError(
      '/policies: must NOT have more than 200 items',
    );
    const accounts = Array.from({ length: 1000 }, (_, i) => String(100_000_000_000 + i));
    expect(parseInvocation({ action: 'audit', accounts })).toMatchObject({ accounts });
  });
});
