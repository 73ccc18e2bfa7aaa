import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyLoadError } from '../../../functions/core/errors.js';
import { loadPolicyDirectory, loadPolicySet } from '../../../functions/files/load-policy-directory.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, unknown>): string {
  root = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-policies-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const policy = (id: string) => ({ $id: id, title: id, severity: 'low', type: 'object' });
const snapshot = { snapshotVersion: 1, registries: [] };

describe('loadPolicyDirectory', () => {
  it('sorts policies, shared schemas and fixtures out of the tree', async () => {
    const dir = tree({
      'z-last.policy.json': policy('z-last'),
      'team/a-first.policy.json': policy('a-first'),
      'shared/names.json': { $id: 'https://x.dev/names.json' },
      'desired/prod.json': { rules: [] },
      'tests/a-first/pass/ok.json': snapshot,
      'tests/a-first/fail/bad.json': snapshot,
      'tests/a-first/notes.json': {},
      'tests/README.md': '# fixtures',
      '.hidden/x.policy.json': 'not read',
      'notes.txt': 'not read',
    });
    const loaded = await loadPolicyDirectory(dir);
    expect(loaded.policies.map((d) => d.source)).toEqual([
      join(dir, 'team/a-first.policy.json'),
      join(dir, 'z-last.policy.json'),
    ]);
    expect(loaded.sharedSchemas).toEqual([
      { source: join(dir, 'shared/names.json'), schema: { $id: 'https://x.dev/names.json' } },
    ]);
    expect(loaded.fixtures.map(({ policyId, expectation, name }) => [policyId, expectation, name])).toEqual([
      ['a-first', 'fail', 'fail/bad.json'],
      ['a-first', 'pass', 'pass/ok.json'],
    ]);
    expect(loaded.fixtures[0]!.document).toEqual(snapshot);
    expect(loaded.strayTestFiles).toEqual(['tests/a-first/notes.json']);
  });

  it('rejects a missing directory and one without policies', async () => {
    await expect(loadPolicyDirectory(join(tmpdir(), 'no-such-policies-dir'))).rejects.toThrowError(
      /no-such-policies-dir: no such directory$/,
    );
    const dir = tree({ 'shared/names.json': { $id: 'x' } });
    await expect(loadPolicyDirectory(dir)).rejects.toThrowError(
      `${dir}: no policies found (policy files end with .policy.json)`,
    );
  });

  it('names the file holding invalid JSON', async () => {
    const dir = tree({
      'ok.policy.json': policy('ok'),
      'tests/ok/pass/broken.json': '{"snapshotVersion": 1,',
    });
    const failure = loadPolicyDirectory(dir);
    await expect(failure).rejects.toBeInstanceOf(PolicyLoadError);
    await expect(failure).rejects.toThrowError(
      new RegExp(`^${join(dir, 'tests/ok/pass/broken.json')}: invalid JSON`),
    );
  });
});

describe('loadPolicySet', () => {
  it('compiles the directory and blames the broken policy file', async () => {
    const good = tree({ 'ok.policy.json': policy('ok') });
    expect((await loadPolicySet(good)).policySet.policies.map((p) => p.id)).toEqual(['ok']);
    rmSync(good, { recursive: true });
    const dir = tree({ 'ok.policy.json': policy('ok'), 'bad.policy.json': { $id: 'bad', type: 'object' } });
    await expect(loadPolicySet(dir)).rejects.toThrowError(
      `${join(dir, 'bad.policy.json')}: missing severity`,
    );
  });
});
