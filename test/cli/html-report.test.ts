/** The HTML report through the built CLI: audit --format html, report over recorded runs (file and DynamoDB). */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftStore } from '../../functions/records/drift-store.js';
import { DynamoDbDriftStore } from '../../functions/records/dynamodb-drift-store.js';
import { FileDriftStore } from '../../functions/records/file-drift-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../integration/records/dynalite-server.js';
import { temporaryDirectory } from '../integration/run/helpers.js';
import {
  HTML_REPORT_ACCOUNTS,
  HTML_REPORT_REGIONS,
  htmlReportSnapshot,
} from '../support/html-report-snapshot.js';
import { assertCliBuilt, runCli, runCliAsync } from './run-cli.js';

beforeAll(assertCliBuilt);
let dynamoDb: LocalDynamoDb;
beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
});
afterAll(() => dynamoDb.close());

const POLICIES = ['--policies', resolve('policies')];
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** Three runs an hour apart, the last one now: findings 4, 3, 1; coverage 50%, 60%, 90%. */
async function recordRuns(store: DriftStore): Promise<void> {
  const now = Date.now();
  for (const [i, findings, covered] of [
    [0, 4, 5],
    [1, 3, 6],
    [2, 1, 9],
  ] as const) {
    const startedAt = now - (2 - i) * 3_600_000;
    await store.recordRun({
      runId: `run-${i + 1}`,
      mode: 'schedule',
      startedAt,
      finishedAt: startedAt + 1000,
      counts: {
        targets: { scanned: 6, failed: 0 },
        findings: { critical: 0, high: findings, medium: 0, low: 0, info: 0 },
        drift: { drifted: 1 },
        coverage: { repositories: 10, coveredRepositories: covered },
      },
    });
  }
}

describe('audit --format html', () => {
  it('writes one page with a heatmap cell per account and region; a failed target still exits 3', async () => {
    const directory = await temporaryDirectory('html-');
    await writeFile(join(directory, 'snapshot.json'), JSON.stringify(htmlReportSnapshot()));
    const result = runCli(
      ['audit', '--snapshot', 'snapshot.json', ...POLICIES, '--format', 'html', '--out', 'report.html'],
      { cwd: directory },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toBe('');
    const html = await readFile(join(directory, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(count(html, /<td class="heat-cell/g)).toBe(
      HTML_REPORT_ACCOUNTS.length * HTML_REPORT_REGIONS.length,
    );
    expect(html).toContain('No run records were read: give --store');
  });

  it('adds the trend of the runs recorded in --store', async () => {
    const directory = await temporaryDirectory('html-');
    await writeFile(join(directory, 'snapshot.json'), JSON.stringify(htmlReportSnapshot()));
    await recordRuns(new FileDriftStore({ directory: join(directory, 'records') }));
    const result = runCli(
      [
        'audit',
        '--snapshot',
        'snapshot.json',
        ...POLICIES,
        '--format',
        'html',
        '--store',
        'file:records',
        '--runs',
        '2',
      ],
      { cwd: directory },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain('2 recorded runs, oldest on the left.');
    expect(result.stdout).toContain('<span class="mono nowrap">run-3</span>');
    expect(result.stdout).not.toContain('<span class="mono nowrap">run-1</span>');
  });

  it('refuses --store with a format that reads no records, and --runs without html, in one line, exit 2', () => {
    const result = runCli(['audit', '--snapshot', 'x.json', '--format', 'json', '--store', 'file:records']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--store applies to --format asff, ocsf or html, not json'),
    ]);
    const runs = runCli(['audit', '--snapshot', 'x.json', '--format', 'asff', '--runs', '5']);
    expect(runs.code).toBe(2);
    expect(runs.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--runs goes with --format html'),
    ]);
  });
});

describe('report', () => {
  it('writes the page of the runs recorded in a file store', async () => {
    const directory = await temporaryDirectory('html-');
    await recordRuns(new FileDriftStore({ directory: join(directory, 'records') }));
    const result = runCli(['report', '--store', 'file:records', '--out', 'runs.html'], { cwd: directory });
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(join(directory, 'runs.html'), 'utf8');
    expect(html).toContain('<title>ECR signing: recorded runs</title>');
    expect(html).toContain('3 recorded runs, oldest on the left.');
    expect(html).toContain('<span class="value">90.0%</span><span class="label">Repositories covered</span>');
    expect(count(html, /<polyline /g)).toBe(2);
  });

  it('writes the page of the runs recorded in a DynamoDB table', async () => {
    const tableName = await dynamoDb.createTable();
    await recordRuns(new DynamoDbDriftStore({ tableName, client: dynamoDb.client }));
    const result = await runCliAsync(
      ['report', '--store', `dynamodb:${tableName}`, '--region', 'eu-west-1'],
      {
        env: {
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Read from <code>dynamodb:${tableName}</code>`);
    expect(result.stdout).toContain('3 recorded runs, oldest on the left.');
  });

  it('says so when no run is recorded', async () => {
    const directory = await temporaryDirectory('html-');
    const result = runCli(['report', '--store', `file:${directory}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`No runs recorded in file:${directory}.`);
  });
});
