/**
 * Aho-Corasick automaton: finds which of many keys occur anywhere in a text in one
 * pass over the text, whatever the number of keys. Work per text is linear in its
 * length plus the number of distinct keys found.
 */
export class SubstringAutomaton<T> {
  private readonly next: Map<number, number>[] = [new Map()];
  /** The node of the longest proper suffix of this node's text that is also a key prefix. */
  private readonly fail: number[] = [0];
  /** This node if it ends a key, else the nearest node along the fail chain that does, else -1. */
  private readonly report: number[] = [-1];
  private readonly values: (T[] | undefined)[] = [undefined];
  /** The scan that last reported a node: a key found twice in one text is reported once. */
  private readonly reportedInScan: number[] = [0];
  private scan = 0;

  /** Keys must not be empty (an empty key would occur in every text and belongs elsewhere). */
  constructor(entries: Iterable<readonly [key: string, value: T]>) {
    for (const [key, value] of entries) this.add(key, value);
    this.link();
  }

  /** Appends to `into` the values of every key that occurs in the text, each once. */
  collect(text: string, into: T[]): void {
    const scan = ++this.scan;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let target = this.next[state]!.get(code);
      while (target === undefined && state !== 0) {
        state = this.fail[state]!;
        target = this.next[state]!.get(code);
      }
      state = target ?? 0;
      // A node already reported in this scan had its whole fail chain reported with it.
      for (let node = this.report[state]!; node !== -1 && this.reportedInScan[node] !== scan; ) {
        this.reportedInScan[node] = scan;
        for (const value of this.values[node]!) into.push(value);
        node = this.report[this.fail[node]!]!;
      }
    }
  }

  private add(key: string, value: T): void {
    if (key === '') throw new RangeError('SubstringAutomaton keys must not be empty');
    let state = 0;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      let target = this.next[state]!.get(code);
      if (target === undefined) {
        target = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.report.push(-1);
        this.values.push(undefined);
        this.reportedInScan.push(0);
        this.next[state]!.set(code, target);
      }
      state = target;
    }
    const values = this.values[state];
    if (values) values.push(value);
    else this.values[state] = [value];
    this.report[state] = state;
  }

  /** Breadth first, so every node's fail target (a shallower node) is linked before it. */
  private link(): void {
    const queue = [...this.next[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of this.next[state]!) {
        let fallback = this.fail[state]!;
        while (fallback !== 0 && !this.next[fallback]!.has(code)) fallback = this.fail[fallback]!;
        this.fail[child] = this.next[fallback]!.get(code) ?? 0;
        if (this.report[child] === -1) this.report[child] = this.report[this.fail[child]!]!;
        queue.push(child);
      }
    }
  }
}
