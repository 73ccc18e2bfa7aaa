/**
 * SARIF 2.1.0 output, for code-scanning dashboards. Each policy is a rule; each
 * finding a result located logically at account/region/repository (there is no
 * source file), with our fingerprint as a partial fingerprint so dashboards track
 * the same violation across runs.
 */
import type { PolicyMetadata, WaivedFinding, Waiver } from '../policy/index.js';
import type { Finding, Severity } from '../types.js';

/** What SARIF needs of a policy: the metadata every loaded policy has. */
export type PolicyDescriptor = Pick<PolicyMetadata, 'id' | 'title' | 'description' | 'severity'>;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads `security-severity` (0-10) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function toSarif(input: {
  policies: readonly PolicyDescriptor[];
  findings: Finding[];
  /** Reported as results with an external suppression (the waiver). */
  waived?: readonly WaivedFinding[];
  toolVersion: string;
}): object {
  const rules = [...input.policies].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIndex = new Map(rules.map((p, i) => [p.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ecr-sign-drift',
            version: input.toolVersion,
            rules: rules.map((p) => ({
              id: p.id,
              name: p.title,
              shortDescription: { text: p.title },
              fullDescription: { text: p.description ?? p.title },
              defaultConfiguration: { level: LEVEL[p.severity] },
              properties: {
                'security-severity': SECURITY_SEVERITY[p.severity],
                severity: p.severity,
                tags: ['security', 'ecr', 'signing'],
              },
            })),
          },
        },
        results: [
          ...input.findings.map((f) => ({ finding: f, waiver: null as Waiver | null })),
          ...(input.waived ?? []).map((w) => ({ finding: w.finding, waiver: w.waiver as Waiver | null })),
        ].map(({ finding: f, waiver }) => ({
          ruleId: f.policyId,
          ...(ruleIndex.has(f.policyId) ? { ruleIndex: ruleIndex.get(f.policyId) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              logicalLocations: [
                {
                  name: f.repositoryName ?? `${f.accountId}/${f.region}`,
                  fullyQualifiedName: [f.accountId, f.region, f.repositoryName].filter(Boolean).join('/'),
                  kind: f.repositoryName ? 'resource' : 'namespace',
                },
              ],
            },
          ],
          partialFingerprints: { 'ecrSignDrift/v1': f.fingerprint },
          properties: {
            accountId: f.accountId,
            region: f.region,
            severity: f.severity,
            factsPath: f.factsPath,
          },
          ...(waiver
            ? {
                suppressions: [
                  {
                    kind: 'external',
                    justification: waiver.reason,
                    properties: {
                      owner: waiver.owner,
                      expires: waiver.expires,
                      waiver: waiver.source,
                      ...(waiver.ticket ? { ticket: waiver.ticket } : {}),
                    },
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}
