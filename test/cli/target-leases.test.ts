/**
 * `run` when another run holds a target's lease: the target is skipped and counted, in the
 * table and in JSON; held for longer than the lease time (a stuck run), the run exits 3.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FileDriftStore } from '../../functions/records/file-drift-store.js';
import { LEASE_TTL_MS } from '../../functions/run/detector.js';
import { temporaryDirectory, useExampleWorld } from '../integration/run/helpers.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'local' };
const MINUTE = 60_000;
const HELD = 'target:222222222222/us-east-1';

/** A file store whose lease on 222222222222/us-east-1 this (live) process holds, taken `heldForMs` ago. */
async function storeWithHeldTarget(heldForMs: number): Promise<string> {
  const directory = await temporaryDirectory('cli-leases-');
  const store = new FileDriftStore({ directory });
  // Taken `heldForMs` ago and renewed since: it lapses only well after now.
  expect(await store.acquireLease(HELD, 'run-other', heldForMs + 10 * MINUTE, Date.now() - heldForMs)).toBe(
    true,
  );
  return directory;
}

function run(directory: string, ...extra: string[]) {
  return runCliAsync(
    [
      'run',
      '--endpoint-url',
      localAws.current.url,
      '--accounts',
      '222222222222,333333333333',
      '--regions',
      'us-east-1',
      '--store',
      `file:${directory}`,
      ...extra,
    ],
    { env: CREDENTIALS },
  );
}

describe('ecr-sign-drift run with a target held by another run', () => {
  it('exits 3 and says so when the other run has held it for longer than the lease time', async () => {
    const directory = await storeWithHeldTarget(5 * MINUTE);

    const { code, stdout, stderr } = await run(directory);

    expect(code, stderr).toBe(3);
    expect(stdout).toMatch(
      new RegExp(
        `222222222222/us-east-1  skipped: run run-other has held this target since \\S+, longer than the lease time \\(${LEASE_TTL_MS / 1000} s\\)`,
      ),
    );
    expect(stdout).toContain(
      '1 scanned, 0 failed, 1 skipped (1 held by another run, 1 of them for longer than the lease time)',
    );
  });

  it('counts a target another run has just taken, and exits 0', async () => {
    const directory = await storeWithHeldTarget(0);

    const { code, stdout, stderr } = await run(directory, '--format', 'json');

    expect(code, stderr).toBe(0);
    const output = JSON.parse(stdout) as {
      summary: { targets: Record<string, number> };
      targets: { accountId: string; status: string; heldBy?: object }[];
    };
    expect(output.summary.targets).toEqual({
      scanned: 1,
      failed: 0,
      skipped: 1,
      heldByAnotherRun: 1,
      heldLongerThanLeaseTime: 0,
    });
    expect(output.targets.find((t) => t.accountId === '222222222222')).toMatchObject({
      status: 'skipped',
      heldBy: { runId: 'run-other', since: expect.any(String), longerThanLeaseTime: false },
    });
  });
});
