/**
 * Who made a configuration change a scan found: the newest successful signing write that
 * CloudTrail recorded in the target's account and region since the previous read. None
 * found is said as such, with the reason; a lookup failure never fails the target.
 */
import { summarizeAwsError } from '../aws/aws-error.js';
import type { SigningChangeHistory, SigningConfigurationEvent } from '../aws/signing-change-history.js';
import type { ChangeAttribution, ChangedBy } from '../core/alerts/index.js';
import { configurationHash } from '../core/drift/index.js';
import type { SigningConfiguration } from '../core/types.js';

export interface AttributionWindow {
  /** The previous read of the target: the change happened after it. */
  since: Date;
  /** This read. */
  until: Date;
  /** What this read found: a write of exactly that is preferred over a later one of something else. */
  observed: SigningConfiguration | null;
  /** The principal ARN of this tool's own writes in the target. */
  ownPrincipal: string;
}

function toChangedBy(write: SigningConfigurationEvent, ownPrincipal: string): ChangedBy {
  return {
    principalArn: write.principal,
    principalType: write.principalType,
    ...(write.roleArn ? { roleArn: write.roleArn } : {}),
    ...(write.sessionName ? { sessionName: write.sessionName } : {}),
    eventName: write.eventName,
    eventTime: write.eventTime.toISOString(),
    eventId: write.eventId,
    ...(write.sourceIPAddress ? { sourceIPAddress: write.sourceIPAddress } : {}),
    ...(write.userAgent ? { userAgent: write.userAgent } : {}),
    byThisTool: write.principal === ownPrincipal,
  };
}

export async function attributeChange(
  history: Pick<SigningChangeHistory, 'writesBetween'>,
  window: AttributionWindow,
): Promise<ChangeAttribution> {
  // CloudTrail event times have whole seconds.
  const from = new Date(Math.floor(window.since.getTime() / 1000) * 1000);
  const to = new Date(Math.ceil(window.until.getTime() / 1000) * 1000);
  let writes: SigningConfigurationEvent[];
  try {
    writes = (await history.writesBetween(from, to)).filter((write) => write.errorCode === null);
  } catch (error) {
    const { errorName, message } = summarizeAwsError(error);
    return { changedBy: null, reason: `CloudTrail LookupEvents failed: ${errorName}: ${message}` };
  }
  if (writes.length === 0) {
    return {
      changedBy: null,
      reason: `no CloudTrail event in window (${from.toISOString()} to ${to.toISOString()})`,
    };
  }
  const observedHash = configurationHash(window.observed);
  const newestFirst = [...writes].reverse();
  const matching = newestFirst.find(
    (write) =>
      write.signingConfiguration !== undefined &&
      configurationHash(write.signingConfiguration) === observedHash,
  );
  return { changedBy: toChangedBy(matching ?? newestFirst[0]!, window.ownPrincipal) };
}
