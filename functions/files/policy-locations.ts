/**
 * Where each loaded policy is written, for reports that point at files (SARIF: GitHub
 * code scanning shows a result at a file and line of the repository).
 */
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
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
      const uri = relative(root, policy.source).split(sep).join('/');
      return { ...policy, location: { uri, startLine: lineOf(text, '"$id"') } };
    }),
  );
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) return 1;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
