/**
 * The trend the HTML report draws: one point per recorded run, oldest first, read from the
 * run records' free-form counts (a run summary), tolerant of records older than a field.
 */
import { SEVERITIES, type Severity } from '../../types.js';

/** What a run record holds, as far as the trend reads it. */
export interface RecordedRun {
  runId: string;
  mode: string;
  startedAt: string;
  counts: unknown;
}

export interface RunTrendPoint {
  runId: string;
  trigger: string;
  startedAt: string;
  targetsScanned: number;
  targetsFailed: number;
  /** Findings on the targets the run scanned: what is open after it. */
  findings: number;
  bySeverity: Record<Severity, number>;
  drifted: number;
  /** null for a run recorded without coverage counts. */
  coverage: { repositories: number; coveredRepositories: number } | null;
}

/** The number at `path` in a run's free-form counts; null when it is not recorded there. */
export function numberAt(value: unknown, path: readonly string[]): number | null {
  let at = value;
  for (const key of path)
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

function pointOf(run: RecordedRun): RunTrendPoint {
  const count = (...path: string[]) => numberAt(run.counts, path) ?? 0;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, count('findings', s)])) as Record<
    Severity,
    number
  >;
  const repositories = numberAt(run.counts, ['coverage', 'repositories']);
  const covered = numberAt(run.counts, ['coverage', 'coveredRepositories']);
  return {
    runId: run.runId,
    trigger: run.mode,
    startedAt: run.startedAt,
    targetsScanned: count('targets', 'scanned'),
    targetsFailed: count('targets', 'failed'),
    findings: SEVERITIES.reduce((sum, s) => sum + bySeverity[s], 0),
    bySeverity,
    drifted: count('drift', 'drifted'),
    coverage:
      repositories !== null && covered !== null ? { repositories, coveredRepositories: covered } : null,
  };
}

/** Adds a scale-out worker's record to the others of its run (they share the run id). */
function merge(a: RunTrendPoint, b: RunTrendPoint): RunTrendPoint {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, a.bySeverity[s] + b.bySeverity[s]]),
  ) as Record<Severity, number>;
  return {
    runId: a.runId,
    trigger: a.trigger,
    startedAt: [a.startedAt, b.startedAt].sort()[0]!,
    targetsScanned: a.targetsScanned + b.targetsScanned,
    targetsFailed: a.targetsFailed + b.targetsFailed,
    findings: a.findings + b.findings,
    bySeverity,
    drifted: a.drifted + b.drifted,
    coverage:
      a.coverage && b.coverage
        ? {
            repositories: a.coverage.repositories + b.coverage.repositories,
            coveredRepositories: a.coverage.coveredRepositories + b.coverage.coveredRepositories,
          }
        : (a.coverage ?? b.coverage),
  };
}

/** One point per run (records sharing a run id are one run), oldest first. */
export function runTrend(runs: readonly RecordedRun[]): RunTrendPoint[] {
  const byRun = new Map<string, RunTrendPoint>();
  for (const run of runs) {
    const point = pointOf(run);
    const seen = byRun.get(run.runId);
    byRun.set(run.runId, seen ? merge(seen, point) : point);
  }
  return [...byRun.values()].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId),
  );
}

/** Covered repositories as a share of all, or null when unknown or there are none. */
export function coveredShare(
  coverage: { repositories: number; coveredRepositories: number } | null,
): number | null {
  return coverage && coverage.repositories > 0 ? coverage.coveredRepositories / coverage.repositories : null;
}
