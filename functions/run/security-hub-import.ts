/**
 * What a target's scan changes in Security Hub, from the same records the alerts come from:
 * findings first seen now, and open ones whose severity or wording changed, are imported
 * ACTIVE (workflow NEW); findings the scan no longer sees are imported ARCHIVED with
 * compliance PASSED. The import travels through the outbox like an alert, after the records.
 */
import type { AsffImporter, FindingExport, PolicyDescriptor } from '../core/report/index.js';
import { toAsffFinding } from '../core/report/index.js';
import type { Finding, TargetRef } from '../core/types.js';
import type { AlertInput, JsonValue, OpenFinding, TargetRecord } from '../records/drift-store.js';

/** The outbox payload of an import, told apart from an alert by its kind. */
export interface FindingImportPayload {
  kind: 'securityhub.findings';
  findings: Record<string, unknown>[];
}

export function isFindingImport(payload: unknown): payload is FindingImportPayload {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { kind?: unknown }).kind === 'securityhub.findings'
  );
}

/** Where findings go: the importing account (the detector's) and its region. */
export interface SecurityHubDestination {
  account: AsffImporter;
  policies: ReadonlyMap<string, PolicyDescriptor>;
}

function changed(previous: OpenFinding, current: Finding): boolean {
  return (
    previous.severity !== current.severity ||
    previous.message !== current.message ||
    previous.policyTitle !== current.policyTitle
  );
}

/**
 * The import one successful scan leads to, or null when Security Hub has nothing to learn.
 * `findings` is everything the scan says is open (unevaluated policies' included).
 */
export function findingImportOf(input: {
  runId: string;
  target: TargetRef;
  previous: TargetRecord | null;
  findings: readonly Finding[];
  now: Date;
  destination: SecurityHubDestination;
}): AlertInput | null {
  const { previous, destination } = input;
  const now = input.now.toISOString();
  const before = previous?.openFindings ?? new Map<string, OpenFinding>();
  const exports: FindingExport[] = [];
  const current = new Set<string>();
  for (const finding of input.findings) {
    current.add(finding.fingerprint);
    const was = before.get(finding.fingerprint);
    if (was && !changed(was, finding)) continue;
    exports.push({ finding, lifecycle: { state: 'open' }, firstSeen: was?.firstSeen ?? now, updatedAt: now });
  }
  for (const [fingerprint, was] of before) {
    if (current.has(fingerprint)) continue;
    exports.push({
      finding: was,
      lifecycle: { state: 'resolved' },
      firstSeen: was.firstSeen,
      updatedAt: now,
    });
  }
  if (exports.length === 0) return null;
  const payload: FindingImportPayload = {
    kind: 'securityhub.findings',
    findings: exports.map((e) =>
      toAsffFinding(e, { importer: destination.account, policies: destination.policies }),
    ),
  };
  return {
    id: `securityhub:${input.runId}:${input.target.accountId}/${input.target.region}`,
    payload: payload as unknown as JsonValue,
  };
}
