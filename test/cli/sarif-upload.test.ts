/**
 * SARIF as GitHub code scanning takes it. The requirements below are written from GitHub's
 * "SARIF support for code scanning" reference
 * (https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning)
 * and the upload endpoint's limits (REST API "Upload an analysis as SARIF data"): results
 * need a rule id, a message and a physical location whose artifact URI is a path in the
 * repository with a start line; partial fingerprints keep alerts stable across runs;
 * `security-severity` is a number from 0.0 to 10.0; an upload with more than 25,000
 * results is rejected. The structure is also checked against the SARIF 2.1.0 schema.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './run-cli.js';

const require = createRequire(import.meta.url);
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const WORLD = 'functions/local-aws/example-world.json';

interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; properties: Record<string, unknown> }> } };
    invocations: Array<{
      executionSuccessful: boolean;
      toolExecutionNotifications: Array<{ level: string; message: { text: string } }>;
    }>;
    results: Array<{
      ruleId: string;
      message: { text: string };
      partialFingerprints: Record<string, string>;
      locations: Array<{
        physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } };
        logicalLocations: Array<{ fullyQualifiedName: string }>;
      }>;
    }>;
  }>;
}

let scratch: string;
let log: SarifLog;
let withFailure: SarifLog;

beforeAll(() => {
  assertCliBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-sarif-'));
  const sarif = runCli(['audit', '--snapshot', WORLD, '--format', 'sarif']);
  expect(sarif.code).toBe(1);
  log = JSON.parse(sarif.stdout) as SarifLog;

  const world = JSON.parse(readFileSync(WORLD, 'utf8'));
  const failed = {
    accountId: '444455556666',
    region: 'eu-west-1',
    operation: 'AssumeRole',
    errorName: 'AccessDenied',
    message: 'not authorized to assume ecr-sign-drift-member',
  };
  const incomplete = join(scratch, 'incomplete.json');
  writeFileSync(incomplete, JSON.stringify({ ...world, source: { ...world.source, errors: [failed] } }));
  const second = runCli(['audit', '--snapshot', incomplete, '--format', 'sarif']);
  expect(second.code).toBe(3);
  withFailure = JSON.parse(second.stdout) as SarifLog;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('audit --format sarif for GitHub code scanning', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    // The published schema is draft-04 and has a pattern that is invalid with the `u` flag.
    const ajv = new AjvDraft04.default({ strict: false, unicodeRegExp: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(sarifSchema);
    for (const sarif of [log, withFailure])
      expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
  });

  it('locates every result at the policy file that found it, by repository-relative path and line', () => {
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      const physical = result.locations[0]?.physicalLocation;
      expect(physical, result.ruleId).toBeDefined();
      const { uri } = physical!.artifactLocation;
      expect(uri).not.toMatch(/^[a-z]+:|^\//);
      expect(existsSync(uri)).toBe(true);
      if (result.ruleId === 'matches-desired') {
        // Drift is located at the desired-configuration file the registry differs from.
        expect(uri).toMatch(/^policies\/desired\/[^/]+\.json$/);
        continue;
      }
      expect(uri).toMatch(/^policies\/[^/]+\.policy\.json$/);
      const line = readFileSync(uri, 'utf8').split('\n')[physical!.region.startLine - 1];
      expect(line).toContain(`"$id": "${result.ruleId}"`);
    }
  });

  it('keeps the registry as the logical location, a stable fingerprint and a known rule per result', () => {
    const run = log.runs[0]!;
    const rules = new Set(run.tool.driver.rules.map((r) => r.id));
    for (const result of run.results) {
      expect(rules.has(result.ruleId)).toBe(true);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.partialFingerprints['ecrSignDrift/v1']).toMatch(/^[0-9a-f]{16,}$/);
      expect(result.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toMatch(/^\d{12}\/[a-z0-9-]+/);
    }
    for (const rule of run.tool.driver.rules) {
      const severity = Number(rule.properties['security-severity']);
      expect(severity).toBeGreaterThanOrEqual(0);
      expect(severity).toBeLessThanOrEqual(10);
    }
    expect(run.results.length).toBeLessThanOrEqual(25_000);
  });

  it('reports a target it could not scan as a tool execution notification', () => {
    expect(log.runs[0]!.invocations[0]).toMatchObject({
      executionSuccessful: true,
      toolExecutionNotifications: [],
    });
    const invocation = withFailure.runs[0]!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: 'error',
        message: {
          text: '444455556666/eu-west-1: AssumeRole: AccessDenied: not authorized to assume ecr-sign-drift-member',
        },
      }),
    ]);
  });
});
