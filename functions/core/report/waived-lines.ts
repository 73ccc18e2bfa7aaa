/** How a waived finding reads in the human-readable formats: the finding, then who accepted it until when. */
import type { TargetView } from './target-view.js';

export function waivedLines(target: TargetView): string[] {
  return target.waived.map(
    ({ finding, waiver }) =>
      `waived ${finding.policyId}: ${finding.message} (${waiver.reason}; owner ${waiver.owner}` +
      `${waiver.ticket ? `, ${waiver.ticket}` : ''}, until ${waiver.expires}, ${waiver.source})`,
  );
}
