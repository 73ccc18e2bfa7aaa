import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { policyBundleSources } from '../../functions/build/policy-bundle-source.js';
import { assertCliBuilt, runCli } from './run-cli.js';

const DAY_MS = 86_400_000;
const dayFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

let scratch: string | undefined;
beforeAll(() => assertCliBuilt());
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const scratchWaiver = {
  policyId: 'all-repositories-covered',
  accountId: '111122223333',
  region: 'us-east-1',
  repository: 'scratch/*',
  reason: 'scratch repos are never deployed',
  owner: 'platform-security@example.com',
  ticket: 'SEC-142',
};

/** The shipped policies with `waivers` in waivers/scratch.json, and a snapshot with one uncovered scratch repository. */
function setUp(
  waivers: unknown[],
  file: Record<string, unknown> = {},
): { policies: string; snapshot: string } {
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-waivers-'));
  const policies = join(scratch, 'policies');
  cpSync('policies', policies, { recursive: true });
  mkdirSync(join(policies, 'waivers'));
  writeFileSync(join(policies, 'waivers/scratch.json'), JSON.stringify({ ...file, waivers }));
  const snapshot = join(scratch, 'snapshot.json');
  const signingConfiguration = {
    rules: [
      {
        signingProfileArn: 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing',
        repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD_MATCH' }],
      },
    ],
  };
  // The registry is held to exactly what it has: its only finding is the uncovered scratch repository.
  writeFileSync(join(policies, 'desired/111122223333.json'), JSON.stringify(signingConfiguration));
  writeFileSync(
    snapshot,
    JSON.stringify({
      snapshotVersion: 1,
      registries: [
        {
          accountId: '111122223333',
          region: 'us-east-1',
          signingConfiguration,
          repositories: [{ repositoryName: 'team/api' }, { repositoryName: 'scratch/tmp' }],
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
  return { policies, snapshot };
}

const audit = (paths: { policies: string; snapshot: string }, ...args: string[]) =>
  runCli(['audit', '--snapshot', paths.snapshot, '--policies', paths.policies, '--fail-on', 'low', ...args]);

describe('audit with a waiver in force', () => {
  it('does not count the waived finding for the exit code, and reports it in a waived array', () => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(30) }]);
    const { code, stdout, stderr } = audit(paths, '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(
      report.findings.filter((f: { policyId: string }) => f.policyId === 'all-repositories-covered'),
    ).toEqual([]);
    expect(report.summary.waived).toBe(1);
    expect(report.waived).toHaveLength(1);
    expect(report.waived[0].finding).toMatchObject({
      policyId: 'all-repositories-covered',
      repositoryName: 'scratch/tmp',
    });
    expect(report.waived[0].waiver).toMatchObject({
      ...scratchWaiver,
      source: join(paths.policies, 'waivers/scratch.json#0'),
    });
  });

  it('counts the finding again without the waiver (exit 1)', () => {
    const paths = setUp([]);
    expect(audit(paths).code).toBe(1);
  });

  it('puts the waived finding in SARIF as a result with an external suppression', () => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(30) }]);
    const sarif = JSON.parse(audit(paths, '--format', 'sarif').stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].ruleId).toBe('all-repositories-covered');
    expect(suppressed[0].suppressions).toEqual([
      expect.objectContaining({ kind: 'external', justification: 'scratch repos are never deployed' }),
    ]);
  });

  it('shows a count in the table and markdown, and the list with --show-waived', () => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(30) }]);
    const table = audit(paths).stdout;
    expect(table).toContain('  1 waived\n');
    expect(table).toMatch(/, 1 waived\n$/);
    expect(table).not.toContain('scratch repos are never deployed');
    const listed = audit(paths, '--show-waived').stdout;
    expect(listed).toContain('waived all-repositories-covered:');
    expect(listed).toContain(
      '(scratch repos are never deployed; owner platform-security@example.com, SEC-142',
    );
    expect(audit(paths, '--format', 'markdown').stdout).toContain('1 findings waived.');
    expect(audit(paths, '--format', 'markdown', '--show-waived').stdout).toContain(
      '- waived all-repositories-covered:',
    );
  });
});

