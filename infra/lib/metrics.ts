/**
 * The detector's custom metrics (embedded metric format via Powertools). The alarms
 * here and the handlers must agree on these names; the environment sets the namespace
 * and service so that Powertools emits exactly this dimension.
 */
import type { RunMetric } from '../../functions/run/telemetry.js';

export const METRICS_NAMESPACE = 'EcrSignDrift';
export const SERVICE_NAME = 'ecr-sign-drift';
/** Powertools adds `service` as the default dimension. */
export const SERVICE_DIMENSION = { service: SERVICE_NAME } as const;

export const DetectorMetric = {
  targetsScanned: 'TargetsScanned',
  targetsFailed: 'TargetsFailed',
  targetsHeldTooLong: 'TargetsHeldTooLong',
  discoveryFailed: 'DiscoveryFailed',
  findingsCritical: 'FindingsCritical',
  findingsHigh: 'FindingsHigh',
  findingsOpened: 'FindingsOpened',
  findingsResolved: 'FindingsResolved',
  targetsDrifted: 'TargetsDrifted',
  remediationsApplied: 'RemediationsApplied',
  remediationsFailed: 'RemediationsFailed',
  runDurationMs: 'RunDurationMs',
} as const satisfies Record<string, RunMetric>;

/** Environment every handler gets besides the DetectorEnv variables. */
export const RUNTIME_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  NODE_OPTIONS: '--enable-source-maps',
} as const;
