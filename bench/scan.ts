/**
 * Scan benchmark: an organization of 1,000 accounts x 2 regions served by the local AWS
 * endpoint with 50 ms added to every call, scanned through ScanSession at concurrency 32.
 * Compares the wall time with the ideal bound (calls x latency / concurrency, or one
 * registry's chain of sequential calls when that is longer) and samples peak RSS. The
 * endpoint runs in this process, so its CPU and memory are in the figures.
 */
import { generatedWorld } from '../functions/local-aws/generated-world.js';
import { startLocalAws } from '../functions/local-aws/server.js';
import { SCAN_DEFAULTS, ScanSession } from '../functions/scan/scan-session.js';

export interface ScanBenchOptions {
  accounts: number;
  regions: string[];
  repositoriesPerRegistry: number;
  profilesPerRegion: number;
  latencyMs: number;
  concurrency: number;
  /**
   * `bulk`: tags through GetResources, 100 repositories a call. `per-repository`: GetResources
   * refused, so one ListTagsForResource per repository: the cost before bulk reads (plus one
   * refused call per registry), and what an account without tag:GetResources still pays.
   */
  tagReads: 'bulk' | 'per-repository';
}

export const SCAN_BENCH_DEFAULTS: ScanBenchOptions = {
  accounts: 1_000,
  regions: ['us-east-1', 'eu-west-1'],
  repositoriesPerRegistry: 3,
  profilesPerRegion: 4,
  latencyMs: 50,
  concurrency: 32,
  tagReads: 'bulk',
};

/** The rows the bench's scan section runs, each in a process of its own. */
export const SCAN_BENCH_ROWS: Readonly<Record<string, Partial<ScanBenchOptions>>> = {
  bulk: {},
  'per-repository': { tagReads: 'per-repository' },
  'large-registries': { accounts: 10, regions: ['us-east-1'], repositoriesPerRegistry: 10_000 },
};

/** Concurrent ListTagsForResource calls within one registry (the scanner's default). */
const TAG_CONCURRENCY = 8;
/** DescribeRepositories' and GetResources' largest pages. */
const LISTING_PAGE = 1000;
const TAGS_PAGE = 100;

/** The targets the figures are judged against. */
export const SCAN_BENCH_TARGETS = { maxRatio: 1.3, maxPeakRssBytes: 256 * 1024 * 1024 };

export interface ScanBenchFigures {
  targets: number;
  registriesRead: number;
  errors: number;
  calls: number;
  callsByOperation: Record<string, number>;
  wallMs: number;
  idealMs: number;
  ratio: number;
  /** Process CPU time (user + system) during the scan, endpoint included. */
  cpuMs: number;
  baselineRssBytes: number;
  peakRssBytes: number;
}

const RSS_SAMPLE_INTERVAL_MS = 5;
const MB = 1024 * 1024;

/** Samples the process's resident set size until stopped; returns the highest seen. */
function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

