/**
 * Policies scoped by account tags or organizational units apply in every entry point of the
 * CLI: live audit with --org and with --accounts, snapshot then audit --snapshot, and run.
 * A scope that cannot be evaluated (Organizations refuses the lookup) is a warning.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory, useExampleWorld } from '../integration/run/helpers.js';
import { writeScopedPolicies } from '../support/scoped-policies.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);
afterEach(() => localAws.current.setFaults({ rules: [] }));

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDSCOPE', AWS_SECRET_ACCESS_KEY: 'local' };
const PROD_ACCOUNTS = ['222222222222', '333333333333'];

/** Policies that flag every registry in their scope: by account tag, organizational unit and unit tag. */
async function scopedPolicies(): Promise<string> {
  return writeScopedPolicies(await temporaryDirectory('cli-scope-policies-'), {
    'tagged-prod': { accountTags: { environment: 'prod' } },
    'unit-prod': { organizationalUnits: ['ou-ex12-prod0001'] },
    'unit-tagged-dev': { organizationalUnitTags: { environment: 'dev' } },
  });
}

interface AuditJson {
  findings: { policyId: string; accountId: string }[];
  warnings: { accountId: string; errorName: string; message: string }[];
}

function accountsFlagged(report: AuditJson, policyId: string): string[] {
  return [...new Set(report.findings.filter((f) => f.policyId === policyId).map((f) => f.accountId))].sort();
}

async function audit(args: string[]): Promise<{ code: number | null; report: AuditJson; stderr: string }> {
  const result = await runCliAsync(
    ['audit', '--endpoint-url', localAws.current.url, '--regions', 'us-east-1', '--format', 'json', ...args],
    { env: CREDENTIALS },
  );
  return { code: result.code, report: JSON.parse(result.stdout || '{}') as AuditJson, stderr: result.stderr };
}

describe('account-tag and organizational-unit scopes', () => {
  it('apply to the tagged accounts with audit --org', async () => {
    const policies = await scopedPolicies();
    const { code, report, stderr } = await audit(['--org', '--policies', policies]);
    // 555555555555's role cannot be assumed: exit 3, every other target reported.
    expect(code, stderr).toBe(3);
    expect(accountsFlagged(report, 'tagged-prod')).toEqual(PROD_ACCOUNTS);
    expect(accountsFlagged(report, 'unit-prod')).toEqual(PROD_ACCOUNTS);
    expect(accountsFlagged(report, 'unit-tagged-dev')).toEqual(['444444444444']);
    expect(report.warnings.filter((w) => w.errorName === 'ScopeNotEvaluated')).toEqual([]);
  });

  it('apply to the tagged accounts with audit --accounts, which looks the accounts up in Organizations', async () => {
    const policies = await scopedPolicies();
    const { code, report, stderr } = await audit([
      '--accounts',
      '222222222222,444444444444',
      '--policies',
      policies,
    ]);
    expect(code, stderr).toBe(0);
    expect(accountsFlagged(report, 'tagged-prod')).toEqual(['222222222222']);
    expect(accountsFlagged(report, 'unit-prod')).toEqual(['222222222222']);
    expect(accountsFlagged(report, 'unit-tagged-dev')).toEqual(['444444444444']);
    expect(report.warnings).toEqual([]);
  });

  it('are a warning naming the policies, not a silent non-match, when Organizations refuses the lookup', async () => {
    const policies = await scopedPolicies();
    localAws.current.setFaults({ rules: [{ service: 'organizations', error: 'access-denied' }] });
    const { code, report, stderr } = await audit(['--accounts', '222222222222', '--policies', policies]);
    expect(code, stderr).toBe(0);
    expect(report.findings).toEqual([]);
    const scope = report.warnings.find((w) => w.errorName === 'ScopeNotEvaluated');
    expect(scope?.accountId).toBe('222222222222');
    expect(scope?.message).toContain('tagged-prod (account tags)');
    expect(scope?.message).toContain('unit-prod (organizational units)');
    expect(scope?.message).toContain('unit-tagged-dev (organizational unit tags)');
    expect(report.warnings.some((w) => w.errorName === 'AccessDeniedException')).toBe(true);
  });

  it('are carried by snapshots: audit --snapshot flags the same accounts as the live audit', async () => {
    const policies = await scopedPolicies();
    const directory = await temporaryDirectory('cli-scope-snapshot-');
    const file = join(directory, 'evidence.json');
    const snapshot = await runCliAsync(
      ['snapshot', '--endpoint-url', localAws.current.url, '--org', '--regions', 'us-east-1', '--out', file],
      { env: CREDENTIALS },
    );
    expect(snapshot.code, snapshot.stderr).toBe(3);
    const { report } = await audit(['--snapshot', file, '--policies', policies]);
    expect(accountsFlagged(report, 'tagged-prod')).toEqual(PROD_ACCOUNTS);
    expect(accountsFlagged(report, 'unit-prod')).toEqual(PROD_ACCOUNTS);
    expect(accountsFlagged(report, 'unit-tagged-dev')).toEqual(['444444444444']);
  });

  it('apply in run --accounts, and a refused lookup is a warning in the run output', async () => {
    const policies = await scopedPolicies();
    const store = await temporaryDirectory('cli-scope-store-');
    const run = (accounts: string) =>
      runCliAsync(
        [
          'run',
          '--endpoint-url',
          localAws.current.url,
          '--accounts',
          accounts,
          '--regions',
          'us-east-1',
          '--policies',
          policies,
          '--store',
          `file:${store}`,
          '--format',
          'json',
        ],
        { env: CREDENTIALS },
      );
    const first = await run('222222222222,444444444444');
    expect(first.code, first.stderr).toBe(0);
    const output = JSON.parse(first.stdout) as {
      targets: { accountId: string; findings: { policyId: string }[] }[];
      summary: { warnings: unknown[] };
    };
    const flagged = (policyId: string) =>
      output.targets.filter((t) => t.findings.some((f) => f.policyId === policyId)).map((t) => t.accountId);
    expect(flagged('tagged-prod')).toEqual(['222222222222']);
    expect(flagged('unit-tagged-dev')).toEqual(['444444444444']);
    expect(output.summary.warnings).toEqual([]);

    localAws.current.setFaults({ rules: [{ service: 'organizations', error: 'access-denied' }] });
    const refused = await run('222222222222');
    expect(refused.code, refused.stderr).toBe(0);
    const text = JSON.parse(refused.stdout) as {
      summary: { warnings: { errorName: string }[] };
      targets: { events: string[] }[];
    };
    expect(text.summary.warnings.map((w) => w.errorName)).toContain('ScopeNotEvaluated');
    // What could not be judged resolves nothing: the recorded findings stay open, no alert.
    expect(text.targets.flatMap((t) => t.events)).not.toContain('finding.resolved');
  });
});
