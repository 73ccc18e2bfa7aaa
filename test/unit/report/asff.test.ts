import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../functions/core/audit.js';
import type { PolicySet } from '../../../functions/core/policy/index.js';
import { renderReport, toAsffFinding } from '../../../functions/core/report/index.js';
import type { Finding } from '../../../functions/core/types.js';
import { WAIVER_REASON, waivedExampleAudit } from '../../support/waived-example-audit.js';

const asffSchema = JSON.parse(
  readFileSync(resolve('functions/local-aws/services/asff-finding.schema.json'), 'utf8'),
) as object;
const NOW = '2026-03-01T12:00:00.000Z';

function asffValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(asffSchema);
}

let policySet: PolicySet;
let report: AuditReport;
let findings: Record<string, unknown>[];
beforeAll(async () => {
  ({ policySet, report } = await waivedExampleAudit(NOW));
  findings = JSON.parse(
    renderReport(report, 'asff', { colour: false, policies: policySet.policies, toolVersion: 'test' }),
  ) as Record<string, unknown>[];
});

describe('audit --format asff', () => {
  it('gives one ASFF finding per finding and per waived finding', () => {
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.waived.length).toBeGreaterThan(0);
    expect(findings).toHaveLength(report.findings.length + report.waived.length);
  });

  it('writes findings that pass the schema written from the AwsSecurityFinding reference', () => {
    const validate = asffValidator();
    for (const finding of findings) expect(validate(finding), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses a finding without a required field or past a length limit, so the check above can fail', () => {
    const validate = asffValidator();
    const { Title: _title, ...untitled } = findings[0]!;
    expect(validate(untitled)).toBe(false);
    expect(validate({ ...findings[0], Description: 'x'.repeat(1025) })).toBe(false);
    expect(validate({ ...findings[0], Resources: [] })).toBe(false);
  });

  it('builds the Id from the fingerprint and names the default product of the finding account', () => {
    const first = report.findings[0]!;
    const asff = findings[0]!;
    expect(asff['Id']).toBe(`ecr-sign-drift/v1/${first.fingerprint}`);
    expect(asff['ProductArn']).toBe(
      `arn:aws:securityhub:${first.region}:${first.accountId}:product/${first.accountId}/default`,
    );
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      GeneratorId: first.policyId,
      AwsAccountId: first.accountId,
      Region: first.region,
      CreatedAt: NOW,
      FirstObservedAt: NOW,
      UpdatedAt: NOW,
      Title: first.policyTitle,
      Description: first.message,
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect((asff['Types'] as string[])[0]).toMatch(/^Software and Configuration Checks\//);
  });

  it('maps each severity to its Security Hub label', () => {
    const labels = new Map(
      report.findings.map((f, i) => [f.severity, (findings[i]!['Severity'] as { Label: string }).Label]),
    );
    const expected = {
      critical: 'CRITICAL',
      high: 'HIGH',
      medium: 'MEDIUM',
      low: 'LOW',
      info: 'INFORMATIONAL',
    };
    for (const [severity, label] of labels) expect(label).toBe(expected[severity]);
    expect(labels.size).toBeGreaterThan(2);
  });

  it('names a repository finding by its repository ARN and a registry finding by the registry id', () => {
    const repositoryIndex = report.findings.findIndex((f) => f.repositoryName !== undefined);
    const registryIndex = report.findings.findIndex((f) => f.repositoryName === undefined);
    const repository = report.findings[repositoryIndex]!;
    expect(findings[repositoryIndex]!['Resources']).toEqual([
      expect.objectContaining({
        Type: 'AwsEcrRepository',
        Id: `arn:aws:ecr:${repository.region}:${repository.accountId}:repository/${repository.repositoryName}`,
        Partition: 'aws',
        Region: repository.region,
      }),
    ]);
    const registry = report.findings[registryIndex]!;
    expect(findings[registryIndex]!['Resources']).toEqual([
      expect.objectContaining({ Type: 'Other', Id: registry.accountId, Region: registry.region }),
    ]);
  });

  it('gives a waived finding as SUPPRESSED with the waiver reason in its note', () => {
    const waived = findings.slice(report.findings.length);
    for (const finding of waived) {
      expect(finding['Workflow']).toEqual({ Status: 'SUPPRESSED' });
      expect((finding['Note'] as { Text: string }).Text).toContain(WAIVER_REASON);
    }
  });

  it('keeps a finding first seen earlier at that time, and archives a resolved one as PASSED', () => {
    const first: Finding = report.findings[0]!;
    const policies = new Map(policySet.policies.map((p) => [p.id, p]));
    const exported = { finding: first, firstSeen: '2026-01-05T08:00:00.000Z', updatedAt: NOW };
    expect(toAsffFinding({ ...exported, lifecycle: { state: 'open' } }, { policies })).toMatchObject({
      CreatedAt: '2026-01-05T08:00:00.000Z',
      FirstObservedAt: '2026-01-05T08:00:00.000Z',
      UpdatedAt: NOW,
    });
    expect(toAsffFinding({ ...exported, lifecycle: { state: 'resolved' } }, { policies })).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
    });
  });

  it('imports a central detector findings as its own account, the registry named in the resource', () => {
    const first = report.findings.find((f) => f.repositoryName !== undefined)!;
    const asff = toAsffFinding(
      { finding: first, firstSeen: NOW, updatedAt: NOW, lifecycle: { state: 'open' } },
      { policies: new Map(), importer: { accountId: '999999999999', region: 'us-gov-west-1' } },
    );
    expect(asff).toMatchObject({
      AwsAccountId: '999999999999',
      ProductArn: 'arn:aws-us-gov:securityhub:us-gov-west-1:999999999999:product/999999999999/default',
      Resources: [
        expect.objectContaining({ Id: expect.stringContaining(`:${first.accountId}:repository/`) }),
      ],
    });
  });
});
