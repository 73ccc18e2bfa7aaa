/**
 * Makes sure a directory the tool will write to exists and is writable, before any work:
 * components are created one by one (not `mkdir -p`, which can spin forever under /proc),
 * and a probe file is written and removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '../core/errors.js';

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

async function isDirectory(path: string): Promise<boolean | null> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    // ENOTDIR: an ancestor is a file; the walk up finds and names it.
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/** Throws ConfigurationError naming `shown` (the flag as given) and the problem. */
export async function prepareDirectory(directory: string, shown: string): Promise<void> {
  const missing: string[] = [];
  let current = directory;
  try {
    for (;;) {
      const found = await isDirectory(current);
      if (found === true) break;
      if (found === false) throw new ConfigurationError(`${shown}: ${current} is not a directory`);
      missing.unshift(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const path of missing) await mkdir(path);
    const probe = join(directory, `.write-check-${randomUUID()}`);
    await writeFile(probe, '', { flag: 'wx' });
    await unlink(probe);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`${shown}: cannot write to ${directory} (${codeOf(error)})`, {
      cause: error,
    });
  }
}
