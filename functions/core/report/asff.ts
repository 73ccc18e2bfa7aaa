/**
 * The AWS Security Finding Format (2018-10-08), what Security Hub imports: one finding per
 * policy violation, its Id built from our fingerprint so the same violation updates the same
 * Security Hub finding run after run. Limits follow the AwsSecurityFinding reference
 * (functions/local-aws/services/asff-finding.schema.json holds them as a schema).
 */
import { partitionOfRegion } from '../partition.js';
import type { Finding, Severity } from '../types.js';
import {
  type FindingExport,
  type FindingExportContext,
  findingArrayFormat,
  fitText,
  repositoryArn,
  waiverNote,
} from './finding-export.js';
import type { PolicyDescriptor } from './sarif.js';
import type { StreamedReportFormat } from './streamed-report.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** The one finding type: a configuration check against a best practice (namespace/category/classifier). */
export const ASFF_FINDING_TYPE =
  'Software and Configuration Checks/AWS Security Best Practices/ECR Image Signing';

/** Security Hub's limits on the fields whose text comes from policies and facts. */
const LIMITS = { title: 256, description: 1024, recommendation: 512, note: 512, productFieldValue: 2048 };

/** The partitions Security Hub's Resource.Partition accepts. */
const RESOURCE_PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b']);

/**
 * The account and region that import the findings. With the default product ARN, Security
 * Hub accepts only findings whose AwsAccountId is the importing account's, so a central
 * detector imports every registry's findings as its own, the registry named in Resources.
 * Without it each finding is its registry's account's.
 */
export interface AsffImporter {
  accountId: string;
  region: string;
}

export interface AsffOptions {
  importer?: AsffImporter;
  /** Policies by id: the recommendation is the policy's description. */
  policies: ReadonlyMap<string, PolicyDescriptor>;
}

/** The default product ARN of an account's own findings in a region. */
export function defaultProductArn(importer: AsffImporter): string {
  const partition = partitionOfRegion(importer.region);
  return `arn:${partition}:securityhub:${importer.region}:${importer.accountId}:product/${importer.accountId}/default`;
}

/** The Security Hub finding Id of a finding: stable across runs because the fingerprint is. */
export function asffFindingId(finding: Pick<Finding, 'fingerprint'>): string {
  return `ecr-sign-drift/v1/${finding.fingerprint}`;
}

export function toAsffFinding(exported: FindingExport, options: AsffOptions): Record<string, unknown> {
  const { finding, lifecycle } = exported;
  const importer = options.importer ?? { accountId: finding.accountId, region: finding.region };
  const policy = options.policies.get(finding.policyId);
  const resolved = lifecycle.state === 'resolved';
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffFindingId(finding),
    ProductArn: defaultProductArn(importer),
    GeneratorId: finding.policyId,
    AwsAccountId: importer.accountId,
    Region: importer.region,
    Types: [ASFF_FINDING_TYPE],
    CreatedAt: exported.firstSeen,
    FirstObservedAt: exported.firstSeen,
    LastObservedAt: exported.updatedAt,
    UpdatedAt: exported.updatedAt,
    Severity: { Label: SEVERITY_LABEL[finding.severity], Original: finding.severity },
    Title: fitText(finding.policyTitle, LIMITS.title),
    Description: fitText(finding.message, LIMITS.description),
    Remediation: {
      Recommendation: { Text: fitText(recommendation(finding, policy), LIMITS.recommendation) },
    },
    ProductFields: productFields(finding),
    Resources: [resourceOf(finding)],
    Compliance: { Status: resolved ? 'PASSED' : 'FAILED' },
    Workflow: { Status: workflowStatus(lifecycle.state) },
    RecordState: resolved ? 'ARCHIVED' : 'ACTIVE',
    ...(lifecycle.state === 'waived'
      ? {
          Note: {
            Text: fitText(waiverNote(lifecycle.waiver), LIMITS.note),
            UpdatedBy: 'ecr-sign-drift',
            UpdatedAt: exported.updatedAt,
          },
        }
      : {}),
  };
}

function workflowStatus(state: FindingExport['lifecycle']['state']): string {
  switch (state) {
    case 'open':
      return 'NEW';
    case 'waived':
      return 'SUPPRESSED';
    case 'resolved':
      return 'RESOLVED';
  }
}

function recommendation(finding: Finding, policy: PolicyDescriptor | undefined): string {
  const requirement = policy?.description ?? finding.policyTitle;
  return `${requirement} Add or widen the registry's signing rules (PutSigningConfiguration); ecr-sign-drift plans the change from the desired configuration (run --remediation plan).`;
}

function productFields(finding: Finding): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    'ecrSignDrift/fingerprint': finding.fingerprint,
    'ecrSignDrift/policyId': finding.policyId,
    'ecrSignDrift/severity': finding.severity,
    'ecrSignDrift/accountId': finding.accountId,
    'ecrSignDrift/region': finding.region,
    'ecrSignDrift/repositoryName': finding.repositoryName,
    'ecrSignDrift/signingProfileArn': finding.signingProfileArn,
    'ecrSignDrift/factsPath': finding.factsPath || undefined,
  };
  return Object.fromEntries(
    Object.entries(fields)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => [key, fitText(value, LIMITS.productFieldValue)]),
  );
}

function resourceOf(finding: Finding): Record<string, unknown> {
  const partition = partitionOfRegion(finding.region);
  const place = {
    ...(RESOURCE_PARTITIONS.has(partition) ? { Partition: partition } : {}),
    Region: finding.region,
  };
  const { repositoryName } = finding;
  if (repositoryName !== undefined) {
    const arn = repositoryArn({ ...finding, repositoryName });
    return {
      Type: 'AwsEcrRepository',
      Id: arn,
      ...place,
      Details: { AwsEcrRepository: { Arn: arn, RepositoryName: repositoryName } },
    };
  }
  return {
    Type: 'Other',
    Id: finding.accountId,
    ...place,
    Details: { Other: { registryId: finding.accountId, region: finding.region } },
  };
}

/** ASFF as a JSON array written registry by registry: the findings, then the waived ones. */
export function asffReportFormat(
  options: AsffOptions & { context: FindingExportContext },
): StreamedReportFormat {
  return findingArrayFormat((exported) => toAsffFinding(exported, options), options.context);
}
