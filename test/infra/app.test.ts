import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const loaded = vi.hoisted(() => ({ appEntry: false, appsConstructed: 0 }));

// Records whether anything pulls in the app entry, instead of running it.
vi.mock('../../infra/bin/app.js', () => {
  loaded.appEntry = true;
  return {};
});

// Counts App constructions: an App built on import would synthesize at process exit.
vi.mock('aws-cdk-lib', async (importOriginal) => {
  const original = await importOriginal<typeof import('aws-cdk-lib')>();
  class CountingApp extends original.App {
    constructor(...args: ConstructorParameters<typeof original.App>) {
      super(...args);
      loaded.appsConstructed++;
    }
  }
  return { ...original, App: CountingApp };
});

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the app entry the way `npm run synth` does, outside the CDK CLI. */
function runApp(args: string[]) {
  const { CDK_OUTDIR: _outdir, CDK_CONTEXT_JSON: _context, ...environment } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'infra/bin/app.ts', ...args], {
    cwd: repositoryRoot,
    env: environment,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('app entry', () => {
  it('is neither imported nor run, and builds no App, when the stack modules are imported', async () => {
    await import('../../infra/lib/detector-stack.js');
    await import('../../infra/lib/member-role-stack.js');
    await import('../../infra/lib/scale-out.js');
    await import('../../infra/lib/context.js');
    expect(loaded).toEqual({ appEntry: false, appsConstructed: 0 });
  });

  it('is detected by the checks above when it is imported', async () => {
    const { App } = await import('aws-cdk-lib');
    const appsBefore = loaded.appsConstructed;
    await import('../../infra/bin/app.js');
    new App();
    expect(loaded).toEqual({ appEntry: true, appsConstructed: appsBefore + 1 });
  });

  it('ends with one line naming the option when the context is unusable', () => {
    const result = runApp(['-c', 'accounts=111122223333', '-c', 'externalId=abc12']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "ecr-sign-drift infra: context 'regions' is required (expected comma-separated region names)",
    );
    expect(result.stdout).toBe('');
  });

  it('ends with one line when an argument is not context', () => {
    const result = runApp(['--regions', 'us-east-1']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "ecr-sign-drift infra: unexpected argument '--regions': pass context as -c key=value",
    );
  });
});
