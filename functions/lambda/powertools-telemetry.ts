/** RunTelemetry on Powertools: structured JSON logs and CloudWatch embedded-metric-format metrics. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunMetric, RunTelemetry } from '../run/telemetry.js';

export function powertoolsTelemetry(logger: Logger, metrics: Metrics): RunTelemetry {
  return {
    info: (message, fields) => logger.info(message, { ...fields }),
    warn: (message, fields) => logger.warn(message, { ...fields }),
    error: (message, fields) => logger.error(message, { ...fields }),
    count: (metric: RunMetric, value: number) =>
      metrics.addMetric(
        metric,
        metric === 'RunDurationMs' ? MetricUnit.Milliseconds : MetricUnit.Count,
        value,
      ),
    flush: () => metrics.publishStoredMetrics(),
  };
}
