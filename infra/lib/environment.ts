/**
 * The handlers' environment, built from the validated context and the stack's resources,
 * under the variable names the detector reads (DetectorEnv), so the two cannot drift.
 */
import { DetectorEnv } from '../../functions/config/detector-environment.js';
import type { DetectorContext } from './context.js';
import { RUNTIME_ENVIRONMENT } from './metrics.js';

export interface DetectorResources {
  topicArn: string;
  tableName: string;
  /** Scale-out only, for the function that fills the queue. */
  queueUrl?: string;
}

/** Every variable the mode needs; optional lists and ids appear only when set. */
export function detectorEnvironment(context: DetectorContext, resources: DetectorResources) {
  const environment: Record<string, string> = {
    ...RUNTIME_ENVIRONMENT,
    [DetectorEnv.organizationDiscovery]: String(context.orgDiscovery),
    [DetectorEnv.regions]: context.regions.join(','),
    [DetectorEnv.roleName]: context.memberRoleName,
    [DetectorEnv.externalId]: context.externalId,
    [DetectorEnv.topicArn]: resources.topicArn,
    [DetectorEnv.tableName]: resources.tableName,
    [DetectorEnv.remediation]: context.remediationMode,
    [DetectorEnv.maxRemediations]: String(context.maxRemediations),
    [DetectorEnv.reminderHours]: String(context.reminderHours),
    [DetectorEnv.concurrency]: String(context.concurrency),
    [DetectorEnv.runHistoryDays]: String(context.runHistoryDays),
    [DetectorEnv.imageSamples]: String(context.imageSamples),
    [DetectorEnv.imageMaxAgeDays]: String(context.imageMaxAgeDays),
    [DetectorEnv.imageStatusCallsPerTarget]: String(context.imageStatusCallsPerTarget),
    [DetectorEnv.imageStatusCallsPerRun]: String(context.imageStatusCallsPerRun),
  };
  const optional: [string, string | undefined][] = [
    [DetectorEnv.accounts, context.accounts.join(',')],
    [DetectorEnv.organizationalUnitId, context.organizationalUnitId],
    [DetectorEnv.excludeAccounts, context.excludeAccounts.join(',')],
    [DetectorEnv.remediationAccounts, context.remediationAccounts.join(',')],
    [DetectorEnv.queueUrl, resources.queueUrl],
    [DetectorEnv.securityHub, context.securityHub ? 'true' : undefined],
  ];
  for (const [name, value] of optional) {
    if (value) environment[name] = value;
  }
  return environment;
}
