/**
 * What a run reports about itself: log lines with structured fields and counters.
 * The Lambda backs it with Powertools (JSON logs, embedded metric format); the CLI
 * with nothing or stderr. Fields never carry credentials or whole payloads.
 */
export const RUN_METRICS = [
  'TargetsScanned',
  'TargetsFailed',
  'TargetsHeldByAnotherRun',
  'TargetsHeldTooLong',
  'DiscoveryFailed',
  'FindingsCritical',
  'FindingsHigh',
  'FindingsMedium',
  'FindingsLow',
  'FindingsInfo',
  'FindingsOpened',
  'FindingsResolved',
  'TargetsDrifted',
  'RemediationsApplied',
  'RemediationsFailed',
  'AlertsPublished',
  'AlertsFailed',
  'RunDurationMs',
] as const;
export type RunMetric = (typeof RUN_METRICS)[number];

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

export interface RunTelemetry {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  count(metric: RunMetric, value: number): void;
  /** Emits buffered metrics (end of a run or invocation). */
  flush(): void;
}

export const silentTelemetry: RunTelemetry = {
  info() {},
  warn() {},
  error() {},
  count() {},
  flush() {},
};
