import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../../functions/core/facts/index.js';
import { fingerprintOf, subjectFingerprint } from '../../../functions/core/policy/findings.js';
import { compilePolicySet, evaluatePolicies } from '../../../functions/core/policy/index.js';
import type { PolicyScope } from '../../../functions/core/policy/types.js';
import type { Finding } from '../../../functions/core/types.js';
import { loadPolicySet } from '../../../functions/files/load-policy-directory.js';
import { approvedProfile, facts, itemsPolicy, otherProfile, policy, registry, rule } from './helpers.js';

const subjectFields = (f: Finding) => ({
  repositoryName: f.repositoryName,
  ruleIndex: f.ruleIndex,
  signingProfileArn: f.signingProfileArn,
  factsPath: f.factsPath,
});

describe('evaluatePolicies', () => {
  it('words a finding with the author message, filling templates and placeholders', () => {
    const set = compilePolicySet(
      [
        itemsPolicy(
          'covered',
          'repositories',
          { covered: { const: true } },
          'repository {repositoryName} in {registry} is not signed (${0/repositoryName} in ${/accountId}) {unknown}',
        ),
      ],
      [],
    );
    const [finding] = evaluatePolicies(set, facts());
    expect(finding).toEqual({
      policyId: 'covered',
      policyTitle: 'Policy covered',
      severity: 'high',
      accountId: '111122223333',
      region: 'us-east-1',
      repositoryName: 'web',
      message: 'repository web in 111122223333/us-east-1 is not signed ("web" in "111122223333") {unknown}',
      factsPath: '/repositories/1',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('gives a default message naming the subject, the policy and the failed check', () => {
    const set = compilePolicySet([itemsPolicy('covered', 'repositories', { covered: { const: true } })], []);
    expect(evaluatePolicies(set, facts()).map((f) => f.message)).toEqual([
      'repository web in 111122223333/us-east-1 does not meet "Policy covered": covered must be equal to constant true',
    ]);
    const registryLevel = compilePolicySet(
      [policy('configured', { properties: { signingConfigured: { const: false } } })],
      [],
    );
    expect(evaluatePolicies(registryLevel, facts()).map((f) => f.message)).toEqual([
      'registry 111122223333/us-east-1 does not meet "Policy configured": signingConfigured must be equal to constant false',
    ]);
  });

  it('maps each part of the facts to the subject it is about', () => {
    const twoRules = facts({
      signingConfiguration: {
        rules: [rule(approvedProfile, 'team/*', 'gone/*'), rule(otherProfile, 'team/*')],
      },
      repositories: [{ repositoryName: 'team/api' }, { repositoryName: 'web' }],
    });
    const set = compilePolicySet(
      [
        itemsPolicy('rules', 'rules', { matchCount: { type: 'integer', maximum: 0 } }),
        itemsPolicy('filters', 'rules', {
          filters: {
            type: 'array',
            items: { type: 'object', properties: { matchCount: { type: 'integer', minimum: 1 } } },
          },
        }),
        itemsPolicy('profiles', 'profiles', { profileArn: { const: approvedProfile } }),
        policy('uncovered-list', {
          properties: {
            uncoveredRepositories: { type: 'array', items: { type: 'string', pattern: '^team/' } },
          },
        }),
        policy('api-rules', {
          properties: {
            signingConfiguration: {
              type: 'object',
              properties: {
                rules: {
                  type: 'array',
                  items: { type: 'object', properties: { signingProfileArn: { const: approvedProfile } } },
                },
              },
            },
          },
        }),
        policy('registry', {
          properties: { counts: { type: 'object', properties: { rules: { type: 'integer', maximum: 1 } } } },
        }),
      ],
      [],
    );
    const findings = evaluatePolicies(set, twoRules);
    const byPolicy = (policyId: string) => findings.filter((f) => f.policyId === policyId);
    expect(byPolicy('rules').map(subjectFields)).toEqual([
      {
        repositoryName: undefined,
        ruleIndex: 0,
        signingProfileArn: approvedProfile,
        factsPath: '/rules/0/matchCount',
      },
      {
        repositoryName: undefined,
        ruleIndex: 1,
        signingProfileArn: otherProfile,
        factsPath: '/rules/1/matchCount',
      },
    ]);
    expect(byPolicy('filters').map(subjectFields)).toEqual([
      {
        repositoryName: undefined,
        ruleIndex: 0,
        signingProfileArn: approvedProfile,
        factsPath: '/rules/0/filters/1/matchCount',
      },
    ]);
    expect(byPolicy('filters')[0]?.message).toMatch(
      /^filter "gone\/\*" of the rule at index 0 \(profile arn/,
    );
    expect(byPolicy('profiles').map(subjectFields)).toEqual([
      {
        repositoryName: undefined,
        ruleIndex: undefined,
        signingProfileArn: otherProfile,
        factsPath: '/profiles/0/profileArn',
      },
    ]);
    expect(byPolicy('uncovered-list').map((f) => f.repositoryName)).toEqual(['web']);
    expect(byPolicy('api-rules').map((f) => [f.ruleIndex, f.signingProfileArn])).toEqual([[1, otherProfile]]);
    expect(byPolicy('registry').map(subjectFields)).toEqual([
      {
        repositoryName: undefined,
        ruleIndex: undefined,
        signingProfileArn: undefined,
        factsPath: '/counts/rules',
      },
    ]);
  });

  it('names the repository and the profile of a duplicate signing', () => {
    const duplicate = facts({
      signingConfiguration: { rules: [rule(approvedProfile, 'team/*'), rule(approvedProfile)] },
    });
    const set = compilePolicySet(
      [
        itemsPolicy('dup', 'repositories', {
          duplicateSigning: {
            type: 'array',
            items: {
              type: 'object',
              properties: { ruleIndexes: { type: 'array', maxItems: 1 } },
              errorMessage: '{repositoryName} twice by {signingProfileArn} through rules ${0/ruleIndexes}',
            },
          },
        }),
      ],
      [],
    );
    expect(
      evaluatePolicies(set, duplicate).map((f) => [f.repositoryName, f.signingProfileArn, f.message]),
    ).toEqual([['team/api', approvedProfile, `team/api twice by ${approvedProfile} through rules [0,1]`]]);
  });

  it('gives one finding for one violation however many checks it breaks', () => {
    const set = compilePolicySet(
      [
        itemsPolicy('strict-repository', 'repositories', {
          covered: { const: true },
          ruleIndexes: { type: 'array', minItems: 1 },
          signingProfileArns: { type: 'array', minItems: 1 },
        }),
        itemsPolicy(
          'strict-repository-worded',
          'repositories',
          { covered: { const: true }, ruleIndexes: { type: 'array', minItems: 1 } },
          '{repositoryName} is not signed',
        ),
      ],
      [],
    );
    const findings = evaluatePolicies(set, facts());
    expect(findings.map((f) => [f.policyId, f.repositoryName])).toEqual([
      ['strict-repository', 'web'],
      ['strict-repository-worded', 'web'],
    ]);
    expect(findings[1]!.message).toBe('web is not signed');
  });

  it('keeps the author message when the failing check sits in a $ref-ed schema wrapped in anyOf', () => {
    const shared = {
      source: 'shared.json',
      schema: {
        $id: 'https://x.dev/s.json',
        $defs: { approved: { type: 'string', const: approvedProfile } },
      },
    };
    const set = compilePolicySet(
      [
        itemsPolicy(
          'approved',
          'rules',
          { signingProfileArn: { anyOf: [{ $ref: 'https://x.dev/s.json#/$defs/approved' }] } },
          'rule {ruleIndex} uses {signingProfileArn}',
        ),
      ],
      [shared],
    );
    const other = facts({ signingConfiguration: { rules: [rule(approvedProfile), rule(otherProfile)] } });
    expect(evaluatePolicies(set, other).map((f) => f.message)).toEqual([`rule 1 uses ${otherProfile}`]);
  });

  it('finds nothing on a registry that meets every policy', async () => {
    const { policySet } = await loadPolicySet('policies');
    const compliant = buildFacts({
      accountId: '111122223333',
      region: 'us-east-1',
      signingConfiguration: { rules: [rule(approvedProfile)] },
      repositories: [{ repositoryName: 'team/api-prod', tags: { signing: 'required' } }],
      signingProfiles: [
        { profileArn: approvedProfile, status: 'Active', platformId: 'Notation-OCI-SHA384-ECDSA' },
      ],
    });
    expect(evaluatePolicies(policySet, compliant)).toEqual([]);
  });
});

describe('policy scope', () => {
  const scopedSet = (scope: PolicyScope) =>
    compilePolicySet(
      [policy('never-configured', { scope, properties: { signingConfigured: { const: false } } })],
      [],
    );
  const account = {
    organizationalUnitPath: ['r-ab12', 'ou-ab12-11111111', 'ou-ab12-22222222'],
    tags: { environment: 'production', team: 'payments' },
  };
  const inScope = (scope: PolicyScope) => evaluatePolicies(scopedSet(scope), facts({ account })).length === 1;

  it('applies a policy only to the accounts and regions it lists', () => {
    expect(inScope({ accounts: ['111122223333', '444455556666'] })).toBe(true);
    expect(inScope({ accounts: ['444455556666'] })).toBe(false);
    expect(inScope({ regions: ['us-east-1'] })).toBe(true);
    expect(inScope({ regions: ['eu-west-1'] })).toBe(false);
  });

  it('applies a policy to accounts anywhere below a listed organizational unit', () => {
    expect(inScope({ organizationalUnits: ['ou-ab12-11111111'] })).toBe(true);
    expect(inScope({ organizationalUnits: ['ou-ab12-33333333'] })).toBe(false);
    const unknownPlace = compilePolicySet(
      [
        policy('p', {
          scope: { organizationalUnits: ['r-ab12'] },
          properties: { signingConfigured: { const: false } },
        }),
      ],
      [],
    );
    expect(evaluatePolicies(unknownPlace, facts())).toEqual([]);
  });

  it('applies a policy to accounts whose tags carry an accepted value', () => {
    expect(inScope({ accountTags: { environment: 'production' } })).toBe(true);
    expect(inScope({ accountTags: { environment: ['staging', 'production'] } })).toBe(true);
    expect(inScope({ accountTags: { environment: 'staging' } })).toBe(false);
    expect(inScope({ accountTags: { owner: 'anyone' } })).toBe(false);
  });

  it('requires every criterion of a scope to hold', () => {
    expect(
      inScope({ accounts: ['111122223333'], regions: ['us-east-1'], accountTags: { team: 'payments' } }),
    ).toBe(true);
    expect(inScope({ accounts: ['111122223333'], regions: ['eu-west-1'] })).toBe(false);
  });
});

describe('finding fingerprints', () => {
  const rules = [
    rule(approvedProfile, 'team/*', 'gone/*'),
    rule(otherProfile, 'web', 'team/api-prod'),
    rule(approvedProfile, '*-prod'),
    rule('arn:aws:signer:eu-west-1:999988887777:/signing-profiles/eu_release', 'docs'),
  ];
  const repositories = [
    { repositoryName: 'team/api-prod' },
    { repositoryName: 'web' },
    { repositoryName: 'payments-prod', tags: { signing: 'required' } },
    { repositoryName: 'production/db' },
    { repositoryName: 'docs' },
  ];
  const signingProfiles = [{ profileArn: otherProfile, status: 'Revoked' as const, platformId: 'Other' }];

  it('stay the same whatever order repositories and rules are listed in', async () => {
    const { policySet } = await loadPolicySet('policies');
    const fingerprints = (snapshotRules: typeof rules, snapshotRepositories: typeof repositories) =>
      evaluatePolicies(
        policySet,
        buildFacts(
          registry({
            signingConfiguration: { rules: snapshotRules },
            repositories: snapshotRepositories,
            signingProfiles,
          }),
        ),
      )
        .map((f) => `${f.policyId} ${f.fingerprint}`)
        .sort();
    const original = fingerprints(rules, repositories);
    expect(new Set(original.map((f) => f.split(' ')[0])).size).toBeGreaterThanOrEqual(8);
    expect(new Set(original).size).toBe(original.length);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(rules, { minLength: rules.length }),
        fc.shuffledSubarray(repositories, { minLength: repositories.length }),
        (shuffledRules, shuffledRepositories) => {
          expect(fingerprints(shuffledRules, shuffledRepositories)).toEqual(original);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keep their value from release to release, so stored findings still match', () => {
    const set = compilePolicySet([itemsPolicy('covered', 'repositories', { covered: { const: true } })], []);
    expect(evaluatePolicies(set, facts()).map((f) => f.fingerprint)).toEqual(['59c9af90298083ab']);
  });

  it('do not depend on the message and differ between policies, registries and subjects', () => {
    const worded = (id: string, message: string) =>
      itemsPolicy(id, 'repositories', { covered: { const: true } }, message);
    const fingerprintOf = (documents: ReturnType<typeof worded>[], registryFacts = facts()) =>
      evaluatePolicies(compilePolicySet(documents, []), registryFacts).map((f) => f.fingerprint);
    const [first] = fingerprintOf([worded('covered', 'one wording')]);
    expect(fingerprintOf([worded('covered', 'another wording')])).toEqual([first]);
    expect(fingerprintOf([worded('covered-too', 'one wording')])).not.toEqual([first]);
    expect(fingerprintOf([worded('covered', 'one wording')], facts({ region: 'eu-west-1' }))).not.toEqual([
      first,
    ]);
    const twoUncovered = fingerprintOf(
      [worded('covered', 'x')],
      facts({ repositories: [{ repositoryName: 'web' }, { repositoryName: 'docs' }] }),
    );
    expect(twoUncovered).toContain(first);
    expect(new Set(twoUncovered).size).toBe(2);
  });
});

describe('subjectFingerprint', () => {
  it('gives a filter subject the fingerprint of its whole identity', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string(), { maxLength: 5 }),
        fc.string(),
        (arn, filters, filter) => {
          const head = ['filter', arn, filters];
          const subject = {
            kind: 'filter' as const,
            path: '/rules/0/filters/0',
            identity: [...head, filter],
            identityHead: head,
          };
          const expected = fingerprintOf('policy', '111122223333', 'us-east-1', subject.identity);
          expect(subjectFingerprint('policy', '111122223333', 'us-east-1', subject)).toBe(expected);
          // The head's hash is kept: a second filter of the same rule still gets its own.
          const other = { ...subject, identity: [...head, `${filter}x`] };
          expect(subjectFingerprint('policy', '111122223333', 'us-east-1', other)).toBe(
            fingerprintOf('policy', '111122223333', 'us-east-1', other.identity),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
