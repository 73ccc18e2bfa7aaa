/**
 * `ecr-sign-drift local-aws`: serves the local AWS endpoint from a world file (default:
 * the bundled example) until SIGINT or SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigurationError } from '../../core/errors.js';
import { exampleWorld } from '../../local-aws/example-world.js';
import { startLocalAws } from '../../local-aws/server.js';
import { loadWorldFile, type World } from '../../local-aws/world.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';

/** Away from LocalStack's 4566 and its 4510-4559 range. */
export const DEFAULT_LOCAL_AWS_PORT = 4599;

const usage = `Usage: ecr-sign-drift local-aws [--port N] [--world FILE]

Serves ECR, STS, Organizations, Signer and SNS on 127.0.0.1 for unmodified AWS SDK
clients, from a world file (a snapshot plus "localAws" extras: organization, denied
roles, Signer profiles, SNS topics, faults). Runs until Ctrl-C.

Options:
  --port N      Port to listen on (default ${DEFAULT_LOCAL_AWS_PORT}; 0 picks a free one)
  --world FILE  World file (default: the bundled example world)

Point clients at it with AWS_ENDPOINT_URL and any credentials: they act as the world's
caller account (default: the organization's management account); AssumeRole returns
credentials that act as the role's account.
Control: GET /_local/health, /_local/state, /_local/sns/messages, /_local/calls,
/_local/faults; POST /_local/reset, /_local/faults.`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LOCAL_AWS_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new ConfigurationError(`--port must be an integer from 0 to 65535, got '${value}'`);
  }
  return port;
}

function parseFlags(args: string[]): { port: number; world: string | undefined } {
  let values: { port?: string; world?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { port: { type: 'string' }, world: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigurationError(`local-aws: ${(error as Error).message}`, { cause: error });
  }
  return { port: parsePort(values.port), world: values.world };
}

/** Resolves when the process is asked to stop; the listeners go away with it. */
function untilStopSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs the endpoint until `stop` resolves (a signal in the CLI, a promise in tests). */
export async function runLocalAws(args: string[], io: CommandIO, stop: () => Promise<void>): Promise<number> {
  const flags = parseFlags(args);
  const worldPath = flags.world === undefined ? undefined : resolve(io.cwd, flags.world);
  const world: World = worldPath ? await loadWorldFile(worldPath) : exampleWorld();
  let localAws: Awaited<ReturnType<typeof startLocalAws>>;
  try {
    localAws = await startLocalAws({ world, port: flags.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new ConfigurationError(
        `cannot listen on port ${flags.port} (${code}); choose another with --port`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  const url = localAws.url;
  io.stdout.write(
    `local AWS endpoint on ${url} (world: ${worldPath ?? 'bundled example'}); use it with: export AWS_ENDPOINT_URL=${url} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n`,
  );
  await stop();
  await localAws.close();
  return ExitCode.Ok;
}

export const localAwsCommand: Command = {
  name: 'local-aws',
  summary: 'Serve a local AWS endpoint (ECR, STS, Organizations, Signer, SNS) from a world file',
  usage,
  run: (args, io) => runLocalAws(args, io, untilStopSignal),
};
