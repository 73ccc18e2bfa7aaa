/**
 * Where the CLI keeps its records when `--store` is not given: a per-user state directory
 * (XDG Base Directory: `$XDG_STATE_HOME/ecr-sign-drift`, else `~/.local/state/ecr-sign-drift`),
 * so two commands run from different directories share one set of records.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { type Environment, getOptionalString } from './environment.js';

export const STATE_DIRECTORY_NAME = 'ecr-sign-drift';

export function defaultStateDirectory(env: Environment): string {
  const xdg = getOptionalString(env, 'XDG_STATE_HOME');
  // The spec ignores a relative value: it would again depend on the working directory.
  const base =
    xdg && isAbsolute(xdg) ? xdg : join(getOptionalString(env, 'HOME') ?? homedir(), '.local', 'state');
  return join(base, STATE_DIRECTORY_NAME);
}
