import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRegistries } from '../../functions/core/audit.js';
import type { Snapshot } from '../../functions/core/types.js';
import { loadDesiredDirectory } from '../../functions/files/load-desired-directory.js';
import { loadPolicySet } from '../../functions/files/load-policy-directory.js';
import { FileDriftStore } from '../../functions/records/file-drift-store.js';
import { assertCliBuilt, runCli } from './run-cli.js';

const WORLD = 'functions/local-aws/example-world.json';
let scratch: string;

beforeAll(() => {
  assertCliBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-finding-formats-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Json = Record<string, unknown>;

describe('ecr-sign-drift audit --format asff / ocsf', () => {
  it('writes a JSON array of ASFF findings, one per finding, and keeps the exit code of the findings', () => {
    const json = runCli(['audit', '--snapshot', WORLD, '--format', 'json']);
    const { code, stdout, stderr } = runCli(['audit', '--snapshot', WORLD, '--format', 'asff']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(json.stdout) as { summary: { findings: number; waived: number } };
    const findings = JSON.parse(stdout) as Json[];
    expect(findings).toHaveLength(report.summary.findings + report.summary.waived);
    expect(findings.every((f) => f['SchemaVersion'] === '2018-10-08')).toBe(true);
  });

  it('writes OCSF Compliance Finding events to --out', () => {
    const out = join(scratch, 'events.ocsf.json');
    const { code, stderr } = runCli(['audit', '--snapshot', WORLD, '--format', 'ocsf', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const events = JSON.parse(readFileSync(out, 'utf8')) as Json[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e['class_uid'] === 2003 && e['type_uid'] === 200301)).toBe(true);
  });

  it('takes a recorded finding first-seen time from --store', async () => {
    const world = JSON.parse(readFileSync(resolve(WORLD), 'utf8')) as Snapshot;
    const registry = world.registries.find((r) => r.accountId === '444444444444')!;
    const { policySet } = await loadPolicySet(resolve('policies'));
    const report = auditRegistries({
      registries: [registry],
      policySet,
      desired: await loadDesiredDirectory(resolve('policies', 'desired')),
      strategy: 'merge',
      generatedAt: new Date().toISOString(),
    });
    const recorded = report.findings[0]!;
    const directory = join(scratch, 'records');
    const store = new FileDriftStore({ directory });
    await store.saveTargetObservation(
      registry,
      { status: 'ok', configuration: { canonicalJson: 'null', hash: 'h' }, findings: [recorded] },
      Date.parse('2026-01-05T08:00:00.000Z'),
    );

    const asff = runCli(['audit', '--snapshot', WORLD, '--format', 'asff', '--store', `file:${directory}`]);
    const findings = JSON.parse(asff.stdout) as Json[];
    const same = findings.find((f) => f['Id'] === `ecr-sign-drift/v1/${recorded.fingerprint}`)!;
    expect(same).toMatchObject({
      CreatedAt: '2026-01-05T08:00:00.000Z',
      FirstObservedAt: '2026-01-05T08:00:00.000Z',
    });
    expect(same['UpdatedAt']).not.toBe('2026-01-05T08:00:00.000Z');
    const other = findings.find((f) => f['Id'] !== same['Id'])!;
    expect(other['CreatedAt']).toBe(other['UpdatedAt']);

    const ocsf = runCli(['audit', '--snapshot', WORLD, '--format', 'ocsf', '--store', `file:${directory}`]);
    const event = (JSON.parse(ocsf.stdout) as Json[]).find(
      (e) => (e['finding_info'] as Json)['uid'] === recorded.fingerprint,
    )!;
    expect(event).toMatchObject({
      activity_id: 2,
      type_uid: 200302,
      finding_info: { first_seen_time: Date.parse('2026-01-05T08:00:00.000Z') },
    });
  });

  it('refuses --store with a format that has no first-seen times, in one line, exit 2', () => {
    const { code, stdout, stderr } = runCli(['audit', '--snapshot', WORLD, '--store', `file:${scratch}`]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--store applies to --format asff or ocsf'),
    ]);
  });
});
