import { describe, expect, it } from 'vitest';
import {
  compilePolicySet,
  type FixtureExpectation,
  type PolicyFixture,
  runPolicyTests,
} from '../../../functions/core/policy/index.js';
import { itemsPolicy, registry } from './helpers.js';

const set = compilePolicySet(
  [itemsPolicy('covered', 'repositories', { covered: { const: true } }, '{repositoryName} is not signed')],
  [],
);

function fixture(
  expectation: FixtureExpectation,
  document: Record<string, unknown>,
  policyId = 'covered',
): PolicyFixture {
  return {
    policyId,
    expectation,
    name: `${expectation}/case.json`,
    source: `tests/${policyId}/${expectation}/case.json`,
    document,
  };
}

const oneRegistry = (repositoryNames: string[], extra: Record<string, unknown> = {}) => ({
  snapshotVersion: 1,
  registries: [registry({ repositories: repositoryNames.map((repositoryName) => ({ repositoryName })) })],
  ...extra,
});

const run = (f: PolicyFixture) => {
  const [result] = runPolicyTests(set, [f]);
  return { passed: result!.passed, problems: result!.problems };
};

describe('runPolicyTests', () => {
  it('passes a pass fixture without findings and fails one with findings', () => {
    expect(run(fixture('pass', oneRegistry(['team/api'])))).toEqual({ passed: true, problems: [] });
    expect(run(fixture('pass', oneRegistry(['team/api', 'web'])))).toEqual({
      passed: false,
      problems: ['unexpected finding: web is not signed'],
    });
  });

  it('passes a fail fixture with any finding and fails one without', () => {
    expect(run(fixture('fail', oneRegistry(['web', 'docs'])))).toEqual({ passed: true, problems: [] });
    expect(run(fixture('fail', oneRegistry(['team/api'])))).toEqual({
      passed: false,
      problems: ['expected at least one finding, got none'],
    });
  });

  it('requires exactly the listed expectedFindings', () => {
    const expecting = (expectedFindings: unknown[], names = ['web', 'docs']) =>
      run(fixture('fail', oneRegistry(names, { expectedFindings })));
    expect(expecting([{ repositoryName: 'docs' }, { messageIncludes: 'web is' }])).toEqual({
      passed: true,
      problems: [],
    });
    expect(expecting([{ repositoryName: 'docs' }])).toEqual({
      passed: false,
      problems: ['unexpected finding: web is not signed'],
    });
    expect(
      expecting([{ repositoryName: 'docs' }, { repositoryName: 'web' }, { repositoryName: 'gone' }]),
    ).toEqual({
      passed: false,
      problems: ['missing expected finding {"repositoryName":"gone"}'],
    });
  });

  it('pairs a loose expectation with the finding a stricter one leaves free', () => {
    const result = run(
      fixture(
        'fail',
        oneRegistry(['web', 'docs'], {
          expectedFindings: [{ messageIncludes: 'not signed' }, { repositoryName: 'web' }],
        }),
      ),
    );
    expect(result).toEqual({ passed: true, problems: [] });
  });

  it.each([
    [
      'two registries',
      { snapshotVersion: 1, registries: [registry(), registry({ region: 'eu-west-1' })] },
      'a fixture holds exactly one registry, this one holds 2',
    ],
    [
      'an invalid snapshot',
      { snapshotVersion: 2, registries: [registry()] },
      'not a valid snapshot: /snapshotVersion must be equal to constant',
    ],
    ['a list', [], 'a fixture must be a snapshot document (a JSON object)'],
    [
      'an unknown expectation field',
      oneRegistry(['web'], { expectedFindings: [{ repository: 'web' }] }),
      "expectedFindings/0 has unknown field 'repository' (use repositoryName, ruleIndex, signingProfileArn, messageIncludes)",
    ],
    [
      'an expectation field of the wrong type',
      oneRegistry(['web'], { expectedFindings: [{ ruleIndex: '1' }] }),
      'expectedFindings/0/ruleIndex must be a number',
    ],
    [
      'an empty expectation list',
      oneRegistry(['web'], { expectedFindings: [] }),
      'expectedFindings must be a non-empty list',
    ],
  ])('fails a fixture that holds %s', (_case, document, problem) => {
    expect(run(fixture('fail', document as Record<string, unknown>))).toEqual({
      passed: false,
      problems: [problem],
    });
  });

  it('fails a pass fixture that lists expectedFindings and a fixture of an unknown policy', () => {
    expect(
      run(fixture('pass', oneRegistry(['team/api'], { expectedFindings: [{ repositoryName: 'web' }] }))),
    ).toEqual({
      passed: false,
      problems: ['a pass fixture expects no finding, so it cannot list expectedFindings'],
    });
    expect(run(fixture('pass', oneRegistry(['team/api']), 'gone'))).toEqual({
      passed: false,
      problems: ['no policy has the id gone'],
    });
  });

  it('evaluates a fixture against its own policy only, scope included', () => {
    const euOnly = itemsPolicy('eu-only', 'repositories', { covered: { const: true } });
    const scoped = compilePolicySet(
      [
        itemsPolicy('covered', 'repositories', { covered: { const: true } }),
        { ...euOnly, schema: { ...euOnly.schema, scope: { regions: ['eu-west-1'] } } },
      ],
      [],
    );
    const results = runPolicyTests(scoped, [
      fixture('fail', oneRegistry(['web'])),
      fixture('pass', oneRegistry(['web']), 'eu-only'),
    ]);
    expect(results.map((r) => [r.policyId, r.passed, r.findings.length])).toEqual([
      ['covered', true, 1],
      ['eu-only', true, 0],
    ]);
  });
});
