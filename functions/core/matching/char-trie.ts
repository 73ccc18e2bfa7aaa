/**
 * A trie over UTF-16 code units that finds every stored key a text starts with
 * (or, built `fromEnd`, ends with) in one walk no longer than the text or the
 * longest key.
 */
import { addChild, type CodeUnitChildren, childOf } from './code-unit-children.js';
import type { Appendable } from './scratch-list.js';

interface TrieNode<T> extends CodeUnitChildren<TrieNode<T>> {
  values: T[] | undefined;
}

// A literal with every field, so all nodes share one hidden class and the walk stays monomorphic.
const newNode = <T>(): TrieNode<T> => ({
  onlyCode: -1,
  onlyChild: undefined,
  children: undefined,
  values: undefined,
});

export class CharTrie<T> {
  private readonly root: TrieNode<T> = newNode();

  /** `fromEnd`: keys are read back to front, so lookups find the keys a text ends with. */
  constructor(private readonly fromEnd: boolean) {}

  add(key: string, value: T): void {
    let node = this.root;
    for (let step = 0; step < key.length; step++) {
      const code = key.charCodeAt(this.fromEnd ? key.length - 1 - step : step);
      let child = childOf(node, code);
      if (!child) {
        child = newNode();
        addChild(node, code, child);
      }
      node = child;
    }
    if (node.values) node.values.push(value);
    else node.values = [value];
  }

  /** Appends to `into` the values of every key the text starts with (ends with, `fromEnd`). */
  collect(text: string, into: Appendable<T>): void {
    let node: TrieNode<T> | undefined = this.root;
    for (let step = 0; ; step++) {
      if (node.values) for (const value of node.values) into.push(value);
      if (step === text.length) return;
      node = childOf(node, text.charCodeAt(this.fromEnd ? text.length - 1 - step : step));
      if (!node) return;
    }
  }
}
