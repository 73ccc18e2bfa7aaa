/**
 * Policy tests, in the manner of `conftest verify`: each fixture is one registry in snapshot
 * form, kept beside the policy it exercises. A `pass` fixture must give that policy no finding;
 * a `fail` fixture at least one, and exactly the listed `expectedFindings` when it lists them.
 * Pure: the caller reads the files.
 */
import { SnapshotInvalidError } from '../errors.js';
import { buildFacts, parseSnapshot } from '../facts/index.js';
import type { Finding, RegistrySnapshot } from '../types.js';
import { evaluatePolicy } from './evaluate.js';
import type { PolicySet } from './types.js';

export type FixtureExpectation = 'pass' | 'fail';

export interface PolicyFixture {
  policyId: string;
  expectation: FixtureExpectation;
  /** Name within the policy's test folder, e.g. "pass/rules-present.json". */
  name: string;
  /** Where the fixture came from (a path), for messages. */
  source: string;
  document: unknown;
}

/** A finding a fail fixture expects; every field given must match. */
export interface ExpectedFinding {
  repositoryName?: string;
  ruleIndex?: number;
  signingProfileArn?: string;
  messageIncludes?: string;
}

export interface ParsedFixture {
  registry: RegistrySnapshot;
  /** null when the fixture lists none (any finding satisfies a fail fixture). */
  expectedFindings: ExpectedFinding[] | null;
}

export interface PolicyTestResult {
  policyId: string;
  expectation: FixtureExpectation;
  name: string;
  source: string;
  passed: boolean;
  findings: Finding[];
  /** Why the test failed, one entry a problem; empty when it passed. */
  problems: string[];
}

const EXPECTED_FINDING_FIELDS: Record<keyof ExpectedFinding, 'string' | 'number'> = {
  repositoryName: 'string',
  ruleIndex: 'number',
  signingProfileArn: 'string',
  messageIncludes: 'string',
};

/** Reads a fixture document; returns the problem in words when it is not a usable fixture. */
export function parseFixture(fixture: PolicyFixture): ParsedFixture | { problem: string } {
  const { document } = fixture;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { problem: 'a fixture must be a snapshot document (a JSON object)' };
  }
  const { expectedFindings, ...snapshotDocument } = document as Record<string, unknown>;
  let registries: RegistrySnapshot[];
  try {
    registries = parseSnapshot(snapshotDocument, fixture.source).registries;
  } catch (error) {
    if (!(error instanceof SnapshotInvalidError)) throw error;
    return { problem: `not a valid snapshot: ${error.message.slice(fixture.source.length + 2)}` };
  }
  if (registries.length !== 1) {
    return { problem: `a fixture holds exactly one registry, this one holds ${registries.length}` };
  }
  if (expectedFindings === undefined) return { registry: registries[0]!, expectedFindings: null };
  if (fixture.expectation === 'pass') {
    return { problem: 'a pass fixture expects no finding, so it cannot list expectedFindings' };
  }
  const problem = expectedFindingsProblem(expectedFindings);
  if (problem) return { problem };
  return { registry: registries[0]!, expectedFindings: expectedFindings as ExpectedFinding[] };
}

function expectedFindingsProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return 'expectedFindings must be a non-empty list';
  for (const [i, entry] of value.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return `expectedFindings/${i} must be an object`;
    }
    for (const [key, field] of Object.entries(entry)) {
      const type = EXPECTED_FINDING_FIELDS[key as keyof ExpectedFinding];
      if (!type) {
        return `expectedFindings/${i} has unknown field '${key}' (use ${Object.keys(EXPECTED_FINDING_FIELDS).join(', ')})`;
      }
      if (typeof field !== type) return `expectedFindings/${i}/${key} must be a ${type}`;
    }
  }
  return null;
}

/** Runs every fixture against its own policy and says, for each, whether it passed and why not. */
export function runPolicyTests(policySet: PolicySet, fixtures: readonly PolicyFixture[]): PolicyTestResult[] {
  const policies = new Map(policySet.policies.map((p) => [p.id, p]));
  return fixtures.map((fixture) => {
    const { policyId, expectation, name, source } = fixture;
    const result = (findings: Finding[], problems: string[]): PolicyTestResult => ({
      policyId,
      expectation,
      name,
      source,
      passed: problems.length === 0,
      findings,
      problems,
    });
    const policy = policies.get(policyId);
    if (!policy) return result([], [`no policy has the id ${policyId}`]);
    const parsed = parseFixture(fixture);
    if ('problem' in parsed) return result([], [parsed.problem]);
    const findings = evaluatePolicy(policy, buildFacts(parsed.registry));
    return result(findings, problemsWith(expectation, parsed.expectedFindings, findings));
  });
}

function problemsWith(
  expectation: FixtureExpectation,
  expected: ExpectedFinding[] | null,
  findings: Finding[],
): string[] {
  if (expectation === 'pass') return findings.map((f) => `unexpected finding: ${f.message}`);
  if (findings.length === 0) return ['expected at least one finding, got none'];
  if (!expected) return [];
  const { missing, unexpected } = matchExpectations(expected, findings);
  return [
    ...missing.map((e) => `missing expected finding ${JSON.stringify(e)}`),
    ...unexpected.map((f) => `unexpected finding: ${f.message}`),
  ];
}

function matches(expected: ExpectedFinding, finding: Finding): boolean {
  return (
    (expected.repositoryName === undefined || expected.repositoryName === finding.repositoryName) &&
    (expected.ruleIndex === undefined || expected.ruleIndex === finding.ruleIndex) &&
    (expected.signingProfileArn === undefined || expected.signingProfileArn === finding.signingProfileArn) &&
    (expected.messageIncludes === undefined || finding.message.includes(expected.messageIncludes))
  );
}

/**
 * Pairs expectations with findings one to one (bipartite matching), so a loose expectation
 * cannot take the only finding a stricter one could match.
 */
function matchExpectations(
  expected: readonly ExpectedFinding[],
  findings: readonly Finding[],
): { missing: ExpectedFinding[]; unexpected: Finding[] } {
  const expectationOfFinding: (number | undefined)[] = findings.map(() => undefined);
  const assign = (e: number, visited: Set<number>): boolean => {
    for (const [f, finding] of findings.entries()) {
      if (visited.has(f) || !matches(expected[e]!, finding)) continue;
      visited.add(f);
      const holder = expectationOfFinding[f];
      if (holder === undefined || assign(holder, visited)) {
        expectationOfFinding[f] = e;
        return true;
      }
    }
    return false;
  };
  const missing = expected.filter((_, e) => !assign(e, new Set()));
  const unexpected = findings.filter((_, f) => expectationOfFinding[f] === undefined);
  return { missing, unexpected };
}
