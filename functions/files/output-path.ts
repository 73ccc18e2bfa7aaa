/**
 * Checks an output path before any work is done, so a typo in `--out` costs a line, not a
 * scan: the path must not be a directory, and its nearest existing ancestor must be one.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OutputFileError } from '../core/errors.js';

async function kind(path: string): Promise<'file' | 'directory' | 'other' | null> {
  try {
    const stats = await stat(path);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return 'other';
    throw new OutputFileError(`${path} cannot be checked (${code ?? String(error)})`, { cause: error });
  }
}

/** Throws OutputFileError naming the flag as given (`shown`, e.g. `--out x.json`) and the problem. */
export async function checkOutputPath(path: string, shown: string): Promise<void> {
  if ((await kind(path)) === 'directory') throw new OutputFileError(`${shown} is a directory`);
  let ancestor = dirname(path);
  for (;;) {
    const found = await kind(ancestor);
    if (found === 'directory') return;
    if (found !== null)
      throw new OutputFileError(`${shown} cannot be created: ${ancestor} is not a directory`);
    const parent = dirname(ancestor);
    if (parent === ancestor) return;
    ancestor = parent;
  }
}
