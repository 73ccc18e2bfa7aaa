/**
 * The HTML report as a person sees it: opened from disk in headless Chromium, it shows its
 * sections, one heatmap cell per account and region and the trend, sorts its tables, prints
 * without the navigation, logs no error (a blocked script or style would), fetches nothing and
 * runs no script from the data. Screenshots land in test-output/html-report/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli, runCliAsync } from '../cli/run-cli.js';
import {
  HTML_REPORT_ACCOUNTS,
  HTML_REPORT_REGIONS,
  htmlReportSnapshot,
} from '../support/html-report-snapshot.js';
import { ensureChromium, launchChromium } from './chromium.js';

const OUTPUT = resolve('test-output/html-report');
const chromium = ensureChromium();
// Never silent: CI installs Chromium first (.ci/run), so there this fails rather than skips.
const unavailable = 'missing' in chromium ? chromium.missing : null;
if (unavailable && !process.env['CI']) {
  console.warn(`browser check of the HTML report NOT RUN: ${unavailable}; run .ci/setup-chromium as root`);
}

let browser: Awaited<ReturnType<typeof launchChromium>>;
let demoReport: string;
let hostileReport: string;
let state: string;

beforeAll(async () => {
  if (unavailable) throw new Error(`browser check of the HTML report: ${unavailable}`);
  assertCliBuilt();
  await mkdir(OUTPUT, { recursive: true });
  state = await mkdtemp(join(tmpdir(), 'html-browser-'));
  const demo = await runCliAsync(['demo'], { env: { XDG_STATE_HOME: state } });
  expect(demo.code, demo.stderr).toBe(0);
  demoReport = demo.stdout.match(/HTML report \(.*\): (\S+report\.html)/)![1]!;
  expect(demoReport).toBe(join(state, 'ecr-sign-drift', 'demo', 'report.html'));

  await writeFile(join(state, 'snapshot.json'), JSON.stringify(htmlReportSnapshot()));
  hostileReport = join(state, 'hostile.html');
  const audit = runCli(
    [
      'audit',
      '--snapshot',
      'snapshot.json',
      '--policies',
      resolve('policies'),
      '--format',
      'html',
      '--out',
      hostileReport,
    ],
    { cwd: state },
  );
  expect(audit.code, audit.stderr).toBe(3);
  browser = await launchChromium((chromium as { path: string }).path);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (state) await rm(state, { recursive: true, force: true });
});

/** Opens the file, recording every console error, page error and request that is not the file itself. */
async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== `file://${file}`) requests.push(request.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems, requests };
}

const sectionTitles = (page: Page) => page.locator('main h2').allTextContents();

describe.skipIf(unavailable !== null && !process.env['CI'])('the HTML report in headless Chromium', () => {
  it('shows the demo audit: its sections, a heatmap cell per account and region, the trend of its runs', async () => {
    const { page, problems, requests } = await open(demoReport);
    expect(await page.title()).toBe('ECR signing audit');
    expect(await page.locator('h1').textContent()).toBe('ECR signing audit');
    expect(await sectionTitles(page)).toEqual([
      'Coverage by account and region',
      'Findings by severity',
      'Findings by policy',
      expect.stringMatching(/^Findings \(\d+\)$/),
      expect.stringMatching(/^Drifted registries \(\d+\)$/),
      'Scan errors (2)',
      'Trend over the last runs',
    ]);
    const heatmap = page.locator('table.heatmap');
    const accounts = Number(await heatmap.getAttribute('data-accounts'));
    const regions = Number(await heatmap.getAttribute('data-regions'));
    expect([accounts, regions]).toEqual([5, 2]);
    await expect.poll(() => heatmap.locator('td.heat-cell').count()).toBe(accounts * regions);
    expect(await heatmap.locator('tbody tr:not(.heat-group)').count()).toBe(accounts);
    expect(await heatmap.locator('td.heat-cell').first().isVisible()).toBe(true);
    // The demo records seven runs (five scheduled, one real-time, one more scheduled); both trend lines span them.
    expect(await page.locator('#trend svg polyline').count()).toBe(2);
    expect(await page.locator('#trend svg circle').count()).toBe(14);
    expect(await page.locator('#runs tbody tr').count()).toBe(7);
    await page.screenshot({ path: join(OUTPUT, 'demo-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('sorts a table by the column clicked, and back', async () => {
    const { page, problems } = await open(demoReport);
    const policies = () => page.locator('#finding-list tbody tr td:nth-child(2)').allTextContents();
    const before = await policies();
    await page.locator('#finding-list thead th', { hasText: 'Policy' }).click();
    expect(await policies()).toEqual([...before].sort((a, b) => a.localeCompare(b)));
    await page.locator('#finding-list thead th', { hasText: 'Policy' }).click();
    expect(await policies()).toEqual([...before].sort((a, b) => b.localeCompare(a)));
    expect(
      await page.locator('#finding-list thead th', { hasText: 'Policy' }).getAttribute('aria-sort'),
    ).toBe('descending');
    expect(problems).toEqual([]);
  });

  it('prints without the navigation, every section on the page', async () => {
    const { page } = await open(demoReport);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav').isVisible()).toBe(false);
    expect(await page.locator('#trend').isVisible()).toBe(true);
    await page.pdf({ path: join(OUTPUT, 'demo-report.pdf'), format: 'A4', printBackground: true });
  });

  it('shows hostile names as text and runs no script from the data', async () => {
    const { page, problems, requests } = await open(hostileReport);
    expect(await page.evaluate(() => (globalThis as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.locator('#findings').textContent()).toContain(
      '<script>window.__injected = true</script>-prod',
    );
    expect(await page.locator('table.heatmap td.heat-cell').count()).toBe(
      HTML_REPORT_ACCOUNTS.length * HTML_REPORT_REGIONS.length,
    );
    expect(await page.locator('.heat-group th').allTextContents()).toEqual([
      'Root / Sandbox <i>',
      'Root / Workloads',
    ]);
    await page.screenshot({ path: join(OUTPUT, 'hostile-names-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });
});
