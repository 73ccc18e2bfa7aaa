/**
 * Memory of the offline audit on a snapshot larger than memory should need: a generated
 * file (BENCH_SNAPSHOT_MIB, default 1024 MiB; written to the temporary directory, removed
 * after) audited by the built CLI into a streamed JSON report, with the child's peak RSS.
 * The baseline, in the same section, is the whole-document way (read, parse, stringify)
 * on a tenth of the size: at full size it cannot run at all (V8's longest string).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeGeneratedSnapshot } from '../generated-snapshot.js';
import type { Measurement } from '../harness.js';
import type { BenchSection } from '../sections.js';

const PEAK_RSS_REPORTER =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("peak-rss-kib "+process.resourceUsage().maxRSS+"\\n"))';
const MIB = 1024 * 1024;

interface ChildRun {
  ms: number;
  peakMiB: number;
  code: number | null;
}

function runChild(args: string[]): ChildRun {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', PEAK_RSS_REPORTER, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * MIB,
  });
  const ms = performance.now() - started;
  const peak = /peak-rss-kib (\d+)/.exec(child.stderr);
  if (!peak) throw new Error(`no peak RSS from the child: ${child.stderr.slice(0, 500)}`);
  return { ms, peakMiB: Number(peak[1]) / 1024, code: child.status };
}

const once = (label: string, run: ChildRun, operation: string, operations: number): Measurement => ({
  label,
  samples: 1,
  medianMs: run.ms,
  p95Ms: run.ms,
  cpuMedianMs: Number.NaN,
  operationsPerRun: operations,
  opsPerSecond: (operations / run.ms) * 1000,
  operation,
});

export const largeSnapshotSection: BenchSection = {
  id: 'large-snapshot',
  title: 'Offline audit of a snapshot larger than memory should need (streamed JSON report)',
  run() {
    const mib = Number(process.env['BENCH_SNAPSHOT_MIB'] ?? 1024);
    const directory = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-bench-'));
    try {
      const options = { repositoriesPerRegistry: 10_000, coverAll: true, extraTags: 4 };
      const big = join(directory, 'big.json');
      const generated = writeGeneratedSnapshot(big, { ...options, targetBytes: mib * MIB });
      const small = join(directory, 'small.json');
      const smallGenerated = writeGeneratedSnapshot(small, { ...options, targetBytes: (mib / 10) * MIB });
      const cli = resolve('dist/cli.mjs');
      const out = join(directory, 'report.json');
      const streamed = runChild([cli, 'audit', '--snapshot', big, '--format', 'json', '--out', out]);
      const reportMiB = statSync(out).size / MIB;
      const streamedSmall = runChild([cli, 'audit', '--snapshot', small, '--format', 'json', '--out', out]);
      const whole = runChild([
        '-e',
        `const t=require("fs").readFileSync(${JSON.stringify(small)},"utf8");require("fs").writeFileSync(${JSON.stringify(out)},JSON.stringify(JSON.parse(t),null,2))`,
      ]);
      const sizeMiB = (bytes: number) => (bytes / MIB).toFixed(0);
      return {
        measurements: [
          once(
            `audit --format json, ${sizeMiB(generated.bytes)} MiB snapshot`,
            streamed,
            'registry',
            generated.registries,
          ),
          once(
            `audit --format json, ${sizeMiB(smallGenerated.bytes)} MiB snapshot`,
            streamedSmall,
            'registry',
            smallGenerated.registries,
          ),
          once(
            `baseline: read + parse + stringify whole, ${sizeMiB(smallGenerated.bytes)} MiB`,
            whole,
            'registry',
            smallGenerated.registries,
          ),
        ],
        notes: [
          `peak RSS: ${streamed.peakMiB.toFixed(0)} MiB for the ${sizeMiB(generated.bytes)} MiB snapshot (target < 512 MiB; exit ${streamed.code}, ${reportMiB.toFixed(0)} MiB report), ${streamedSmall.peakMiB.toFixed(0)} MiB for ${sizeMiB(smallGenerated.bytes)} MiB`,
          `baseline peak RSS: ${whole.peakMiB.toFixed(0)} MiB for ${sizeMiB(smallGenerated.bytes)} MiB read whole (${(whole.peakMiB / streamedSmall.peakMiB).toFixed(1)}x the streamed audit of the same file, without auditing anything)`,
          `${generated.registries} registries of ${options.repositoriesPerRegistry} repositories (one rule covering all, ${options.extraTags} extra tags each); one run each (single samples: minutes of work), CPU not measured for children`,
        ],
      };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
