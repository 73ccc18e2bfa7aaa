/**
 * How a commit turns a scan's findings into writes, shared by both stores so they open,
 * update and close findings alike. Only findings whose content changed are rewritten:
 * a target with 10,000 steady findings costs no writes per run.
 */
import type { Finding } from '../core/types.js';
import type { FindingChanges, OpenFinding, TargetState } from './drift-store.js';

/** An open finding as stored. lastSeen is not stored: it is the target's latest successful scan. */
export interface StoredFinding extends Finding {
  firstSeen: string;
  lastNotified: string | null;
}

export interface FindingWrites {
  /** New findings and findings whose content changed, to store. */
  put: StoredFinding[];
  changes: FindingChanges;
}

/** Compares a scan's findings with the stored open ones. */
export function planFindingChanges(
  stored: ReadonlyMap<string, StoredFinding>,
  current: readonly Finding[],
  nowIso: string,
): FindingWrites {
  const latest = new Map(current.map((finding) => [finding.fingerprint, pickFinding(finding)]));
  const put: StoredFinding[] = [];
  const opened: string[] = [];
  for (const [fingerprint, finding] of latest) {
    const previous = stored.get(fingerprint);
    if (!previous) {
      opened.push(fingerprint);
      put.push({ ...finding, firstSeen: nowIso, lastNotified: null });
    } else if (contentKey(previous) !== contentKey(finding)) {
      put.push({ ...finding, firstSeen: previous.firstSeen, lastNotified: previous.lastNotified });
    }
  }
  const closed = [...stored.keys()].filter((fingerprint) => !latest.has(fingerprint));
  return { put, changes: { opened, closed, open: latest.size } };
}

/** The stored findings among `fingerprints`, with lastNotified set to `nowIso`. */
export function markNotified(
  stored: ReadonlyMap<string, StoredFinding>,
  fingerprints: readonly string[],
  nowIso: string,
): StoredFinding[] {
  const notified = new Map<string, StoredFinding>();
  for (const fingerprint of fingerprints) {
    const finding = stored.get(fingerprint);
    if (finding) notified.set(fingerprint, { ...finding, lastNotified: nowIso });
  }
  return [...notified.values()];
}

export function toOpenFinding(finding: StoredFinding, state: TargetState): OpenFinding {
  const scannedAt = state.lastSuccessfulScanAt ?? finding.firstSeen;
  // An interrupted commit can store a finding before the state that saw it.
  return { ...finding, lastSeen: later(scannedAt, finding.firstSeen) };
}

/** The Finding members only: callers may pass richer objects, which must not leak into storage. */
function pickFinding(finding: Finding): Finding {
  return {
    policyId: finding.policyId,
    policyTitle: finding.policyTitle,
    severity: finding.severity,
    accountId: finding.accountId,
    region: finding.region,
    ...(finding.repositoryName === undefined ? {} : { repositoryName: finding.repositoryName }),
    ...(finding.ruleIndex === undefined ? {} : { ruleIndex: finding.ruleIndex }),
    ...(finding.signingProfileArn === undefined ? {} : { signingProfileArn: finding.signingProfileArn }),
    ...(finding.desiredSource === undefined ? {} : { desiredSource: finding.desiredSource }),
    message: finding.message,
    factsPath: finding.factsPath,
    fingerprint: finding.fingerprint,
  };
}

/** The later of two ISO-8601 UTC times (they compare as strings). */
function later(a: string, b: string): string {
  if (a > b) return a;
  return b;
}

function contentKey(finding: Finding): string {
  return JSON.stringify([
    finding.policyId,
    finding.policyTitle,
    finding.severity,
    finding.accountId,
    finding.region,
    finding.repositoryName ?? null,
    finding.ruleIndex ?? null,
    finding.signingProfileArn ?? null,
    finding.desiredSource ?? null,
    finding.message,
    finding.factsPath,
  ]);
}
