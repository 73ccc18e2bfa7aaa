import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import { describeDriftStoreContract } from '../../contract/drift-store.contract.js';

const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describeDriftStoreContract('FileDriftStore', async (options) => {
  const directory = await mkdtemp(join(tmpdir(), 'drift-store-'));
  directories.push(directory);
  return new FileDriftStore({ ...options, directory });
});

describe('FileDriftStore after a killed process', () => {
  it('removes the temporary files a dead writer left, and only those older than the age given', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'drift-store-'));
    directories.push(directory);
    const store = new FileDriftStore({ directory });
    await mkdir(join(directory, 'targets'), { recursive: true });
    const old = join(directory, 'targets', '.0b7c.tmp');
    const fresh = join(directory, 'targets', '111111111111@us-east-1.json.ab12.tmp');
    const record = join(directory, 'targets', '111111111111@us-east-1.json');
    await Promise.all([writeFile(old, '{'), writeFile(fresh, '{'), writeFile(record, '{}')]);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);

    expect(await store.removeOrphanedTemporaryFiles(10 * 60_000)).toBe(1);
    expect((await readdir(join(directory, 'targets'))).sort()).toEqual([
      '111111111111@us-east-1.json',
      '111111111111@us-east-1.json.ab12.tmp',
    ]);
  });
});
