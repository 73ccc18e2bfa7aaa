import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './run-cli.js';

const WORLD = 'functions/local-aws/example-world.json';
let scratch: string;

beforeAll(() => {
  assertCliBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-audit-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function oneRegistrySnapshot(signingConfiguration: unknown): string {
  const path = join(scratch, `snap-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      snapshotVersion: 1,
      registries: [
        {
          accountId: '111122223333',
          region: 'us-east-1',
          signingConfiguration,
          repositories: [{ repositoryName: 'team/api-prod' }, { repositoryName: 'platform/base' }],
          signingProfiles: [
            {
              profileArn: 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing',
              status: 'Active',
              platformId: 'Notation-OCI-SHA384-ECDSA',
            },
          ],
        },
      ],
    }),
  );
  return path;
}

const compliant = {
  rules: [
    {
      signingProfileArn: 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing',
      repositoryFilters: [
        { filter: '*prod*', filterType: 'WILDCARD_MATCH' },
        { filter: 'platform/*', filterType: 'WILDCARD_MATCH' },
      ],
    },
  ],
};

describe('ecr-sign-drift audit --snapshot', () => {
  it('prints findings grouped by registry and exits 1 for findings at or above high', () => {
    const { code, stdout, stderr } = runCli(['audit', '--snapshot', WORLD]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^444444444444\/eu-west-1 {2}\d+ findings?$/m);
    expect(stdout).toContain('CRITICAL  signing-configured');
    expect(stdout).toMatch(/drift: drifted \(desired: default\.json\)/);
    expect(stdout).toMatch(/^9 registries, 17 repositories: \d+ findings/m);
    expect(stdout).not.toContain('\x1b[');
  });

  it('exits 0 for a compliant registry that matches the desired configuration', () => {
    const { code, stdout } = runCli(['audit', '--snapshot', oneRegistrySnapshot(compliant)]);
    expect(stdout).toContain('drift: in-sync (desired: default.json)');
    expect(stdout).not.toMatch(/CRITICAL|HIGH/);
    expect(code).toBe(0);
  });

  it('exits 0 when every finding is below --fail-on and 1 when one reaches it, drift from desired (medium) included', () => {
    const emptyRules = oneRegistrySnapshot({ rules: [] });
    expect(runCli(['audit', '--snapshot', emptyRules, '--fail-on', 'critical']).code).toBe(1);
    const onlyLow = oneRegistrySnapshot({
      rules: [
        { ...compliant.rules[0], repositoryFilters: [{ filter: '*prod*', filterType: 'WILDCARD_MATCH' }] },
      ],
    });
    // A low finding, and the narrowed rule differs from the desired configuration: matches-desired (medium).
    expect(runCli(['audit', '--snapshot', onlyLow, '--fail-on', 'high']).code).toBe(0);
    const atMedium = runCli(['audit', '--snapshot', onlyLow, '--fail-on', 'medium', '--format', 'json']);
    expect(atMedium.code).toBe(1);
    expect(
      JSON.parse(atMedium.stdout).findings.map(
        (f: { policyId: string; severity: string }) => `${f.policyId} ${f.severity}`,
      ),
    ).toContain('matches-desired medium');
  });

  it('writes machine-readable JSON with summary, findings, drift and errors', () => {
    const { code, stdout } = runCli(['audit', '--snapshot', WORLD, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['summary', 'findings', 'drift', 'remediation', 'errors']),
    );
    expect(report.summary).toMatchObject({ registries: 9, repositories: 17, failedTargets: 0 });
    for (const f of report.findings) {
      expect(f).toEqual(
        expect.objectContaining({
          policyId: expect.any(String),
          severity: expect.any(String),
          accountId: expect.stringMatching(/^\d{12}$/),
          region: expect.any(String),
          message: expect.any(String),
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        }),
      );
    }
    const revoked = report.findings.find(
      (f: { policyId: string }) => f.policyId === 'signing-profiles-active',
    );
    expect(revoked).toMatchObject({ accountId: '111111111111', region: 'us-east-1', severity: 'critical' });
  });

  it('gives the same fingerprints on every run', () => {
    const first = JSON.parse(runCli(['audit', '--snapshot', WORLD, '--format', 'json']).stdout);
    const second = JSON.parse(runCli(['audit', '--snapshot', WORLD, '--format', 'json']).stdout);
    expect(second.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(
      first.findings.map((f: { fingerprint: string }) => f.fingerprint),
    );
  });

  it('writes SARIF and markdown reports to --out', () => {
    const sarifPath = join(scratch, 'report.sarif');
    expect(runCli(['audit', '--snapshot', WORLD, '--format', 'sarif', '--out', sarifPath]).stdout).toBe('');
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const md = runCli(['audit', '--snapshot', WORLD, '--format', 'markdown']).stdout;
    expect(md).toMatch(/^# ECR signing audit/);
    expect(md).toContain('| critical | `signing-configured` |');
  });

  it('limits the audit to the policies named with --policy', () => {
    const report = JSON.parse(
      runCli(['audit', '--snapshot', WORLD, '--format', 'json', '--policy', 'signing-configured']).stdout,
    );
    expect(new Set(report.findings.map((f: { policyId: string }) => f.policyId))).toEqual(
      new Set(['signing-configured']),
    );
  });
});

describe('ecr-sign-drift audit with bad input', () => {
  const oneLine = (stderr: string) => {
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('names the snapshot file and field and exits 2 for a schema-invalid snapshot', () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ snapshotVersion: 1, registries: [{ accountId: 'x' }] }));
    const { code, stderr, stdout } = runCli(['audit', '--snapshot', bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(bad);
    oneLine(stderr);
  });

  it('exits 2 with one line for a snapshot that is not JSON or does not exist', () => {
    const notJson = join(scratch, 'not.json');
    writeFileSync(notJson, '{ nope');
    for (const path of [notJson, join(scratch, 'missing.json')]) {
      const { code, stderr } = runCli(['audit', '--snapshot', path]);
      expect(code).toBe(2);
      expect(stderr).toContain(path);
      oneLine(stderr);
    }
  });

  it('exits 2 for unknown flags, formats, severities and policies', () => {
    for (const args of [
      ['--colour'],
      ['--format', 'html'],
      ['--fail-on', 'urgent'],
      ['--policy', 'no-such-policy'],
    ]) {
      const { code, stderr } = runCli(['audit', '--snapshot', WORLD, ...args]);
      expect(code, args.join(' ')).toBe(2);
      oneLine(stderr);
    }
  });

  it('exits 2 for a policy directory that cannot load', () => {
    const dir = join(scratch, 'broken-policies');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'x.policy.json'),
      JSON.stringify({ $id: 'x', severity: 'urgent', type: 'object' }),
    );
    const { code, stderr } = runCli(['audit', '--snapshot', WORLD, '--policies', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('x.policy.json');
    oneLine(stderr);
  });
});
