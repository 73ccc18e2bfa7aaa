/**
 * `matches-desired`: drift from the desired configuration as a finding, so it is
 * waivable, counted for exit codes and alerted through the finding lifecycle like a
 * policy violation. One finding per drifted registry; its fingerprint depends only on the
 * registry, so it stays open (and is reminded, not re-opened) while the drift changes shape.
 */
import { fingerprintOf, MATCHES_DESIRED_ID } from '../policy/index.js';
import type { Finding, Severity } from '../types.js';
import type { DriftReport } from './drift.js';

export { MATCHES_DESIRED_ID };
export const MATCHES_DESIRED_TITLE = 'Signing configuration matches the desired configuration';
/** The changes the message names before it only counts the rest. */
const CHANGES_NAMED = 3;

/** The finding for a drifted registry; null when it is in sync. */
export function matchesDesiredFinding(drift: DriftReport, severity: Severity): Finding | null {
  if (drift.status !== 'drifted') return null;
  const named = drift.changes.slice(0, CHANGES_NAMED).map((change) => change.message);
  const rest = drift.changes.length - named.length;
  const more = rest > 0 ? `; and ${rest} more ${rest === 1 ? 'change' : 'changes'}` : '';
  return {
    policyId: MATCHES_DESIRED_ID,
    policyTitle: MATCHES_DESIRED_TITLE,
    severity,
    accountId: drift.accountId,
    region: drift.region,
    message: `differs from the desired configuration (${drift.desiredSource}): ${named.join('; ')}${more}`,
    desiredSource: drift.desiredSource,
    factsPath: '/signingConfiguration',
    fingerprint: fingerprintOf(MATCHES_DESIRED_ID, drift.accountId, drift.region, []),
  };
}
