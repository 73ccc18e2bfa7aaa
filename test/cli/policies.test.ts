import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ifThen } from '../unit/policy/helpers.js';
import { assertCliBuilt, runCli } from './run-cli.js';

// `npm test` builds dist/cli.mjs before vitest runs; these tests exercise that binary.
const run = (...args: string[]) => runCli(args);

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A copy of the shipped policy directory, changed by `edit`. */
function policyCopy(edit: (dir: string) => void): string {
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-cli-'));
  const dir = join(scratch, 'policies');
  cpSync('policies', dir, { recursive: true });
  edit(dir);
  return dir;
}

beforeAll(() => {
  assertCliBuilt();
});

describe('ecr-sign-drift policies test', () => {
  it('passes every shipped fixture and prints each result and a summary', () => {
    const { code, stdout, stderr } = run('policies', 'test');
    const lines = stdout.trimEnd().split('\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines).toContain('PASS signing-configured pass/rules-present.json');
    expect(lines).toContain('PASS signing-configured fail/no-rules.json');
    expect(lines.slice(0, -1).every((line) => line.startsWith('PASS '))).toBe(true);
    expect(lines.at(-1)).toBe(`${lines.length - 1} passed, 0 failed`);
  });

  it('fails with exit code 1 and says why when a fixture no longer holds', () => {
    const dir = policyCopy((d) => {
      const fixture = join(d, 'tests/all-repositories-covered/pass/rule-without-filters.json');
      writeFileSync(
        fixture,
        JSON.stringify({
          snapshotVersion: 1,
          registries: [
            {
              accountId: '111122223333',
              region: 'us-east-1',
              signingConfiguration: null,
              repositories: [{ repositoryName: 'web' }],
            },
          ],
        }),
      );
    });
    const { code, stdout } = run('policies', 'test', dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'FAIL all-repositories-covered pass/rule-without-filters.json: unexpected finding: ' +
        'repository web in 111122223333/us-east-1 is not covered by any signing rule\n',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 1 failed$/);
  });
});

describe('ecr-sign-drift policies validate', () => {
  it('lists the loaded policies and shared schemas and finds no problem', () => {
    const { code, stdout, stderr } = run('policies', 'validate');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Loaded 13 policies and 1 shared schema from policies\n/);
    expect(stdout).toMatch(
      /\n {2}signing-configured +critical +Signing is configured \(1 pass, 2 fail fixtures\)\n/,
    );
    expect(stdout).toContain('shared  https://policies.ecr-sign-drift.dev/shared/approved-signers.json');
    expect(stdout.endsWith('\n0 problems\n')).toBe(true);
  });

  it('reports a policy without fail fixtures as a problem and exits 1', () => {
    const dir = policyCopy((d) => rmSync(join(d, 'tests/no-dead-filters/fail'), { recursive: true }));
    const { code, stdout } = run('policies', 'validate', dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `PROBLEM ${join(dir, 'no-dead-filters.policy.json')}: policy no-dead-filters has no fail fixture ` +
        `(add ${join(dir, 'tests/no-dead-filters/fail/<name>.json')})\n`,
    );
    expect(stdout.endsWith('\n1 problem\n')).toBe(true);
  });
});

/** A plain JSON Schema policy (no types on its subschemas, required without properties) with its fixtures. */
function withPlainPolicy(d: string): void {
  writeFileSync(
    join(d, 'prod-signed.policy.json'),
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'prod-signed',
      title: 'Production repositories are signed',
      description: 'Repositories ending in -prod are covered.',
      severity: 'high',
      required: ['accountId'],
      properties: {
        repositories: {
          items: ifThen(
            { properties: { repositoryName: { pattern: '-prod$' } } },
            { properties: { covered: { const: true } } },
          ),
        },
      },
    }),
  );
  const registry = (repositoryName: string) => ({
    snapshotVersion: 1,
    registries: [
      {
        accountId: '111122223333',
        region: 'us-east-1',
        signingConfiguration: null,
        repositories: [{ repositoryName }],
      },
    ],
  });
  mkdirSync(join(d, 'tests/prod-signed/pass'), { recursive: true });
  mkdirSync(join(d, 'tests/prod-signed/fail'), { recursive: true });
  writeFileSync(join(d, 'tests/prod-signed/pass/dev.json'), JSON.stringify(registry('web-dev')));
  writeFileSync(
    join(d, 'tests/prod-signed/fail/prod.json'),
    JSON.stringify({ ...registry('web-prod'), expectedFindings: [{ repositoryName: 'web-prod' }] }),
  );
}

