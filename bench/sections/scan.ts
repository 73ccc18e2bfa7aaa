import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchScan, SCAN_BENCH_ROWS, writeScanBenchWorld } from '../scan.js';
import type { BenchSection } from '../sections.js';

/** Set in the child process that runs one row of the scan, naming the row, so its memory is the row's own. */
const IN_CHILD = 'ECR_SIGN_DRIFT_BENCH_SCAN_CHILD';
/** Set in the process that only writes a row's world file (to this path), so the world's heap is never the row's. */
const WRITE_WORLD = 'ECR_SIGN_DRIFT_BENCH_SCAN_WORLD';

export const scanSection: BenchSection = {
  id: 'scan',
  title:
    'Live scan on the local endpoint, 50 ms per call, concurrency 32: 1,000 accounts x 2 regions with tags in bulk ' +
    'and per repository, and 10 registries of 10,000 repositories',
  async run() {
    const row = process.env[IN_CHILD];
    const worldPath = process.env[WRITE_WORLD];
    if (row && worldPath) {
      writeScanBenchWorld(SCAN_BENCH_ROWS[row] ?? {}, worldPath);
      return { measurements: [], notes: [] };
    }
    if (row) {
      const directory = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-bench-scan-'));
      try {
        const path = join(directory, 'world.json');
        execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, 'scan'], {
          env: { ...process.env, [WRITE_WORLD]: path },
          stdio: 'ignore',
        });
        const { lines } = await benchScan(SCAN_BENCH_ROWS[row] ?? {}, path);
        return { measurements: [], notes: lines };
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }
    const notes = ['each row runs in a fresh Node process of its own'];
    for (const name of Object.keys(SCAN_BENCH_ROWS)) {
      // Peak RSS is only the row's in a fresh process: earlier sections and rows leave their heap behind.
      const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, 'scan'], {
        env: { ...process.env, [IN_CHILD]: name },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      });
      notes.push(
        ...out
          .split('\n')
          .filter((line) => line.startsWith('- '))
          .map((line) => `${name}: ${line.slice(2)}`),
      );
    }
    return { measurements: [], notes };
  },
};
