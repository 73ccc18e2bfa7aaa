/**
 * The detector Lambda's bundle: its size, and the wall time of a fresh Node process that
 * imports it (cold-start work our code adds), against `node -e 0` started the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromTimes, type Measurement } from '../harness.js';
import type { BenchSection } from '../sections.js';

const BUNDLE = resolve('dist/lambda/detector/index.mjs');
const PROCESSES = 10;
const TARGET_KIB = 512;
const TARGET_IMPORT_MS = 80;

/** What the function needs to pass its cold-start configuration check. */
const ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  ECR_SIGN_DRIFT_ACCOUNTS: '111122223333',
  ECR_SIGN_DRIFT_REGIONS: 'us-east-1,eu-west-1',
  ECR_SIGN_DRIFT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
  ECR_SIGN_DRIFT_TABLE_NAME: 'records',
};

/**
 * Wall milliseconds of a fresh process that imports `module` and exits, timed from outside
 * (node's own start included); with `null`, `node -e 0`: the baseline every process pays.
 */
function processMs(module: string | null): number {
  const args = module
    ? ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(module).href)});`]
    : ['-e', '0'];
  const started = performance.now();
  execFileSync(process.execPath, args, { env: { ...process.env, ...ENVIRONMENT }, encoding: 'utf8' });
  return performance.now() - started;
}

function measurement(label: string, times: number[]): Measurement {
  return fromTimes(label, times, 'process');
}

export const lambdaBundleSection: BenchSection = {
  id: 'lambda',
  title: `Detector Lambda bundle: size and import time over ${PROCESSES} fresh processes`,
  run() {
    if (!existsSync(BUNDLE)) return { measurements: [], notes: [`${BUNDLE} is missing: run npm run build`] };
    const kib = statSync(BUNDLE).size / 1024;
    const meta = JSON.parse(readFileSync(resolve('dist/lambda/detector/meta.json'), 'utf8')) as {
      outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
    };
    const inputs = Object.values(meta.outputs).find((o) => o.entryPoint)?.inputs ?? {};
    const byPackage = new Map<string, number>();
    for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
      const pkg =
        /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
        (path.startsWith('functions/') ? 'our code' : path);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
    const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
    // Interleaved, so a busy moment of the machine costs both the same.
    const withBundle: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < PROCESSES; i++) {
      withBundle.push(processMs(BUNDLE));
      bare.push(processMs(null));
    }
    const bundle = measurement('node importing the bundle', withBundle);
    const empty = measurement('node -e 0 (baseline)', bare);
    const added = bundle.medianMs - empty.medianMs;
    return {
      measurements: [bundle, empty],
      notes: [
        `bundle: ${kib.toFixed(1)} KiB minified, AWS SDK included — target ${TARGET_KIB} KiB: ${kib <= TARGET_KIB ? 'met' : 'NOT met'}`,
        `largest parts: ${top.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(', ')}`,
        `the bundle adds ${added.toFixed(1)} ms to a process start (${bundle.medianMs.toFixed(1)} ms against node -e 0 at ${empty.medianMs.toFixed(1)} ms, ${(bundle.medianMs / empty.medianMs).toFixed(2)}x) — target ${TARGET_IMPORT_MS} ms added: ${added <= TARGET_IMPORT_MS ? 'met' : 'NOT met'}`,
      ],
    };
  },
};
