/**
 * Aho-Corasick automaton: finds which of many keys occur anywhere in a text in one
 * pass over the text, whatever the number of keys. Work per text is linear in its
 * length plus the number of distinct keys found.
 */
import { addChild, type CodeUnitChildren, childOf, childrenOf } from './code-unit-children.js';
import type { Appendable } from './scratch-list.js';

interface AutomatonNode<T> extends CodeUnitChildren<AutomatonNode<T>> {
  /** The node of the longest proper suffix of this node's text that is also a key prefix (undefined: root). */
  fail: AutomatonNode<T> | undefined;
  /** This node if it ends a key, else the nearest node along the fail chain that does. */
  report: AutomatonNode<T> | undefined;
  values: T[] | undefined;
  /** The scan that last reported this node: a key found twice in one text is reported once. */
  reportedInScan: number;
}

// A literal with every field, so all nodes share one hidden class and the scan stays monomorphic.
function newNode<T>(fail: AutomatonNode<T> | undefined): AutomatonNode<T> {
  return {
    onlyCode: -1,
    onlyChild: undefined,
    children: undefined,
    fail,
    report: undefined,
    values: undefined,
    reportedInScan: 0,
  };
}

export class SubstringAutomaton<T> {
  private readonly root: AutomatonNode<T> = newNode<T>(undefined);
  private scan = 0;

  /** Keys must not be empty (an empty key would occur in every text and belongs elsewhere). */
  constructor(entries: Iterable<readonly [key: string, value: T]>) {
    for (const [key, value] of entries) this.add(key, value);
    this.link();
  }

  /** Appends to `into` the values of every key that occurs in the text, each once. */
  collect(text: string, into: Appendable<T>): void {
    const scan = ++this.scan;
    const root = this.root;
    let state = root;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let target = childOf(state, code);
      while (target === undefined && state !== root) {
        state = state.fail!;
        target = childOf(state, code);
      }
      state = target ?? root;
      // A node already reported in this scan had its whole fail chain reported with it.
      for (let node = state.report; node !== undefined && node.reportedInScan !== scan; ) {
        node.reportedInScan = scan;
        for (const value of node.values!) into.push(value);
        node = node.fail!.report;
      }
    }
  }

  private add(key: string, value: T): void {
    if (key === '') throw new RangeError('SubstringAutomaton keys must not be empty');
    let state = this.root;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      let target = childOf(state, code);
      if (target === undefined) {
        target = newNode(this.root);
        addChild(state, code, target);
      }
      state = target;
    }
    if (state.values) state.values.push(value);
    else state.values = [value];
    state.report = state;
  }

  /** Breadth first, so every node's fail target (a shallower node) is linked before it. */
  private link(): void {
    const root = this.root;
    const queue = [...childrenOf(root)].map(([, child]) => child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of childrenOf(state)) {
        let fallback = state.fail!;
        while (fallback !== root && childOf(fallback, code) === undefined) fallback = fallback.fail!;
        child.fail = childOf(fallback, code) ?? root;
        child.report ??= child.fail.report;
        queue.push(child);
      }
    }
  }
}
