import { execFileSync } from 'node:child_process';
import { benchScan } from '../scan.js';
import type { BenchSection } from '../sections.js';

/** Set in the child process that runs the scan, so its memory is the scan's own. */
const IN_CHILD = 'ECR_SIGN_DRIFT_BENCH_SCAN_CHILD';

export const scanSection: BenchSection = {
  id: 'scan',
  title: 'Live scan: 1,000 accounts x 2 regions on the local endpoint, 50 ms per call, concurrency 32',
  async run() {
    if (process.env[IN_CHILD]) {
      const { lines } = await benchScan();
      return { measurements: [], notes: lines };
    }
    // Peak RSS is only the scan's in a fresh process: earlier sections leave their heap behind.
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, 'scan'], {
      env: { ...process.env, [IN_CHILD]: '1' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const notes = out
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .map((line) => line.slice(2));
    return { measurements: [], notes: ['run in a fresh Node process of its own', ...notes] };
  },
};
