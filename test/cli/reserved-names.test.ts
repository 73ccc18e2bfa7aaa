/**
 * Names JavaScript objects treat specially (`__proto__`, `constructor`) are ordinary names
 * here: as schema property names, repository names, tag keys and fixture names they work;
 * as keywords they are unknown keywords; as a policy id they are refused, in one line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './run-cli.js';

let scratch: string;
let policies: string;
let snapshot: string;

const policy = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'reserved-names',
  title: 'Tagged repositories carry both reserved-name tags',
  description: 'A repository has a constructor tag and, when it has a __proto__ tag, its value is yes.',
  severity: 'high',
  type: 'object',
  properties: {
    repositories: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          tags: {
            type: 'object',
            required: ['constructor'],
            properties: { ['__proto__']: { const: 'yes' }, constructor: { type: 'string' } },
          },
        },
        errorMessage: 'repository {repositoryName} in {registry} has the wrong reserved-name tags',
      },
    },
  },
};

const registry: { accountId: string; region: string; signingConfiguration: null; repositories: object[] } = {
  accountId: '111122223333',
  region: 'us-east-1',
  signingConfiguration: null,
  repositories: [
    { repositoryName: 'constructor', tags: { ['__proto__']: 'no', constructor: 'team' } },
    { repositoryName: 'ok/app', tags: { ['__proto__']: 'yes', constructor: 'team' } },
    { repositoryName: 'missing/app', tags: { ['__proto__']: 'yes' } },
  ],
};

beforeAll(() => {
  assertCliBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-reserved-'));
  policies = join(scratch, 'policies');
  mkdirSync(policies);
  // JSON.stringify writes __proto__ as an own key only when it is one: built from text.
  writeFileSync(
    join(policies, 'constructor.policy.json'),
    JSON.stringify(JSON.parse(JSON.stringify(policy))),
  );
  snapshot = join(scratch, 'snapshot.json');
  writeFileSync(snapshot, JSON.stringify({ snapshotVersion: 1, registries: [registry] }));
  const fixture = (kind: 'pass' | 'fail', repositories: unknown[], extra: object = {}) => {
    mkdirSync(join(policies, 'tests/reserved-names', kind), { recursive: true });
    const document = { snapshotVersion: 1, registries: [{ ...registry, repositories }], ...extra };
    writeFileSync(join(policies, 'tests/reserved-names', kind, '__proto__.json'), JSON.stringify(document));
  };
  fixture('pass', [registry.repositories[1]]);
  fixture('fail', [registry.repositories[0]], {
    expectedFindings: [{ messageIncludes: 'repository constructor in 111122223333/us-east-1' }],
  });
});
afterAll(() => {
  if (!process.env['KEEP']) rmSync(scratch, { recursive: true, force: true });
});
if (process.env['KEEP']) afterAll(() => console.log(scratch));

describe('reserved JavaScript names', () => {
  it('are written into the fixtures as own keys, so the tests below see them', () => {
    expect(JSON.stringify(registry)).toContain('"__proto__":"no"');
    expect(JSON.stringify(policy)).toContain('"__proto__":{"const":"yes"}');
  });

  it('validate and test as schema property names and fixture file names', () => {
    const validate = runCli(['policies', 'validate', policies]);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('reserved-names');
    const test = runCli(['policies', 'test', policies]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/PASS.*__proto__\.json/);
  });

  it('find exactly the repositories whose __proto__ or constructor tag is wrong', () => {
    const { code, stdout } = runCli([
      'audit',
      '--snapshot',
      snapshot,
      '--policies',
      policies,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ policyId: string; repositoryName: string }> };
    expect(report.findings.map((f) => [f.policyId, f.repositoryName]).sort()).toEqual([
      ['reserved-names', 'constructor'],
      ['reserved-names', 'missing/app'],
    ]);
  });

  const policyDirectoryWith = (name: string, change: (p: Record<string, unknown>) => void) => {
    const directory = join(scratch, name);
    mkdirSync(directory);
    const document = JSON.parse(JSON.stringify(policy)) as Record<string, unknown>;
    change(document);
    writeFileSync(join(directory, 'x.policy.json'), JSON.stringify(document));
    return directory;
  };

  it('are unknown keywords as keywords, as any misspelt keyword is: one line, exit 2', () => {
    for (const keyword of ['colour', 'constructor', '__proto__', 'toString']) {
      const directory = policyDirectoryWith(`keyword-${keyword}`, (p) => {
        const repositories = (p['properties'] as Record<string, object>)['repositories']!;
        // Defined, not assigned: assigning __proto__ would set the prototype instead.
        Object.defineProperty(repositories, keyword, {
          value: 1,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      const { code, stderr } = runCli(['audit', '--snapshot', snapshot, '--policies', directory]);
      expect(code, keyword).toBe(2);
      expect(stderr.trim()).toBe(
        `ecr-sign-drift: ${join(directory, 'x.policy.json')}: invalid schema: strict mode: unknown keyword: "${keyword}" at /properties/repositories`,
      );
    }
  });

  it('are refused as a policy id in one line, exit 2', () => {
    const directory = policyDirectoryWith('id-constructor', (p) => {
      p['$id'] = 'constructor';
    });
    const { code, stderr } = runCli(['audit', '--snapshot', snapshot, '--policies', directory]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('$id "constructor" cannot be a policy id');
  });
});
