import { execFileSync } from 'node:child_process';
import { benchScan, SCAN_BENCH_ROWS } from '../scan.js';
import type { BenchSection } from '../sections.js';

/** Set in the child process that runs one row of the scan, naming the row, so its memory is the row's own. */
const IN_CHILD = 'ECR_SIGN_DRIFT_BENCH_SCAN_CHILD';

export const scanSection: BenchSection = {
  id: 'scan',
  title:
    'Live scan on the local endpoint, 50 ms per call, concurrency 32: 1,000 accounts x 2 regions with tags in bulk ' +
    'and per repository, and 10 registries of 10,000 repositories',
  async run() {
    const row = process.env[IN_CHILD];
    if (row) {
      const { lines } = await benchScan(SCAN_BENCH_ROWS[row] ?? {});
      return { measurements: [], notes: lines };
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
