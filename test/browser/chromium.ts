/**
 * The headless Chromium the browser tests open pages in: Debian's `chromium` package, which
 * `.ci/setup-chromium` installs (CI runs it first; a test run as root runs it where Chromium is
 * missing). playwright-core drives it; it downloads no browser of its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const SETUP = resolve('.ci/setup-chromium');

/** The network is closed and nothing may phone home: no GPU, QUIC, sync, updates or first-run work (playwright adds --headless). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium's path, installing it with the project's setup script when it is missing; else why not. */
export function ensureChromium(): { path: string } | { missing: string } {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM };
  const setup = spawnSync('bash', [SETUP], { encoding: 'utf8', timeout: 600_000 });
  if (existsSync(CHROMIUM)) return { path: CHROMIUM };
  const why = (setup.stderr || setup.stdout || String(setup.error ?? '')).trim().split('\n').at(-1);
  return { missing: `${CHROMIUM} is missing and .ci/setup-chromium could not install it (${why})` };
}

/** A browser with a fresh profile, removed on close. */
export async function launchChromium(
  path: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: path,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
