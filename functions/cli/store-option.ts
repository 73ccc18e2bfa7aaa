/** `--store file:DIR | dynamodb:TABLE`: where a CLI run keeps its records. */
import { resolve } from 'node:path';
import { type ClientConfigBase, ClientConfigFactory } from '../aws/client-config.js';
import type { Environment } from '../config/environment.js';
import { defaultStateDirectory } from '../config/state-directory.js';
import { ConfigurationError } from '../core/errors.js';
import { prepareDirectory } from '../files/prepare-directory.js';
import type { DriftStore } from '../records/drift-store.js';
import { DynamoDbDriftStore } from '../records/dynamodb-drift-store.js';
import { FileDriftStore } from '../records/file-drift-store.js';
import { scanConfigFromOptions, type TargetOptionValues } from './target-options.js';

/** For help texts: where the records go without --store. */
export const DEFAULT_STORE = 'file:$XDG_STATE_HOME/ecr-sign-drift, else file:~/.local/state/ecr-sign-drift';

/** The store without --store: the per-user state directory, whatever the working directory. */
export function defaultStore(env: Environment): string {
  return `file:${defaultStateDirectory(env)}`;
}
/** A write takes milliseconds: a temporary file this old belongs to a process that died. */
const ORPHANED_TEMPORARY_FILE_AGE_MS = 10 * 60_000;

/** Opens the store; a file store's directory is created and checked for writing first (one line, exit 2, when it cannot be). */
export async function openStore(
  spec: string,
  cwd: string,
  clientConfig: () => ClientConfigBase,
): Promise<DriftStore> {
  const [kind, ...rest] = spec.split(':');
  const value = rest.join(':');
  if (kind === 'file' && value) {
    const directory = resolve(cwd, value);
    await prepareDirectory(directory, `--store ${spec}`);
    const store = new FileDriftStore({ directory });
    await store.removeOrphanedTemporaryFiles(ORPHANED_TEMPORARY_FILE_AGE_MS);
    return store;
  }
  if (kind === 'dynamodb' && /^[A-Za-z0-9_.-]{3,255}$/.test(value)) {
    return new DynamoDbDriftStore({ tableName: value, clientConfig: clientConfig() });
  }
  throw new ConfigurationError(`--store must be file:DIR or dynamodb:TABLE, got '${spec}'`);
}

/**
 * Opens the store a records command names: a DynamoDB table is reached with the access
 * options (`--profile`, `--region`, `--endpoint-url`) in the home region, read only when needed.
 */
export async function openStoreWithAccessOptions(
  spec: string,
  values: TargetOptionValues,
  io: { env: Environment; cwd: string },
  maxSockets = 8,
): Promise<DriftStore> {
  const scan = await scanConfigFromOptions(values, io.env, false);
  return openStore(spec, io.cwd, () =>
    new ClientConfigFactory({ ...scan, region: scan.homeRegion, maxSockets }).home(),
  );
}
