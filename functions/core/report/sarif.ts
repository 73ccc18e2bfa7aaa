/**
 * SARIF 2.1.0 output, for code-scanning dashboards. Each policy is a rule; each finding a
 * result located physically at the policy file that found it (GitHub code scanning needs
 * a file in the repository) and logically at account/region/repository, with our
 * fingerprint as a partial fingerprint so dashboards track the same violation across runs.
 * Targets that could not be scanned are tool execution notifications.
 */
import type { RegistryReportParts } from '../audit.js';
import type { PolicyMetadata, WaivedFinding, Waiver } from '../policy/index.js';
import type { Finding, ScanError, Severity } from '../types.js';
import { layoutParts, type StreamedReportFormat } from './streamed-report.js';

/** Where a policy is written: a repository-relative path (forward slashes) and its line. */
export interface PolicyLocation {
  uri: string;
  startLine: number;
}

/** What SARIF needs of a policy: the metadata every loaded policy has, and its file. */
export type PolicyDescriptor = Pick<PolicyMetadata, 'id' | 'title' | 'description' | 'severity'> & {
  location?: PolicyLocation;
  /** `matches-desired`: each desired-configuration file's location, by file name. */
  desiredLocations?: Readonly<Record<string, PolicyLocation>>;
};

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

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The rules (sorted by id) and how results refer to them. */
class SarifRules {
  readonly rules: PolicyDescriptor[];
  readonly #index: Map<string, number>;

  constructor(policies: readonly PolicyDescriptor[]) {
    this.rules = [...policies].sort((a, b) => a.id.localeCompare(b.id));
    this.#index = new Map(this.rules.map((p, i) => [p.id, i]));
  }

  driver(toolVersion: string): object {
    return {
      driver: {
        name: 'ecr-sign-drift',
        version: toolVersion,
        rules: this.rules.map((p) => ({
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
    };
  }

  result(f: Finding, waiver: Waiver | null): object {
    const index = this.#index.get(f.policyId);
    const rule = index === undefined ? undefined : this.rules[index];
    const location = (f.desiredSource && rule?.desiredLocations?.[f.desiredSource]) || rule?.location;
    return {
      ruleId: f.policyId,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          ...(location
            ? {
                physicalLocation: {
                  artifactLocation: { uri: location.uri },
                  region: { startLine: location.startLine },
                },
              }
            : {}),
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
      ...(waiver ? { suppressions: [suppressionOf(waiver)] } : {}),
    };
  }
}

function suppressionOf(waiver: Waiver): object {
  return {
    kind: 'external',
    justification: waiver.reason,
    properties: {
      owner: waiver.owner,
      expires: waiver.expires,
      waiver: waiver.source,
      ...(waiver.ticket ? { ticket: waiver.ticket } : {}),
    },
  };
}

/** Failed targets (errors) and warnings, as the run's tool execution notifications. */
function invocations(errors: readonly ScanError[], warnings: readonly ScanError[]): object[] {
  const notification = (level: 'error' | 'warning') => (e: ScanError) => ({
    level,
    message: { text: `${e.accountId}/${e.region}: ${e.operation}: ${e.errorName}: ${e.message}` },
    descriptor: { id: e.errorName },
    locations: [
      { logicalLocations: [{ fullyQualifiedName: `${e.accountId}/${e.region}`, kind: 'namespace' }] },
    ],
  });
  return [
    {
      executionSuccessful: errors.length === 0,
      toolExecutionNotifications: [
        ...errors.map(notification('error')),
        ...warnings.map(notification('warning')),
      ],
    },
  ];
}

export interface SarifInput {
  policies: readonly PolicyDescriptor[];
  toolVersion: string;
}

/** The whole log in memory (the streamed format writes the same text). */
export function toSarif(
  input: SarifInput & {
    findings: readonly Finding[];
    /** Reported as results with an external suppression (the waiver). */
    waived?: readonly WaivedFinding[];
    errors?: readonly ScanError[];
    warnings?: readonly ScanError[];
  },
): object {
  const rules = new SarifRules(input.policies);
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: rules.driver(input.toolVersion),
        invocations: invocations(input.errors ?? [], input.warnings ?? []),
        results: [
          ...input.findings.map((f) => rules.result(f, null)),
          ...(input.waived ?? []).map((w) => rules.result(w.finding, w.waiver)),
        ],
      },
    ],
  };
}

/** SARIF written registry by registry: results first, then the waived ones, as toSarif orders them. */
export function sarifReportFormat(input: SarifInput): StreamedReportFormat {
  const rules = new SarifRules(input.policies);
  return {
    sectionDepths: { results: 4, suppressed: 4 },
    *elements(parts: RegistryReportParts) {
      for (const f of parts.findings) yield { section: 'results', value: rules.result(f, null) };
      for (const w of parts.waived) yield { section: 'suppressed', value: rules.result(w.finding, w.waiver) };
    },
    layout(frame) {
      return [
        ...layoutParts({
          object: [
            ['$schema', { json: SCHEMA }],
            ['version', { json: '2.1.0' }],
            [
              'runs',
              {
                list: [
                  {
                    object: [
                      ['tool', { json: rules.driver(input.toolVersion) }],
                      ['invocations', { json: invocations(frame.errors, frame.warnings) }],
                      ['results', { stream: ['results', 'suppressed'] }],
                    ],
                  },
                ],
              },
            ],
          ],
        }),
        { kind: 'text', text: '\n' },
      ];
    },
  };
}