describe('ecr-sign-drift policies validate with a plain JSON Schema policy', () => {
  it('loads it, prints its lint warnings and exits 0', () => {
    const dir = policyCopy(withPlainPolicy);
    const { code, stdout, stderr } = run('policies', 'validate', dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const file = join(dir, 'prod-signed.policy.json');
    expect(stdout).toContain(
      `WARNING ${file}: /properties/repositories/items/if: "properties" without "type": add "type": "object" (strictTypes)\n`,
    );
    expect(stdout).toContain(
      `WARNING ${file}: (root): required "accountId" has no "properties" entry: add "properties": { "accountId": {} } (strictRequired)\n`,
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('0 problems');
  });

  it('counts lint warnings as problems with --strict and exits 1', () => {
    const dir = policyCopy(withPlainPolicy);
    const { code, stdout } = run('policies', 'validate', '--strict', dir);
    expect(code).toBe(1);
    expect(stdout).not.toContain('WARNING ');
    expect(stdout).toContain(
      `PROBLEM ${join(dir, 'prod-signed.policy.json')}: /properties/repositories/items/if:`,
    );
  });

  it('passes its fixtures in policies test, and audit evaluates it', () => {
    const dir = policyCopy(withPlainPolicy);
    expect(run('policies', 'test', dir).stdout).toContain('PASS prod-signed fail/prod.json');
    const snapshot = join(dir, 'tests/prod-signed/fail/prod.json');
    const { expectedFindings: _, ...registries } = JSON.parse(readFileSync(snapshot, 'utf8'));
    writeFileSync(snapshot, JSON.stringify(registries));
    const audit = run('audit', '--snapshot', snapshot, '--policies', dir, '--format', 'json');
    expect(audit.stderr).toBe('');
    const findings = JSON.parse(audit.stdout).findings as { policyId: string; repositoryName?: string }[];
    expect(findings.filter((f) => f.policyId === 'prod-signed').map((f) => f.repositoryName)).toEqual([
      'web-prod',
    ]);
  });
});

describe('ecr-sign-drift policies with a broken policy set', () => {
  it.each(['test', 'validate'])('%s exits 2 with one line on stderr naming the file', (subcommand) => {
    const dir = policyCopy((d) =>
      writeFileSync(
        join(d, 'broken.policy.json'),
        JSON.stringify({
          $id: 'broken',
          severity: 'high',
          type: 'object',
          properties: { x: { type: 'strin' } },
        }),
      ),
    );
    const { code, stdout, stderr } = run('policies', subcommand, dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `ecr-sign-drift: ${join(dir, 'broken.policy.json')}: invalid schema: /properties/x/type must be equal to one of the allowed values (array, boolean, integer, null, number, object, string)\n`,
    );
  });

  it.each([
    [
      'a policy that refers to its own $id',
      (d: string) =>
        writeFileSync(
          join(d, 'selfish.policy.json'),
          JSON.stringify({ $id: 'selfish', severity: 'high', type: 'object', $ref: 'selfish' }),
        ),
      'selfish.policy.json',
      '$ref cycle selfish -> selfish',
    ],
    [
      'shared schemas referring to each other',
      (d: string) => {
        writeFileSync(
          join(d, 'shared/a.json'),
          JSON.stringify({ $id: 'https://x.dev/a.json', $ref: 'https://x.dev/b.json' }),
        );
        writeFileSync(
          join(d, 'shared/b.json'),
          JSON.stringify({ $id: 'https://x.dev/b.json', allOf: [{ $ref: 'a.json' }] }),
        );
      },
      'shared/a.json',
      '$ref cycle https://x.dev/a.json -> https://x.dev/b.json -> https://x.dev/b.json#/allOf/0 -> https://x.dev/a.json',
    ],
    [
      'a policy nested 100,000 levels deep',
      (d: string) =>
        writeFileSync(
          join(d, 'deep.policy.json'),
          `{"$id":"deep","severity":"low",${'"not":{'.repeat(100_000)}${'}'.repeat(100_000)}}`,
        ),
      'deep.policy.json',
      'nests deeper than 128 levels',
    ],
    [
      'a symbolic link loop in the directory',
      (d: string) => symlinkSync('..', join(d, 'shared/loop'), 'dir'),
      'shared/loop',
      'symbolic link loop',
    ],
  ])('exits 2 with one line for %s', (_, edit, file, problem) => {
    const dir = policyCopy(edit);
    const { code, stdout, stderr } = run('policies', 'validate', dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr).toContain(`ecr-sign-drift: ${join(dir, file)}: ${problem}`);
  });

  it('exits 2 for an unknown subcommand or a missing directory, without a stack trace', () => {
    const unknown = run('policies', 'lint');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe("ecr-sign-drift: unknown policies subcommand 'lint': use test or validate\n");
    const missing = run('policies', 'test', 'no/such/dir');
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ecr-sign-drift: no/such/dir: no such directory\n',
    });
  });

  it('prints its usage for --help', () => {
    const { code, stdout } = run('policies', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Usage: ecr-sign-drift policies <test\|validate> \[--strict\] \[--snapshot FILE\] \[DIR\]/,
    );
  });
});
