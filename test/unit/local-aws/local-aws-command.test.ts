import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../../functions/cli/command.js';
import { runLocalAws } from '../../../functions/cli/commands/local-aws.js';
import { ConfigurationError } from '../../../functions/core/errors.js';
import { WorldInvalidError } from '../../../functions/local-aws/errors.js';

function capture(): { io: CommandIO; output: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    io: { stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd() },
    output: () => Buffer.concat(chunks).toString('utf8'),
  };
}

const neverCalled = () => Promise.reject(new Error('the server should not have started'));

describe('local-aws command', () => {
  it('prints the URL and the export line in one line, serves until stopped, then exits 0', async () => {
    const { io, output } = capture();
    let health: unknown;
    const stop = async () => {
      const url = /on (http:\/\/127\.0\.0\.1:\d+) /.exec(output())?.[1];
      health = await (await fetch(`${url}/_local/health`)).json();
    };
    expect(await runLocalAws(['--port', '0'], io, stop)).toBe(0);
    expect(health).toEqual({ status: 'ok' });
    expect(output()).toMatch(
      /^local AWS endpoint on (http:\/\/127\.0\.0\.1:\d+) \(world: bundled example\); use it with: export AWS_ENDPOINT_URL=\1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n$/,
    );
  });

  it('rejects a port that is not a number from 0 to 65535 and unknown flags', async () => {
    await expect(runLocalAws(['--port', '70000'], capture().io, neverCalled)).rejects.toThrowError(
      ConfigurationError,
    );
    await expect(runLocalAws(['--port', '-1'], capture().io, neverCalled)).rejects.toThrowError(
      ConfigurationError,
    );
    await expect(runLocalAws(['--verbose'], capture().io, neverCalled)).rejects.toThrowError(
      /Unknown option '--verbose'/,
    );
  });

  it('rejects a world file that does not exist', async () => {
    await expect(
      runLocalAws(['--world', 'no/such/world.json'], capture().io, neverCalled),
    ).rejects.toThrowError(WorldInvalidError);
  });

  it('says which port is taken when it cannot listen', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(runLocalAws(['--port', String(port)], capture().io, neverCalled)).rejects.toThrowError(
        `cannot listen on port ${port} (EADDRINUSE); choose another with --port`,
      );
    } finally {
      blocker.close();
    }
  });
});
