import { describe, expect, it } from 'vitest';
import { findReferenceCycle } from '../../../functions/core/policy/reference-cycles.js';

const document = (id: string, schema: Record<string, unknown>) => ({ id, source: `${id}.json`, schema });

describe('findReferenceCycle', () => {
  it('finds a definition that refers to itself through an applicator', () => {
    const cycle = findReferenceCycle([
      document('p', { $defs: { loop: { anyOf: [{ $ref: '#/$defs/loop' }] } }, $ref: '#/$defs/loop' }),
    ]);
    expect(cycle).toEqual({
      source: 'p.json',
      locations: ['p#/$defs/loop', 'p#/$defs/loop/anyOf/0', 'p#/$defs/loop'],
    });
  });

  it('leaves recursion that reads deeper into the data alone', () => {
    const tree = document('https://x.dev/tree.json', {
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#' } } },
    });
    const user = document('p', { properties: { repositories: { $ref: 'https://x.dev/tree.json' } } });
    expect(findReferenceCycle([tree, user])).toBeNull();
  });

  it('resolves relative references against an absolute base id', () => {
    const a = document('https://x.dev/s/a.json', { $ref: 'b.json#/$defs/back' });
    const b = document('https://x.dev/s/b.json', { $defs: { back: { not: { $ref: 'a.json' } } } });
    expect(findReferenceCycle([a, b])?.locations).toEqual([
      'https://x.dev/s/a.json',
      'https://x.dev/s/b.json#/$defs/back',
      'https://x.dev/s/b.json#/$defs/back/not',
      'https://x.dev/s/a.json',
    ]);
  });
});
