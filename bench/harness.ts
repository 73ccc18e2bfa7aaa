/**
 * Times a function the same way for every section: warm-up runs first (so the JIT has
 * compiled the hot paths), then samples, each preceded by a full collection when
 * `node --expose-gc` provides one so a sample does not pay for its predecessor's garbage.
 */

export interface MeasureOptions {
  /** Untimed runs before the samples. */
  warmup?: number;
  /** Timed runs; the median of these is the figure reported. */
  samples?: number;
  /** How many operations one run performs, e.g. the number of names matched. */
  operationsPerRun?: number;
  /** What one operation is, for the throughput column, e.g. 'name'. */
  operation?: string;
}

export interface Measurement {
  label: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  /**
   * Median CPU time of the process per run (every thread, so parallel GC counts). Less
   * moved than wall time by other processes on a shared machine: when the two differ
   * widely, the machine was busy.
   */
  cpuMedianMs: number;
  operationsPerRun: number;
  /** Operations per second at the median. */
  opsPerSecond: number;
  operation: string;
}

/** Holds every run's result, so no engine can prove the work unused and skip it. */
// biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose (see above)
let sink: unknown;

export function measure(label: string, run: () => unknown, options: MeasureOptions = {}): Measurement {
  const { warmup = 3, samples = 15, operationsPerRun = 1, operation = 'run' } = options;
  for (let i = 0; i < warmup; i++) sink = run();
  const timesMs: number[] = [];
  const cpuTimesMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    globalThis.gc?.();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    sink = run();
    timesMs.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimesMs.push((cpu.user + cpu.system) / 1000);
  }
  timesMs.sort((a, b) => a - b);
  cpuTimesMs.sort((a, b) => a - b);
  const medianMs = median(timesMs);
  return {
    label,
    samples,
    medianMs,
    p95Ms: percentile(timesMs, 0.95),
    cpuMedianMs: median(cpuTimesMs),
    operationsPerRun,
    opsPerSecond: medianMs > 0 ? (operationsPerRun * 1000) / medianMs : Number.POSITIVE_INFINITY,
    operation,
  };
}

/**
 * How many times faster the candidate is than the baseline, at the median time per
 * operation (so a baseline timed on fewer operations still compares fairly).
 */
/** A measurement of runs timed elsewhere (asynchronous work, child processes): wall time only. */
export function fromTimes(label: string, times: readonly number[], operation = 'run'): Measurement {
  const sorted = [...times].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return {
    label,
    samples: times.length,
    medianMs: median,
    p95Ms: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!,
    cpuMedianMs: Number.NaN,
    operationsPerRun: 1,
    opsPerSecond: 1000 / median,
    operation,
  };
}

export function ratio(baseline: Measurement, candidate: Measurement): number {
  return baseline.medianMs / baseline.operationsPerRun / (candidate.medianMs / candidate.operationsPerRun);
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(1);
}

/** A plain-text table: label, median, p95, CPU median, throughput and sample count, columns aligned. */
export function formatTable(measurements: readonly Measurement[]): string {
  const rows = [
    ['', 'median', 'p95', 'cpu median', 'throughput', 'samples'],
    ...measurements.map((m) => [
      m.label,
      formatMs(m.medianMs),
      formatMs(m.p95Ms),
      formatMs(m.cpuMedianMs),
      `${formatRate(m.opsPerSecond)} ${plural(m.operation)}/s`,
      String(m.samples),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}
