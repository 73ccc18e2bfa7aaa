/**
 * A run that evaluates only some policies (a manual invocation with `policies`) knows
 * nothing new about the others: their open findings are carried over as they were
 * recorded, so they are neither resolved nor opened again by the next full run.
 */
import type { Finding } from '../core/types.js';
import type { TargetRecord } from '../records/drift-store.js';

/** The recorded open findings of policies outside `evaluatedPolicyIds`; none when every policy was evaluated. */
export function unevaluatedFindings(
  previous: TargetRecord | null,
  evaluatedPolicyIds: readonly string[] | undefined,
): Finding[] {
  if (!previous || !evaluatedPolicyIds) return [];
  const evaluated = new Set(evaluatedPolicyIds);
  return [...previous.openFindings.values()]
    .filter((finding) => !evaluated.has(finding.policyId))
    .map(({ firstSeen: _first, lastSeen: _last, lastNotified: _notified, ...finding }) => finding);
}
