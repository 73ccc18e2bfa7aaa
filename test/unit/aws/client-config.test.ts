import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { AdaptiveRetryStrategy, ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientConfigFactory } from '../../../functions/aws/client-config.js';
import { partitionOfRegion } from '../../../functions/core/partition.js';

const settings = { region: 'us-east-1', maxAttempts: 4, requestTimeoutMs: 1_000, maxSockets: 8 };
let factory: ClientConfigFactory | undefined;
afterEach(() => {
  factory?.destroy();
});

describe('ClientConfigFactory', () => {
  it('gives every client adaptive retries with the bounded number of attempts', async () => {
    factory = new ClientConfigFactory(settings);
    const client = new ECRClient(factory.forRegion('eu-west-1'));
    const strategy = await client.config.retryStrategy();
    expect(strategy).toBeInstanceOf(AdaptiveRetryStrategy);
    expect(await client.config.maxAttempts()).toBe(4);
  });

  it('shares one HTTP handler between clients of different regions and accounts', () => {
    factory = new ClientConfigFactory(settings);
    const credentials = async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
    expect(factory.forRegion('eu-west-1').requestHandler).toBe(
      factory.forRegion('us-west-2', credentials).requestHandler,
    );
  });

  it("reads the environment's FIPS setting once for every client it configures, as the SDK reads it", async () => {
    const previous = process.env['AWS_USE_FIPS_ENDPOINT'];
    process.env['AWS_USE_FIPS_ENDPOINT'] = 'true';
    try {
      factory = new ClientConfigFactory(settings);
      const first = factory.forRegion('eu-west-1');
      expect(factory.forRegion('us-west-2').useFipsEndpoint).toBe(first.useFipsEndpoint);
      expect(await new ECRClient(first).config.useFipsEndpoint()).toBe(true);
    } finally {
      if (previous === undefined) delete process.env['AWS_USE_FIPS_ENDPOINT'];
      else process.env['AWS_USE_FIPS_ENDPOINT'] = previous;
    }
  });

  it('builds a fresh injected retry strategy for each client', () => {
    const built: number[] = [];
    factory = new ClientConfigFactory({
      ...settings,
      retryStrategy: (maxAttempts) => {
        built.push(maxAttempts);
        return new ConfiguredRetryStrategy(maxAttempts, 1);
      },
    });
    const first = factory.forRegion('eu-west-1');
    const second = factory.forRegion('eu-west-1');
    expect(first.retryStrategy).not.toBe(second.retryStrategy);
    expect(first.retryMode).toBeUndefined();
    expect(built).toEqual([4, 4]);
  });
});

describe('ClientConfigFactory with an abort signal', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done) ?? done(undefined));
  });

  it('aborts every call of the client when the signal fires, though calls are sent without options', async () => {
    // An endpoint that never answers: only the abort can end the call.
    server = createServer(() => {});
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    factory = new ClientConfigFactory({ ...settings, endpoint, requestTimeoutMs: 30_000 });
    const abort = new AbortController();
    const config = factory.forRegion('eu-west-1', async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), {
      abortSignal: abort.signal,
    });
    expect(config.cacheMiddleware).toBe(true);
    const client = new ECRClient(config);
    const calls = [
      client.send(new DescribeRepositoriesCommand({})),
      client.send(new DescribeRepositoriesCommand({})),
    ];
    setTimeout(() => abort.abort(), 50);
    for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('partitionOfRegion', () => {
  it('names the partition of commercial, GovCloud and China regions', () => {
    expect(['us-east-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1'].map(partitionOfRegion)).toEqual([
      'aws',
      'aws-us-gov',
      'aws-cn',
      'aws-iso-b',
    ]);
  });
});
