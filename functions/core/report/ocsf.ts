/**
 * OCSF 1.1 Compliance Finding events (class 2003, category Findings), what Amazon Security
 * Lake custom sources take: one event per finding, `finding_info.uid` our fingerprint.
 * test/unit/report/ocsf-compliance-finding.required.json lists what the class requires.
 */
import { partitionOfRegion } from '../partition.js';
import type { Severity } from '../types.js';
import {
  type FindingExport,
  type FindingExportContext,
  findingArrayFormat,
  repositoryArn,
  waiverNote,
} from './finding-export.js';
import type { StreamedReportFormat } from './streamed-report.js';

export const OCSF_VERSION = '1.1.0';
const CLASS = { uid: 2003, name: 'Compliance Finding' } as const;
const CATEGORY = { uid: 2, name: 'Findings' } as const;

const SEVERITY: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

const ACTIVITY = {
  create: { id: 1, name: 'Create' },
  update: { id: 2, name: 'Update' },
  close: { id: 3, name: 'Close' },
} as const;

const STATUS = {
  open: { id: 1, name: 'New' },
  waived: { id: 3, name: 'Suppressed' },
  resolved: { id: 4, name: 'Resolved' },
} as const;

/** compliance.status_id: 1 Pass, 3 Fail. */
const COMPLIANCE = { pass: { id: 1, name: 'Pass' }, fail: { id: 3, name: 'Fail' } } as const;

export interface OcsfOptions {
  toolVersion: string;
}

export function toOcsfEvent(exported: FindingExport, options: OcsfOptions): Record<string, unknown> {
  const { finding, lifecycle } = exported;
  const activity =
    lifecycle.state === 'resolved'
      ? ACTIVITY.close
      : exported.firstSeen === exported.updatedAt
        ? ACTIVITY.create
        : ACTIVITY.update;
  const status = STATUS[lifecycle.state];
  const compliance = lifecycle.state === 'resolved' ? COMPLIANCE.pass : COMPLIANCE.fail;
  const severity = SEVERITY[finding.severity];
  const time = Date.parse(exported.updatedAt);
  const firstSeen = Date.parse(exported.firstSeen);
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    type_uid: CLASS.uid * 100 + activity.id,
    type_name: `${CLASS.name}: ${activity.name}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    ...(lifecycle.state === 'waived' ? { status_detail: waiverNote(lifecycle.waiver) } : {}),
    time,
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      product: { name: 'ecr-sign-drift', vendor_name: 'ecr-sign-drift', version: options.toolVersion },
    },
    finding_info: {
      uid: finding.fingerprint,
      title: finding.policyTitle,
      desc: finding.message,
      types: ['ECR Image Signing'],
      created_time: firstSeen,
      first_seen_time: firstSeen,
      last_seen_time: time,
      modified_time: time,
    },
    compliance: {
      standards: ['ecr-sign-drift policies'],
      control: finding.policyId,
      requirements: [finding.policyId],
      status: compliance.name,
      status_id: compliance.id,
    },
    cloud: {
      provider: 'AWS',
      account: { uid: finding.accountId, type: 'AWS Account', type_id: 10 },
      region: finding.region,
    },
    resources: [resourceOf(exported)],
  };
}

function resourceOf({ finding }: FindingExport): Record<string, unknown> {
  const place = { region: finding.region, cloud_partition: partitionOfRegion(finding.region) };
  const { repositoryName } = finding;
  if (repositoryName !== undefined) {
    return {
      uid: repositoryArn({ ...finding, repositoryName }),
      name: repositoryName,
      type: 'AWS::ECR::Repository',
      ...place,
      owner: { account: { uid: finding.accountId, type: 'AWS Account', type_id: 10 } },
    };
  }
  return {
    uid: finding.accountId,
    name: `${finding.accountId}/${finding.region}`,
    type: 'AWS::ECR::Registry',
    ...place,
    owner: { account: { uid: finding.accountId, type: 'AWS Account', type_id: 10 } },
  };
}

/** OCSF events as a JSON array written registry by registry: the findings, then the waived ones. */
export function ocsfReportFormat(
  options: OcsfOptions & { context: FindingExportContext },
): StreamedReportFormat {
  return findingArrayFormat((exported) => toOcsfEvent(exported, options), options.context);
}
