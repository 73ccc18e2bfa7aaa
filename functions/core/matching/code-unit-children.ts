/**
 * Children of a trie node keyed by UTF-16 code unit. Most nodes of a filter trie have
 * a single child (filters share long runs such as `team-` or `/service-`), so that
 * child sits in two plain fields and a Map appears only where the keys branch: a field
 * comparison is several times cheaper than a Map lookup on the hot walk.
 */
export interface CodeUnitChildren<Node> {
  /** The code unit of the only child, or -1. */
  onlyCode: number;
  onlyChild: Node | undefined;
  /** Children by code unit, once there are two or more. */
  children: Map<number, Node> | undefined;
}

export function childOf<Node>(node: CodeUnitChildren<Node>, code: number): Node | undefined {
  return node.onlyCode === code ? node.onlyChild : node.children?.get(code);
}

export function addChild<Node>(node: CodeUnitChildren<Node>, code: number, child: Node): void {
  if (node.onlyChild === undefined && node.children === undefined) {
    node.onlyCode = code;
    node.onlyChild = child;
    return;
  }
  if (node.onlyChild !== undefined) {
    node.children = new Map([[node.onlyCode, node.onlyChild]]);
    node.onlyCode = -1;
    node.onlyChild = undefined;
  }
  node.children!.set(code, child);
}

/** Every (code unit, child) pair, in insertion order. */
export function childrenOf<Node>(node: CodeUnitChildren<Node>): Iterable<[number, Node]> {
  if (node.onlyChild !== undefined) return [[node.onlyCode, node.onlyChild]];
  return node.children ?? [];
}
