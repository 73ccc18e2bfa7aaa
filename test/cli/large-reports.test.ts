/**
 * Snapshots and reports larger than the memory the CLI is given: the snapshot is read one
 * registry at a time and json/sarif reports are written as a stream. The heap limit makes
 * holding the file or the report fail (the CLI before streaming aborted with a heap error
 * on these inputs), so these tests show the memory bound, not a speed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedSnapshot } from '../../bench/generated-snapshot.js';
import { readJsonObjectStream } from '../../functions/files/json-object-stream.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const HEAP_LIMIT = { NODE_OPTIONS: '--max-old-space-size=64' };
let directory: string;
let snapshot: string;

beforeAll(() => {
  assertCliBuilt();
  directory = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-large-'));
  snapshot = join(directory, 'snapshot.json');
  // 2 rules of 5 filters over 1,000 repositories a registry: most repositories are uncovered,
  // so the report is several times the snapshot.
  writeGeneratedSnapshot(snapshot, {
    targetBytes: 10 * 1024 * 1024,
    repositoriesPerRegistry: 1000,
    rules: 2,
    filtersPerRule: 5,
  });
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function countElements(path: string, arrays: string[]) {
  const counts: Record<string, number> = {};
  const members: Record<string, unknown> = {};
  for await (const event of readJsonObjectStream(path, {
    streamedArrays: arrays,
    notAnObject: () => new Error(`${path} is not a JSON object`),
  })) {
    if (event.kind === 'element') counts[event.key] = (counts[event.key] ?? 0) + 1;
    else members[event.key] = event.value;
  }
  return { counts, members };
}

describe('audit of a snapshot larger than the heap', () => {
  it('writes JSON and SARIF reports larger than the heap, every finding in each', async () => {
    const json = join(directory, 'report.json');
    const sarif = join(directory, 'report.sarif');
    const [jsonRun, sarifRun] = await Promise.all(
      [
        ['--format', 'json', '--out', json],
        ['--format', 'sarif', '--out', sarif],
      ].map((output) => runCliAsync(['audit', '--snapshot', snapshot, ...output], { env: HEAP_LIMIT })),
    );
    expect(jsonRun?.stderr).toBe('');
    expect(sarifRun?.stderr).toMatch(
      /^audit: warning: \d+ SARIF results; GitHub code scanning rejects an upload of more than 25000/,
    );
    expect(sarifRun?.stderr.trim().split('\n')).toHaveLength(1);
    for (const run of [jsonRun, sarifRun]) expect(run?.code).toBe(1);
    expect(statSync(json).size).toBeGreaterThan(statSync(snapshot).size * 4);
    expect(statSync(sarif).size).toBeGreaterThan(statSync(snapshot).size * 4);

    const { counts, members } = await countElements(json, ['findings', 'drift', 'remediation']);
    const summary = members['summary'] as { findings: number; registries: number };
    expect(summary.findings).toBeGreaterThan(100_000);
    expect(counts['findings']).toBe(summary.findings);
    expect(counts['drift']).toBe(summary.registries);

    const runs = (await countElements(sarif, [])).members['runs'] as Array<{ results: unknown[] }>;
    expect(runs[0]?.results).toHaveLength(summary.findings);
  }, 180_000);

  it('refuses a truncated snapshot in one line naming the file, exit 2, and writes no report', async () => {
    const { truncateSync, copyFileSync, existsSync } = await import('node:fs');
    const truncated = join(directory, 'truncated.json');
    copyFileSync(snapshot, truncated);
    truncateSync(truncated, Math.floor(statSync(snapshot).size / 10));
    const out = join(directory, 'never.json');
    const result = await runCliAsync(['audit', '--snapshot', truncated, '--format', 'json', '--out', out], {
      env: HEAP_LIMIT,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${truncated}: invalid JSON`);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
