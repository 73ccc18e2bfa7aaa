/**
 * The file store's leases hold between processes, not only between the promises of one:
 * the CLI can be started twice on one machine.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/acquire-lease.ts', import.meta.url));
const PROCESSES = 4;
/** Long enough for every child to have started (tsx compiles on start) before they contend. */
const START_DELAY_MS = 2500;

let directory: string;

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('FileDriftStore leases across processes', () => {
  it('grants a lease to exactly one of several processes started together', async () => {
    directory = await mkdtemp(join(tmpdir(), 'drift-lease-'));
    const startAt = Date.now() + START_DELAY_MS;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        run(process.execPath, [
          '--import',
          'tsx',
          fixture,
          directory,
          `process-${i}`,
          String(startAt),
          '0',
          '2000',
        ]),
      ),
    );
    const granted = results.map(({ stdout }) => JSON.parse(stdout) as { owner: string; granted: boolean });
    expect(granted).toHaveLength(PROCESSES);
    expect(granted.filter((result) => result.granted)).toHaveLength(1);
  });

  it('takes at once a lease whose holder died on this machine, and not one whose holder lives', async () => {
    directory = await mkdtemp(join(tmpdir(), 'drift-lease-'));
    const holder = spawn(process.execPath, [
      '--import',
      'tsx',
      fixture,
      directory,
      'crashed-run',
      '0',
      String(Date.now()),
      '60000',
    ]);
    const output = await new Promise<string>((resolve) =>
      holder.stdout.once('data', (d: Buffer) => resolve(String(d))),
    );
    expect(JSON.parse(output)).toEqual({ owner: 'crashed-run', granted: true });
    const store = new FileDriftStore({ directory });

    expect(await store.acquireLease('run', 'next-run', 60_000, Date.now())).toBe(false);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(await store.acquireLease('run', 'next-run', 60_000, Date.now())).toBe(true);
  });
});
