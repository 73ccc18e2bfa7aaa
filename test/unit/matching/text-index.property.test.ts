import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharTrie } from '../../../functions/core/matching/char-trie.js';
import { SubstringAutomaton } from '../../../functions/core/matching/substring-automaton.js';
import { literalText } from '../../support/arbitraries.js';

const keysAndTexts = fc.record({
  keys: fc.array(literalText(5), { maxLength: 30 }),
  texts: fc.array(literalText(12), { minLength: 1, maxLength: 10 }),
});

/** Indexes of the keys found, ascending, so the comparison ignores discovery order. */
const sorted = (found: number[]) => [...found].sort((a, b) => a - b);

describe('SubstringAutomaton', () => {
  it('finds each key that occurs in the text exactly once, and no other', () => {
    fc.assert(
      fc.property(keysAndTexts, ({ keys, texts }) => {
        const nonEmpty = keys.filter((key) => key !== '');
        const automaton = new SubstringAutomaton(nonEmpty.map((key, i) => [key, i] as const));
        for (const text of texts) {
          const found: number[] = [];
          automaton.collect(text, found);
          const expected = nonEmpty.flatMap((key, i) => (text.includes(key) ? [i] : []));
          expect(sorted(found)).toEqual(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses an empty key', () => {
    expect(() => new SubstringAutomaton([['', 0]])).toThrow(RangeError);
  });
});

describe('CharTrie', () => {
  it('finds the keys a text starts with, or ends with when built from the end', () => {
    fc.assert(
      fc.property(keysAndTexts, ({ keys, texts }) => {
        const fromStart = new CharTrie<number>(false);
        const fromEnd = new CharTrie<number>(true);
        keys.forEach((key, i) => {
          fromStart.add(key, i);
          fromEnd.add(key, i);
        });
        for (const text of texts) {
          const starts: number[] = [];
          const ends: number[] = [];
          fromStart.collect(text, starts);
          fromEnd.collect(text, ends);
          expect(sorted(starts)).toEqual(keys.flatMap((key, i) => (text.startsWith(key) ? [i] : [])));
          expect(sorted(ends)).toEqual(keys.flatMap((key, i) => (text.endsWith(key) ? [i] : [])));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
