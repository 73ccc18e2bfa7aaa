import { describe, expect, it } from 'vitest';
import { PolicyLoadError } from '../../../functions/core/errors.js';
import type { SchemaDocument } from '../../../functions/core/policy/index.js';
import { compilePolicySet, evaluatePolicies } from '../../../functions/core/policy/index.js';
import { facts, policy } from './helpers.js';

const sharedId = 'https://policies.example.dev/shared/names.json';
const shared: SchemaDocument = {
  source: 'shared/names.json',
  schema: { $id: sharedId, $defs: { teamName: { type: 'string', pattern: '^team/' } } },
};

function loadError(documents: SchemaDocument[], sharedSchemas: SchemaDocument[] = []): PolicyLoadError {
  try {
    compilePolicySet(documents, sharedSchemas);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyLoadError);
    return error as PolicyLoadError;
  }
  throw new Error('expected the policy set to be rejected');
}

describe('compilePolicySet', () => {
  it('reads each policy metadata from its schema', () => {
    const set = compilePolicySet(
      [
        policy('a', { severity: 'critical', scope: { regions: ['eu-west-1'] } }),
        policy('b', { title: undefined }),
      ],
      [shared],
    );
    expect(set.policies.map(({ validate: _, ...metadata }) => metadata)).toEqual([
      {
        id: 'a',
        title: 'Policy a',
        description: 'test policy',
        severity: 'critical',
        scope: { regions: ['eu-west-1'] },
        source: 'a.policy.json',
        messages: {},
      },
      {
        id: 'b',
        title: 'b',
        description: 'test policy',
        severity: 'high',
        scope: null,
        source: 'b.policy.json',
        messages: {},
      },
    ]);
    expect(set.sharedSchemaIds).toEqual([sharedId]);
  });

  it('resolves $ref to a shared schema and to the facts schema definitions', () => {
    const set = compilePolicySet(
      [
        policy('shared-ref', {
          properties: {
            repositories: {
              type: 'array',
              items: {
                type: 'object',
                properties: { repositoryName: { $ref: `${sharedId}#/$defs/teamName` } },
              },
            },
          },
        }),
        policy('facts-ref', {
          properties: {
            profiles: {
              type: 'array',
              items: { $ref: 'https://schemas.ecr-sign-drift.dev/facts/v2.json#/$defs/profile' },
            },
          },
        }),
      ],
      [shared],
    );
    const findings = evaluatePolicies(set, facts());
    expect(findings.map((f) => [f.policyId, f.repositoryName])).toEqual([['shared-ref', 'web']]);
  });

  it.each([
    [
      'an unknown keyword',
      { properties: { x: { typ: 'string' } } },
      /^bad\.policy\.json: invalid schema: strict mode: unknown keyword: "typ" at \/properties\/x$/,
    ],
    [
      'a wrong type name',
      { properties: { x: { type: 'strin' } } },
      /^bad\.policy\.json: invalid schema: \/properties\/x\/type must be equal to one of the allowed values/,
    ],
    [
      'a missing severity',
      { severity: undefined },
      /^bad\.policy\.json: missing severity: set "severity" to one of critical, high/,
    ],
    ['an unknown severity', { severity: 'urgent' }, /^bad\.policy\.json: unknown severity "urgent"/],
    ['a missing $id', { $id: undefined }, /^bad\.policy\.json: missing \$id/],
    [
      'an $id that is not a policy id',
      { $id: 'https://x.dev/p.json' },
      /^bad\.policy\.json: \$id "https:\/\/x\.dev\/p\.json" is not a policy id/,
    ],
    [
      'a remote $ref',
      { properties: { x: { $ref: 'https://evil.example.com/schema.json' } } },
      /^bad\.policy\.json: \$ref "https:\/\/evil\.example\.com\/schema\.json" is not among the loaded schemas/,
    ],
    [
      'a $ref to a file that was not loaded',
      { properties: { x: { $ref: 'other.json#/$defs/x' } } },
      /^bad\.policy\.json: \$ref "other\.json#\/\$defs\/x" is not among the loaded schemas/,
    ],
    [
      'a $ref to nothing in its own document',
      { properties: { x: { $ref: '#/$defs/missing' } } },
      /^bad\.policy\.json: \$ref "bad-policy#\/\$defs\/missing" points to nothing/,
    ],
    [
      'a $ref to nothing in a shared schema',
      { properties: { x: { $ref: `${sharedId}#/$defs/missing` } } },
      /^bad\.policy\.json: \$ref "https:\/\/policies\.example\.dev\/shared\/names\.json#\/\$defs\/missing" points to nothing/,
    ],
    [
      'an invalid scope',
      { scope: { accounts: ['1234'] } },
      /^bad\.policy\.json: \/scope\/accounts\/0 must match pattern/,
    ],
    [
      'an unknown scope criterion',
      { scope: { environments: ['prod'] } },
      /^bad\.policy\.json: \/scope must NOT have additional properties 'environments'/,
    ],
    ['another JSON Schema dialect', { $schema: 'http://json-schema.org/draft-07/schema#' }, /draft 2020-12/],
  ])('rejects %s with one line naming the file', (_case, body, expected) => {
    const error = loadError([policy('good'), policy('bad-policy', body, 'bad.policy.json')], [shared]);
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain('\n');
  });

  it('locates an unknown keyword inside combinators and lists, not inside data', () => {
    const body = {
      properties: {
        region: { enum: [{ maxitems: 1 }] },
        repositories: {
          type: 'array',
          items: { anyOf: [{ type: 'object' }, { type: 'object', maxitems: 1 }] },
        },
      },
    };
    expect(loadError([policy('deep', body)]).message).toBe(
      'deep.policy.json: invalid schema: strict mode: unknown keyword: "maxitems" at /properties/repositories/items/anyOf/1',
    );
  });

  it('rejects a scope keyword of the wrong shape inside a subschema', () => {
    const error = loadError([policy('nested', { properties: { accountId: { type: 'string', scope: [] } } })]);
    expect(error.message).toMatch(/^nested\.policy\.json: invalid schema: keyword "scope" value is invalid/);
  });

  it('rejects a document that is not a JSON object', () => {
    expect(loadError([{ source: 'list.policy.json', schema: [] }]).message).toBe(
      'list.policy.json: is not a JSON Schema object (a policy must be a JSON object)',
    );
  });

  it('rejects two policies with the same id, naming both files', () => {
    const error = loadError([policy('same', {}, 'one.policy.json'), policy('same', {}, 'two.policy.json')]);
    expect(error.message).toBe('two.policy.json: duplicate $id "same" (also used by one.policy.json)');
  });

  it('rejects a shared schema that reuses an id', () => {
    const twin = { source: 'shared/twin.json', schema: { $id: sharedId } };
    expect(loadError([policy('a')], [shared, twin]).message).toBe(
      `shared/twin.json: duplicate $id "${sharedId}" (also used by shared/names.json)`,
    );
    const facts = {
      source: 'shared/facts.json',
      schema: { $id: 'https://schemas.ecr-sign-drift.dev/facts/v2.json' },
    };
    expect(loadError([policy('a')], [facts]).message).toMatch(/also used by the built-in facts schema/);
  });

  it('blames a broken shared definition on the shared file, not on the policy using it', () => {
    const broken = {
      source: 'shared/broken.json',
      schema: { $id: 'https://x.dev/broken.json', $defs: { name: { type: 'string', patern: 'x' } } },
    };
    const user = policy('user', {
      properties: { region: { $ref: 'https://x.dev/broken.json#/$defs/name' } },
    });
    expect(loadError([user], [broken]).message).toBe(
      'shared/broken.json: invalid schema: strict mode: unknown keyword: "patern" at /$defs/name',
    );
  });

  it('rejects a shared schema without $id and one that carries a severity', () => {
    expect(loadError([policy('a')], [{ source: 's.json', schema: { $defs: {} } }]).message).toMatch(
      /^s\.json: missing \$id/,
    );
    expect(
      loadError([policy('a')], [{ source: 's.json', schema: { $id: 'x', severity: 'high' } }]).message,
    ).toMatch(/^s\.json: has a severity but is not a policy: name policy files \*\.policy\.json/);
  });

  it('rejects an errorMessage template that points nowhere it can read', () => {
    const error = loadError([policy('template', { errorMessage: 'bad ${9/x}' })]);
    expect(error.message).toBe(
      "template.policy.json: errorMessage at #: '${9/x}' must be ${/pointer} (from the facts root) or ${0/pointer} (from the finding's subject)",
    );
  });
});
