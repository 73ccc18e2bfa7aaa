/**
 * Where each loaded policy is written, for reports that point at files (SARIF: GitHub
 * code scanning shows a result at a file and line of the repository).
 */
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  DEFAULT_DESIRED_FILE,
  type DesiredConfigurationSet,
  MATCHES_DESIRED_ID,
  MATCHES_DESIRED_TITLE,
} from '../core/drift/index.js';
import type { PolicyMetadata } from '../core/policy/index.js';
import type { PolicyDescriptor } from '../core/report/index.js';

/**
 * The policies with their file relative to `root` (forward slashes) and the line of their
 * `$id`; a policy whose file cannot be read (precompiled, or moved since) has no location.
 */
export async function policyDescriptors(
  policies: readonly PolicyMetadata[],
  root: string,
): Promise<PolicyDescriptor[]> {
  return Promise.all(
    policies.map(async (policy) => {
      const text = await readFile(policy.source, 'utf8').catch(() => null);
      if (text === null) return policy;
      return {
        ...policy,
        location: { uri: repositoryPath(root, policy.source), startLine: lineOf(text, '"$id"') },
      };
    }),
  );
}

/**
 * The `matches-desired` check as a policy: its results point at the desired file the
 * registry differs from (the default file, or the first, for the rule itself).
 */
export function matchesDesiredDescriptor(
  desired: DesiredConfigurationSet,
  directory: string,
  root: string,
): PolicyDescriptor {
  const desiredLocations = Object.fromEntries(
    Object.keys(desired).map((name) => [
      name,
      { uri: repositoryPath(root, join(directory, name)), startLine: 1 },
    ]),
  );
  const main = desiredLocations[DEFAULT_DESIRED_FILE] ?? Object.values(desiredLocations)[0];
  return {
    id: MATCHES_DESIRED_ID,
    title: MATCHES_DESIRED_TITLE,
    description: `The registry's signing configuration is the one its desired-configuration file (${relative(root, directory) || '.'}) holds it to.`,
    severity: 'medium',
    ...(main ? { location: main } : {}),
    desiredLocations,
  };
}

function repositoryPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) return 1;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
