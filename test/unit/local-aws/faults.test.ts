import { describe, expect, it } from 'vitest';
import { FaultInjector, seededRandom } from '../../../functions/local-aws/faults.js';

const target = {
  service: 'ecr' as const,
  operation: 'GetSigningConfiguration',
  accountId: '111122223333',
  region: 'us-east-1',
};

function decideTimes(injector: FaultInjector, n: number, at = target): (string | null)[] {
  return Array.from({ length: n }, () => injector.decide(at).error?.kind ?? null);
}

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('FaultInjector', () => {
  it('fails only the first `count` matching calls', () => {
    const injector = new FaultInjector({
      rules: [{ operation: 'GetSigningConfiguration', error: 'throttling', count: 2 }],
    });
    expect(decideTimes(injector, 4)).toEqual(['throttling', 'throttling', null, null]);
  });

  it('matches on service, operation, account and region together', () => {
    const injector = new FaultInjector({
      rules: [{ service: 'ecr', accountId: '111122223333', region: 'eu-west-1', error: 'access-denied' }],
    });
    expect(injector.decide(target).error).toBeNull();
    expect(injector.decide({ ...target, region: 'eu-west-1' }).error).toEqual({ kind: 'access-denied' });
    expect(injector.decide({ ...target, region: 'eu-west-1', service: 'sts' }).error).toBeNull();
  });

  it('adds up the latency of every matching rule', () => {
    const injector = new FaultInjector({
      rules: [{ latencyMs: 10 }, { service: 'ecr', latencyMs: 5 }, { service: 'sts', latencyMs: 99 }],
    });
    expect(injector.decide(target)).toEqual({ latencyMs: 15, error: null, concurrentChanges: [] });
  });

  it('lands a concurrent change on the first `count` matching calls, beside any error of another rule', () => {
    const change = { principalArn: 'arn:aws:iam::111122223333:user/alice', signingConfiguration: null };
    const injector = new FaultInjector({
      rules: [
        { service: 'ecr', count: 1, concurrentChange: change },
        { service: 'ecr', error: 'throttling' },
      ],
    });
    expect(injector.decide(target)).toEqual({
      latencyMs: 0,
      error: { kind: 'throttling' },
      concurrentChanges: [change],
    });
    expect(injector.decide(target).concurrentChanges).toEqual([]);
  });

  it('carries the status of a server error, 500 by default', () => {
    expect(new FaultInjector({ rules: [{ error: 'server-error' }] }).decide(target).error).toEqual({
      kind: 'server-error',
      statusCode: 500,
    });
    expect(
      new FaultInjector({ rules: [{ error: 'server-error', statusCode: 503 }] }).decide(target).error
        ?.statusCode,
    ).toBe(503);
  });

  it('repeats the same errors for a rate after reset, and spreads them near the rate', () => {
    const injector = new FaultInjector({ seed: 9, rules: [{ error: 'throttling', rate: 0.3 }] });
    const first = decideTimes(injector, 1000);
    injector.reset();
    expect(decideTimes(injector, 1000)).toEqual(first);
    const throttled = first.filter((e) => e === 'throttling').length;
    expect(throttled).toBeGreaterThan(240);
    expect(throttled).toBeLessThan(360);
  });
});
