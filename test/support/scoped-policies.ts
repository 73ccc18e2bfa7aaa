/** Policy directories for scope tests: each policy flags every registry in its scope, and nothing else. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyScope } from '../../functions/core/policy/types.js';

/** Writes one `<id>.policy.json` per entry into `directory` (with an empty desired/), and returns it. */
export async function writeScopedPolicies(
  directory: string,
  scopes: Record<string, PolicyScope>,
): Promise<string> {
  await mkdir(join(directory, 'desired'), { recursive: true });
  for (const [id, scope] of Object.entries(scopes)) {
    const policy = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: id,
      title: id,
      description: 'flags every registry in scope',
      severity: 'low',
      scope,
      properties: { accountId: { const: 'none' } },
      errorMessage: `registry {registry} is in the scope of ${id}`,
    };
    await writeFile(join(directory, `${id}.policy.json`), JSON.stringify(policy));
  }
  return directory;
}
