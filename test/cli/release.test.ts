/** `ecr-sign-drift release` as a process: lifts the hold a remediation.conflict put on a target, once. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileDriftStore } from '../../functions/records/file-drift-store.js';
import { assertCliBuilt, runCli } from './run-cli.js';

const TARGET = { accountId: '222222222222', region: 'eu-west-1' };
const directories: string[] = [];

beforeAll(assertCliBuilt);
afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function heldStore(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'release-'));
  directories.push(directory);
  await new FileDriftStore({ directory }).saveJournalEntry(
    TARGET,
    {
      runId: 'apply-1',
      before: null,
      after: { rules: [] },
      plan: {},
      status: 'applied',
      reason: 'applied the merge plan',
      overwroteConcurrentChange: [
        {
          principal: 'arn:aws:iam::222222222222:user/alice',
          eventName: 'PutSigningConfiguration',
          eventTime: '2026-03-02T09:00:00.000Z',
          signingConfiguration: null,
        },
      ],
    },
    new Date('2026-03-02T09:00:01Z'),
  );
  return directory;
}

describe('release', () => {
  it('releases a held target once, journaled with the reason, and says there is nothing left to release after', async () => {
    const directory = await heldStore();
    const args = ['release', '--target', '222222222222/eu-west-1', '--store', `file:${directory}`];

    const first = runCli([...args, '--reason', 'checked with alice', '--format', 'json']);
    const second = runCli(args);

    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ heldBy: 'apply-1', reason: 'checked with alice' });
    const [latest] = await new FileDriftStore({ directory }).listJournal(TARGET);
    expect(latest).toMatchObject({ status: 'released', reason: 'checked with alice' });
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([
      'ecr-sign-drift: 222222222222/eu-west-1 is not held: nothing to release',
    ]);
  });

  it('refuses a target that is not ACCOUNT/REGION with one line and exit 2', () => {
    const result = runCli(['release', '--target', '2222/eu-west-1']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      "--target must be ACCOUNT/REGION (like 111122223333/us-east-1), got '2222/eu-west-1'",
    );
  });
});
