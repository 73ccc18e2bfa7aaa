import { benchScan } from '../scan.js';
import type { BenchSection } from '../sections.js';

export const scanSection: BenchSection = {
  id: 'scan',
  title: 'Live scan: 1,000 accounts x 2 regions on the local endpoint, 50 ms per call, concurrency 32',
  async run() {
    const { lines } = await benchScan();
    return { measurements: [], notes: lines };
  },
};
