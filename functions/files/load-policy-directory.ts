/**
 * Reads a policy directory:
 *   **\/*.policy.json          policies (anywhere below the directory)
 *   other *.json               shared schemas, referenced by `$id`
 *   tests/<id>/{pass,fail}/*.json   fixtures of policy <id>
 *   waivers/*.json             waivers (accepted risk with an owner and an end)
 *   desired/                   desired configurations (not read here)
 * Files are sorted so every run sees them in the same order.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MATCHES_DESIRED_ID } from '../core/drift/index.js';
import { PolicyLoadError } from '../core/errors.js';
import type {
  FixtureExpectation,
  PolicyFixture,
  PolicySet,
  SchemaDocument,
  Waiver,
} from '../core/policy/index.js';
import { compilePolicySet, parseWaiverFile } from '../core/policy/index.js';
import { readJsonFile } from './read-json-file.js';

export const DEFAULT_POLICY_DIRECTORY = 'policies';
const POLICY_SUFFIX = '.policy.json';
const FIXTURE_PATH = /^tests\/([^/]+)\/(pass|fail)\/([^/]+\.json)$/;

export interface PolicyDirectory {
  directory: string;
  policies: SchemaDocument[];
  sharedSchemas: SchemaDocument[];
  fixtures: PolicyFixture[];
  waiverFiles: SchemaDocument[];
  /** JSON files under tests/ that are not in a tests/<id>/pass or tests/<id>/fail folder (relative paths). */
  strayTestFiles: string[];
}

/** Reads every policy, shared schema and fixture; throws PolicyLoadError naming the file at fault. */
export async function loadPolicyDirectory(directory: string): Promise<PolicyDirectory> {
  await requireDirectory(directory);
  const files = (await listFiles(directory, '')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const policyPaths: string[] = [];
  const sharedPaths: string[] = [];
  const fixturePaths: { path: string; policyId: string; expectation: FixtureExpectation; name: string }[] =
    [];
  const strayTestFiles: string[] = [];
  const waiverPaths: string[] = [];
  for (const path of files) {
    if (!path.endsWith('.json') || path.startsWith('desired/')) continue;
    if (path.startsWith('waivers/')) {
      waiverPaths.push(path);
    } else if (path.startsWith('tests/')) {
      const match = FIXTURE_PATH.exec(path);
      if (match) {
        const [, policyId, expectation, file] = match;
        fixturePaths.push({
          path,
          policyId: policyId!,
          expectation: expectation as FixtureExpectation,
          name: `${expectation}/${file}`,
        });
      } else {
        strayTestFiles.push(path);
      }
    } else if (path.endsWith(POLICY_SUFFIX)) {
      policyPaths.push(path);
    } else {
      sharedPaths.push(path);
    }
  }
  if (policyPaths.length === 0) {
    throw new PolicyLoadError(`${directory}: no policies found (policy files end with ${POLICY_SUFFIX})`);
  }
  const read = (path: string) => readJsonFile(join(directory, path), PolicyLoadError);
  const documents = (paths: string[]) =>
    Promise.all(paths.map(async (path) => ({ source: join(directory, path), schema: await read(path) })));
  const [policies, sharedSchemas, waiverFiles, fixtures] = await Promise.all([
    documents(policyPaths),
    documents(sharedPaths),
    documents(waiverPaths),
    Promise.all(
      fixturePaths.map(async ({ path, ...fixture }) => ({
        ...fixture,
        source: join(directory, path),
        document: await read(path),
      })),
    ),
  ]);
  return { directory, policies, sharedSchemas, fixtures, waiverFiles, strayTestFiles };
}

export interface PolicySetLoadOptions {
  /** The day waivers are checked against (YYYY-MM-DD, UTC); default: today. */
  today?: string;
  /** `policies validate` refuses expired waivers; audits only warn about them. */
  rejectExpiredWaivers?: boolean;
}

/** Loads and compiles the directory's policy set, with its waivers. */
export async function loadPolicySet(
  directory: string,
  options: PolicySetLoadOptions = {},
): Promise<{ directory: PolicyDirectory; policySet: PolicySet }> {
  const loaded = await loadPolicyDirectory(directory);
  const compiled = compilePolicySet(loaded.policies, loaded.sharedSchemas);
  const waivers = readWaivers(loaded, compiled, options);
  return { directory: loaded, policySet: waivers.length ? { ...compiled, waivers } : compiled };
}

/** Every waiver of the directory, checked against the compiled set's policy ids. */
export function readWaivers(
  loaded: PolicyDirectory,
  policySet: PolicySet,
  options: PolicySetLoadOptions = {},
): Waiver[] {
  const check = {
    // Drift from desired is waivable like a policy's finding.
    policyIds: new Set([...policySet.policies.map((p) => p.id), MATCHES_DESIRED_ID]),
    today: options.today ?? new Date().toISOString().slice(0, 10),
    rejectExpired: options.rejectExpiredWaivers ?? false,
  };
  return loaded.waiverFiles.flatMap((file) => parseWaiverFile(file.source, file.schema, check));
}

async function requireDirectory(directory: string): Promise<void> {
  try {
    if (!(await stat(directory)).isDirectory()) {
      throw new PolicyLoadError(`${directory}: is not a directory (expected a policy directory)`);
    }
  } catch (error) {
    if (error instanceof PolicyLoadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such directory' : `cannot be read (${(error as Error).message})`;
    throw new PolicyLoadError(`${directory}: ${problem}`, { cause: error });
  }
}

/**
 * Relative paths (with `/`) of the files below `root`, skipping hidden entries; follows links,
 * refusing one that leads back into a directory being listed (it would never end).
 */
async function listFiles(
  root: string,
  relative: string,
  ancestors: readonly string[] = [],
): Promise<string[]> {
  const here = join(root, relative);
  const real = await realDirectory(here);
  if (ancestors.includes(real)) {
    throw new PolicyLoadError(`${here}: symbolic link loop (leads back to ${real}, which contains it)`);
  }
  let entries: Dirent[];
  try {
    entries = await readdir(here, { withFileTypes: true });
  } catch (error) {
    throw new PolicyLoadError(`${here}: cannot be listed (${(error as Error).message})`, {
      cause: error,
    });
  }
  const inside = [...ancestors, real];
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith('.'))
      .map(async (entry) => {
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        const isDirectory = entry.isSymbolicLink()
          ? await linksToDirectory(join(root, path))
          : entry.isDirectory();
        return isDirectory ? listFiles(root, path, inside) : [path];
      }),
  );
  return nested.flat();
}

async function realDirectory(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    throw new PolicyLoadError(`${path}: ${linkProblem(error)}`, { cause: error });
  }
}

async function linksToDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new PolicyLoadError(`${path}: ${linkProblem(error)}`, { cause: error });
  }
}

function linkProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symbolic link loop (the link resolves to itself)';
  if (code === 'ENOENT') return 'broken symbolic link (its target does not exist)';
  return `cannot be read (${(error as Error).message})`;
}
