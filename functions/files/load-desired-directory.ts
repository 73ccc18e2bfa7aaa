/**
 * Reads a directory of desired-configuration files (policies/desired by default) into a
 * DesiredConfigurationSet. Every file must be named default.json, <accountId>.json or
 * <accountId>.<region>.json: any other entry is refused, because a misnamed file would
 * otherwise silently apply to nothing. A missing default directory is an empty set; a
 * directory the user named must exist (a typo must not turn drift off).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkDesiredConfiguration,
  type DesiredConfiguration,
  type DesiredConfigurationSet,
  parseDesiredFileName,
  VALIDATION_REGION,
} from '../core/drift/index.js';
import { DesiredConfigurationError } from '../core/errors.js';
import { compareStrings } from '../core/ordering.js';

export const DEFAULT_DESIRED_DIRECTORY = 'policies/desired';

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

async function listEntries(directory: string): Promise<{ name: string; isFile: boolean }[] | null> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isFile: e.isFile() || e.isSymbolicLink() }));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new DesiredConfigurationError(
      `${directory}: cannot read the directory (${errorCode(error) ?? error})`,
      {
        cause: error,
      },
    );
  }
}

async function loadFile(path: string, region: string): Promise<DesiredConfiguration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DesiredConfigurationError(`${path}: cannot read the file (${errorCode(error) ?? error})`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DesiredConfigurationError(`${path}: not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const [first, ...more] = checkDesiredConfiguration(document, region);
  if (first) {
    const others = more.length > 0 ? ` (and ${more.length} more)` : '';
    throw new DesiredConfigurationError(`${path}: ${first.path} ${first.message}${others}`);
  }
  return document as DesiredConfiguration;
}

/**
 * Loads and validates every file; throws DesiredConfigurationError naming the first bad
 * file, or the directory when it is `required` and missing.
 */
export async function loadDesiredDirectory(
  directory: string,
  options: { required?: boolean } = {},
): Promise<DesiredConfigurationSet> {
  const entries = await listEntries(directory);
  if (entries === null) {
    if (options.required) {
      throw new DesiredConfigurationError(
        `${directory}: no such directory (given as the desired configurations)`,
      );
    }
    return {};
  }
  const set: Record<string, DesiredConfiguration> = {};
  for (const entry of [...entries].sort((a, b) => compareStrings(a.name, b.name))) {
    const path = join(directory, entry.name);
    const scope = entry.isFile ? parseDesiredFileName(entry.name) : null;
    if (scope === null) {
      throw new DesiredConfigurationError(
        `${path}: not a desired-configuration file; name files default.json, <accountId>.json or <accountId>.<region>.json`,
      );
    }
    set[entry.name] = await loadFile(path, scope.scope === 'registry' ? scope.region : VALIDATION_REGION);
  }
  return set;
}