export async function benchScan(
  overrides: Partial<ScanBenchOptions> = {},
): Promise<{ lines: string[]; figures: ScanBenchFigures }> {
  const options = { ...SCAN_BENCH_DEFAULTS, ...overrides };
  const world = generatedWorld({
    accounts: options.accounts,
    regions: options.regions,
    repositoriesPerRegistry: options.repositoriesPerRegistry,
    profilesPerRegion: options.profilesPerRegion,
    teams: 10,
  });
  const refuseGetResources = {
    service: 'tagging' as const,
    operation: 'GetResources',
    error: 'access-denied' as const,
  };
  world.localAws = {
    ...world.localAws,
    faults: {
      rules: [
        { latencyMs: options.latencyMs },
        ...(options.tagReads === 'per-repository' ? [refuseGetResources] : []),
      ],
    },
  };
  const localAws = await startLocalAws({ world });
  const session = new ScanSession({
    organization: {},
    regions: options.regions,
    roleName: SCAN_DEFAULTS.roleName,
    sessionName: SCAN_DEFAULTS.sessionName,
    homeRegion: options.regions[0] ?? 'us-east-1',
    callerCredentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    endpoint: localAws.url,
    concurrency: options.concurrency,
    maxAttempts: SCAN_DEFAULTS.maxAttempts,
    assumeRoleRatePerSecond: SCAN_DEFAULTS.assumeRoleRatePerSecond,
    requestTimeoutMs: SCAN_DEFAULTS.requestTimeoutMs,
    readRepositoryTags: true,
  });
  const baselineRssBytes = process.memoryUsage.rss();
  const rss = sampleRss();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let result: Awaited<ReturnType<ScanSession['scan']>>;
  try {
    result = await session.scan();
  } finally {
    session.close();
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssBytes = rss.stop();
  const calls = localAws.calls();
  await localAws.close();

  const callsByOperation: Record<string, number> = {};
  for (const call of calls) callsByOperation[call.operation] = (callsByOperation[call.operation] ?? 0) + 1;
  const idealMs = Math.max(
    (calls.length * options.latencyMs) / options.concurrency,
    sequentialCalls(options) * options.latencyMs,
  );
  const figures: ScanBenchFigures = {
    targets: options.accounts * options.regions.length,
    registriesRead: result.registries.length,
    errors: result.errors.length,
    calls: calls.length,
    callsByOperation,
    wallMs,
    idealMs,
    ratio: wallMs / idealMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssBytes,
    peakRssBytes,
  };
  return { lines: describe(options, figures), figures };
}

/**
 * The longest chain of calls one registry must make one after another: AssumeRole, then the
 * longest of configuration then profile, the listing's pages (then, per repository, the
 * rounds of tag reads), and GetResources' pages.
 */
function sequentialCalls(options: ScanBenchOptions): number {
  const repositories = options.repositoriesPerRegistry;
  const listingPages = Math.max(1, Math.ceil(repositories / LISTING_PAGE));
  const tagChain =
    options.tagReads === 'bulk'
      ? Math.max(listingPages, Math.ceil(repositories / TAGS_PAGE))
      : listingPages + 1 + Math.ceil(repositories / TAG_CONCURRENCY);
  return 1 + Math.max(2, tagChain);
}

function describe(options: ScanBenchOptions, f: ScanBenchFigures): string[] {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  // The targets are the organization scan's (SCAN_BENCH_DEFAULTS' shape); other rows are reported, not judged.
  const judged =
    options.accounts === SCAN_BENCH_DEFAULTS.accounts &&
    options.repositoriesPerRegistry === SCAN_BENCH_DEFAULTS.repositoriesPerRegistry;
  const verdict = (target: string, ok: boolean) =>
    judged ? ` (target ${target}: ${ok ? 'ok' : 'MISSED'})` : '';
  const operations = Object.entries(f.callsByOperation)
    .sort(([, a], [, b]) => b - a)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
  return [
    `scan: ${options.accounts} accounts x ${options.regions.length} regions = ${f.targets} registries, ` +
      `${options.repositoriesPerRegistry} repositories each, tags read ${options.tagReads === 'bulk' ? 'in bulk (GetResources)' : 'per repository (GetResources refused)'}, ` +
      `${options.latencyMs} ms added to every call, concurrency ${options.concurrency}`,
    'scan: the local AWS endpoint runs in this same process; its CPU time and memory are part of the figures',
    `scan: ${f.registriesRead} registries read, ${f.errors} errors; ${f.calls} API calls (${operations})`,
    `scan: wall ${seconds(f.wallMs)}, ideal ${seconds(f.idealMs)} (calls x ${options.latencyMs} ms / ${options.concurrency}, ` +
      `or ${sequentialCalls(options)} sequential calls of one registry x ${options.latencyMs} ms if longer), ` +
      `ratio ${f.ratio.toFixed(2)}${verdict(`<= ${SCAN_BENCH_TARGETS.maxRatio}`, f.ratio <= SCAN_BENCH_TARGETS.maxRatio)}`,
    // Below 1 is possible: a registry's independent reads (configuration and listing, tags) overlap.
    `scan: ${((f.calls * options.latencyMs) / f.wallMs).toFixed(1)} calls in flight on average; ` +
      `CPU ${seconds(f.cpuMs)} (${((100 * f.cpuMs) / f.wallMs).toFixed(0)}% of the wall time, client and endpoint together)`,
    `scan: peak RSS ${(f.peakRssBytes / MB).toFixed(0)} MB, sampled every ${RSS_SAMPLE_INTERVAL_MS} ms ` +
      `${verdict(`< ${SCAN_BENCH_TARGETS.maxPeakRssBytes / MB} MB`, f.peakRssBytes < SCAN_BENCH_TARGETS.maxPeakRssBytes)}; ` +
      `${(f.baselineRssBytes / MB).toFixed(0)} MB before the scan, world and endpoint loaded`,
  ];
}