describe('audit with an expired waiver', () => {
  it('counts the finding again and warns, naming the waiver', () => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(-2) }]);
    const { code, stdout } = audit(paths, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.waived).toEqual([]);
    expect(report.findings.map((f: { repositoryName?: string }) => f.repositoryName)).toContain(
      'scratch/tmp',
    );
    expect(report.warnings).toEqual([
      expect.objectContaining({
        errorName: 'WaiverExpired',
        message: expect.stringContaining(`waiver ${join(paths.policies, 'waivers/scratch.json#0')}`),
      }),
    ]);
  });
});

describe('policies validate with waivers', () => {
  it.each([
    ['an unknown policyId', { policyId: 'no-such-policy' }, 'waivers[0]: unknown policyId "no-such-policy"'],
    ['a missing owner', { owner: undefined }, 'waivers[0]: missing owner'],
    ['a bad date', { expires: '2027-02-30' }, 'waivers[0]: expires "2027-02-30" is not a date (YYYY-MM-DD)'],
    ['an expired waiver', { expires: dayFromNow(-1) }, `waivers[0]: expired on ${dayFromNow(-1)}`],
    [
      'an expiry over a year ahead',
      { expires: dayFromNow(400) },
      `waivers[0]: expires ${dayFromNow(400)} is more than 365 days ahead`,
    ],
    ['a bad account id', { accountId: '1234' }, 'waivers[0]: accountId "1234" is not a 12-digit account id'],
    ['a bad region', { region: 'Mars' }, 'waivers[0]: region "Mars" is not a region name'],
    [
      'a pattern ECR rejects',
      { repository: 'Scratch/**' },
      'waivers[0]: repository "Scratch/**" is not a pattern ECR accepts',
    ],
  ])('rejects %s with one line naming the file and index (exit 2)', (_, change, problem) => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(30), ...change }]);
    const { code, stdout, stderr } = runCli(['policies', 'validate', paths.policies]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr).toContain(`ecr-sign-drift: ${join(paths.policies, 'waivers/scratch.json')}: ${problem}`);
  });

  it('warns of a stale waiver, one that covers no finding of the given snapshot, naming file and index', () => {
    const stale = { ...scratchWaiver, repository: 'scrach/*', expires: dayFromNow(30) };
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(30) }, stale]);
    const { code, stdout } = runCli(['policies', 'validate', '--snapshot', paths.snapshot, paths.policies]);
    expect(code).toBe(0);
    const warnings = stdout.split('\n').filter((line) => line.includes('stale waiver'));
    expect(warnings).toEqual([
      `WARNING ${join(paths.policies, 'waivers/scratch.json')}#1: stale waiver: it covers no finding of all-repositories-covered in ${paths.snapshot} (remove it, or fix its accountId, region or repository)`,
    ]);
    const strict = runCli(['policies', 'validate', '--strict', '--snapshot', paths.snapshot, paths.policies]);
    expect(strict.code).toBe(1);
  });

  it('waives drift from the desired configuration like a policy finding (matches-desired)', () => {
    const paths = setUp([
      { ...scratchWaiver, expires: dayFromNow(30) },
      {
        policyId: 'matches-desired',
        reason: 'migrating',
        owner: 'platform@example.com',
        expires: dayFromNow(30),
      },
    ]);
    rmSync(join(paths.policies, 'desired/111122223333.json'));
    const { code, stdout } = audit(paths, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.findings).toEqual([]);
    expect(report.waived.map((w: { finding: { policyId: string } }) => w.finding.policyId).sort()).toEqual([
      'all-repositories-covered',
      'matches-desired',
    ]);
  });

  it('accepts an expiry beyond a year when the file sets maxDays', () => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(400) }], { maxDays: 500 });
    expect(runCli(['policies', 'validate', paths.policies]).code).toBe(0);
  });
});

describe('the Lambda bundle', () => {
  it('carries the waivers beside the precompiled policies', async () => {
    const paths = setUp([{ ...scratchWaiver, expires: dayFromNow(30) }]);
    const { wrapper } = await policyBundleSources(paths.policies);
    const line = wrapper.split('\n').find((l) => l.includes('policySet:'));
    const waivers = JSON.parse(/waivers: (\[.*\]) \},$/.exec(line ?? '')?.[1] ?? 'null');
    expect(waivers).toEqual([
      { ...scratchWaiver, expires: dayFromNow(30), source: join(paths.policies, 'waivers/scratch.json#0') },
    ]);
  });
});
