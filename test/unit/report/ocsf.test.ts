import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../functions/core/audit.js';
import type { PolicySet } from '../../../functions/core/policy/index.js';
import { renderReport, toOcsfEvent } from '../../../functions/core/report/index.js';
import { WAIVER_REASON, waivedExampleAudit } from '../../support/waived-example-audit.js';

interface ClassDefinition {
  source: string;
  class: { uid: number; category_uid: number };
  required: string[];
  objects: Record<string, string[]>;
  enums: Record<string, Record<string, string>>;
}

const definition = JSON.parse(
  readFileSync(resolve('test/unit/report/ocsf-compliance-finding.required.json'), 'utf8'),
) as ClassDefinition;
const NOW = '2026-03-01T12:00:00.000Z';

type Json = Record<string, unknown>;

/** The attributes the class definition requires that `event` lacks (null and '' count as missing). */
function missingRequired(event: Json): string[] {
  const present = (value: unknown) => value !== undefined && value !== null && value !== '';
  const missing = definition.required.filter((name) => !present(event[name]));
  for (const [object, members] of Object.entries(definition.objects)) {
    const value = event[object] as Json | undefined;
    for (const member of members) if (!present(value?.[member])) missing.push(`${object}.${member}`);
  }
  return missing;
}

let policySet: PolicySet;
let report: AuditReport;
let events: Json[];
beforeAll(async () => {
  ({ policySet, report } = await waivedExampleAudit(NOW));
  events = JSON.parse(
    renderReport(report, 'ocsf', { colour: false, policies: policySet.policies, toolVersion: '1.2.3' }),
  ) as Json[];
});

describe('audit --format ocsf', () => {
  it('notes the published class definition its required attributes were written from', () => {
    expect(definition.source).toBe('https://schema.ocsf.io/1.1.0/classes/compliance_finding');
  });

  it('gives one Compliance Finding event per finding and per waived finding', () => {
    expect(events).toHaveLength(report.findings.length + report.waived.length);
    for (const event of events) {
      expect(event['class_uid']).toBe(definition.class.uid);
      expect(event['category_uid']).toBe(definition.class.category_uid);
      expect(event['type_uid']).toBe((event['class_uid'] as number) * 100 + (event['activity_id'] as number));
    }
  });

  it('has every attribute the class requires in every event', () => {
    for (const event of events) expect(missingRequired(event)).toEqual([]);
  });

  it('finds an event without a required attribute, so the check above can fail', () => {
    const { compliance: _compliance, ...incomplete } = events[0]!;
    expect(missingRequired(incomplete)).toEqual(['compliance', 'compliance.standards']);
    expect(missingRequired({ ...events[0], metadata: { product: {} } })).toEqual(['metadata.version']);
  });

  it('uses only the enumerated ids of the class', () => {
    for (const event of events) {
      for (const name of ['activity_id', 'severity_id', 'status_id']) {
        expect(Object.keys(definition.enums[name]!)).toContain(String(event[name]));
      }
      const compliance = event['compliance'] as Json;
      expect(Object.keys(definition.enums['compliance.status_id']!)).toContain(
        String(compliance['status_id']),
      );
    }
  });

  it('carries the fingerprint, compliance, severity, account, region, resources, product and time', () => {
    const finding = report.findings.find((f) => f.repositoryName !== undefined && f.severity === 'high')!;
    const event = events[report.findings.indexOf(finding)]!;
    expect(event).toMatchObject({
      finding_info: { uid: finding.fingerprint, title: finding.policyTitle },
      compliance: { status: 'Fail', status_id: 3, control: finding.policyId },
      severity_id: 4,
      severity: 'High',
      status_id: 1,
      activity_id: 1,
      type_uid: 200301,
      cloud: { provider: 'AWS', account: { uid: finding.accountId }, region: finding.region },
      resources: [
        {
          uid: `arn:aws:ecr:${finding.region}:${finding.accountId}:repository/${finding.repositoryName}`,
          type: 'AWS::ECR::Repository',
        },
      ],
      metadata: { version: '1.1.0', product: { name: 'ecr-sign-drift', version: '1.2.3' } },
      time: Date.parse(NOW),
    });
  });

  it('gives a waived finding as Suppressed with the waiver reason, and a resolved one as a Close that passes', () => {
    for (const event of events.slice(report.findings.length)) {
      expect(event).toMatchObject({ status_id: 3, status: 'Suppressed' });
      expect(event['status_detail']).toContain(WAIVER_REASON);
    }
    const closed = toOcsfEvent(
      { finding: report.findings[0]!, firstSeen: NOW, updatedAt: NOW, lifecycle: { state: 'resolved' } },
      { toolVersion: 'x' },
    );
    expect(closed).toMatchObject({
      activity_id: 3,
      type_uid: 200303,
      status_id: 4,
      compliance: { status_id: 1 },
    });
  });
});
