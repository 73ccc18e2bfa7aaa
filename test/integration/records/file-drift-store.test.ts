import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
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
