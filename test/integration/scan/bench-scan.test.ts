import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchScan, writeScanBenchWorld } from '../../../bench/scan.js';

describe('the scan benchmark section', () => {
  it('reads every registry of its generated world from an endpoint process and reports the calls, the lower bound and peak RSS', async () => {
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
    // 24 registries x 3 dependent calls x 5 ms / 4 at once; one chain 15 ms; 12 AssumeRoles at 100/s.
    expect(figures.lowerBounds).toEqual({ chains: 90, oneRegistry: 15, assumeRolePacing: 120 });
    expect(figures.boundMs).toBe(120);
    expect(figures.ratio).toBeCloseTo(figures.wallMs / 120);
    expect(figures.endpointCpuMs).toBeGreaterThan(0);
    expect(figures.peakRssBytes).toBeGreaterThanOrEqual(figures.baselineRssBytes);
    expect(lines.join('\n')).toContain('runs in a process of its own');
  });

  it('reads tags per repository in its per-repository row, after one refused GetResources per registry', async () => {
    const { figures } = await benchScan({
      accounts: 3,
      latencyMs: 1,
      concurrency: 4,
      tagReads: 'per-repository',
    });
    expect(figures).toMatchObject({ targets: 6, registriesRead: 6, errors: 0 });
    expect(figures.callsByOperation).toMatchObject({ GetResources: 6, ListTagsForResource: 18 });
  });

  it('bounds the time by the sequential pages of one registry when they take longer than the chains spread out', async () => {
    const { figures } = await benchScan({
      accounts: 1,
      regions: ['us-east-1'],
      repositoriesPerRegistry: 450,
      latencyMs: 5,
      concurrency: 32,
    });
    expect(figures.callsByOperation).toMatchObject({ GetResources: 5, DescribeRepositories: 1 });
    // AssumeRole is not needed in the caller's own account, so the chain is an upper bound: 1 + 5 pages.
    expect(figures.boundMs).toBe(6 * 5);
  });

  it('bounds an image-sampling registry by its paced image calls, the last of which still takes one latency', async () => {
    const row = {
      accounts: 1,
      regions: ['us-east-1'],
      repositoriesPerRegistry: 10,
      imagesPerRepository: 3,
      latencyMs: 5,
    };
    // The world comes from a file written beforehand, as a row's process of its own writes it.
    const directory = mkdtempSync(join(tmpdir(), 'bench-scan-test-'));
    try {
      const worldPath = join(directory, 'world.json');
      writeScanBenchWorld(row, worldPath);
      const { figures } = await benchScan(row, worldPath);
      expect(figures.callsByOperation).toMatchObject({ DescribeImages: 10, DescribeImageSigningStatus: 30 });
      // 40 image calls at 100 a second: the last starts 390 ms after the first and ends 5 ms later;
      // before them AssumeRole (an upper bound here) and the listing: 5 + 5 + 395 ms.
      expect(figures.lowerBounds.oneRegistry).toBeCloseTo(405);
      expect(figures.wallMs).toBeGreaterThanOrEqual(figures.lowerBounds.oneRegistry - 10);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
