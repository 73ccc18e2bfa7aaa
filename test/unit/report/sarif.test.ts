import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toSarif } from '../../../functions/core/report/sarif.js';
import type { Finding } from '../../../functions/core/types.js';

const require = createRequire(import.meta.url);
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function sarifValidator() {
  // The published schema is draft-04 and has a pattern that is invalid with the `u` flag.
  const ajv = new AjvDraft04.default({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(sarifSchema);
}

const finding: Finding = {
  policyId: 'production-covered',
  policyTitle: 'Production repositories are signed',
  severity: 'high',
  accountId: '111122223333',
  region: 'us-east-1',
  repositoryName: 'payments/api-prod',
  message: 'repository payments/api-prod in 111122223333/us-east-1 is not covered by any signing rule',
  factsPath: '/repositories/0',
  fingerprint: 'abc123',
};

describe('toSarif', () => {
  const log = toSarif({
    toolVersion: '0.1.0',
    policies: [
      {
        id: 'production-covered',
        title: 'Production repositories are signed',
        description: 'd',
        severity: 'high',
      },
      { id: 'signing-configured', title: 'Signing is configured', description: 'd', severity: 'critical' },
    ],
    findings: [
      finding,
      {
        ...finding,
        policyId: 'signing-configured',
        severity: 'critical',
        repositoryName: undefined,
        fingerprint: 'def',
      },
    ],
  });

  it('produces a log that validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects a log that breaks the schema, so the check above can fail', () => {
    const validate = sarifValidator();
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });

  it('maps severities to levels and keeps the fingerprint and location', () => {
    const results = (log as { runs: { results: Record<string, unknown>[] }[] }).runs[0]!.results;
    expect(results[0]).toMatchObject({
      ruleId: 'production-covered',
      ruleIndex: 0,
      level: 'error',
      partialFingerprints: { 'ecrSignDrift/v1': 'abc123' },
      locations: [
        {
          logicalLocations: [
            { fullyQualifiedName: '111122223333/us-east-1/payments/api-prod', kind: 'resource' },
          ],
        },
      ],
    });
    expect(results[1]).toMatchObject({
      ruleIndex: 1,
      locations: [{ logicalLocations: [{ kind: 'namespace' }] }],
    });
  });
});
