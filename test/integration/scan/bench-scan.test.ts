import { describe, expect, it } from 'vitest';
import { benchScan } from '../../../bench/scan.js';

describe('the scan benchmark section', () => {
  it('reads every registry of its generated world and reports the calls, the ideal bound and peak RSS', async () => {
    const { figures, lines } = await benchScan({ accounts: 12, latencyMs: 5, concurrency: 4 });
    expect(figures).toMatchObject({ targets: 24, registriesRead: 24, errors: 0 });
    // Per registry: configuration, listing, tags in bulk; AssumeRole for 11 accounts; discovery and profiles.
    expect(figures.callsByOperation).toMatchObject({
      GetSigningConfiguration: 24,
      DescribeRepositories: 24,
      GetResources: 24,
      AssumeRole: 11,
    });
    expect(figures.callsByOperation).not.toHaveProperty('ListTagsForResource');
    expect(figures.idealMs).toBeCloseTo((figures.calls * 5) / 4);
    expect(figures.peakRssBytes).toBeGreaterThanOrEqual(figures.baselineRssBytes);
    expect(lines.join('\n')).toContain('runs in this same process');
  });
});
