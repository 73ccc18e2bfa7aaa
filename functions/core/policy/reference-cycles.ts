/**
 * Finds `$ref` cycles that evaluation could never leave: a schema that reaches itself again
 * through `$ref` and in-place applicators only (a policy referring to its own `$id`, shared
 * schemas A -> B -> A), without reading into a property or an item on the way. ajv compiles
 * such a schema and then overflows the stack on the first registry. Recursion that reads
 * deeper into the data (a tree schema) ends with the data and is left alone.
 */
import { pointerSegments } from './json-pointer.js';
import { subschemasOf } from './subschemas.js';

export interface ReferenceDocument {
  id: string;
  source: string;
  schema: unknown;
}

export interface ReferenceCycle {
  /** The file whose schema starts the cycle. */
  source: string;
  /** Locations on the cycle, `id` or `id#/pointer`, first repeated at the end. */
  locations: string[];
}

interface SchemaNode {
  document: ReferenceDocument;
  pointer: string;
  schema: object;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The first cycle found (documents in order), or null. */
export function findReferenceCycle(documents: readonly ReferenceDocument[]): ReferenceCycle | null {
  const byId = new Map(documents.map((d) => [d.id, d]));
  const nodes = new Map<object, SchemaNode>();
  const nodeOf = (document: ReferenceDocument, pointer: string, schema: unknown): SchemaNode | null => {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
    let node = nodes.get(schema);
    if (!node) {
      node = { document, pointer, schema };
      nodes.set(schema, node);
    }
    return node;
  };
  const edgesOf = (node: SchemaNode): SchemaNode[] => {
    const next: SchemaNode[] = [];
    for (const child of subschemasOf(node.schema)) {
      const childNode = child.inPlace
        ? nodeOf(node.document, node.pointer + child.pointer, child.schema)
        : null;
      if (childNode) next.push(childNode);
    }
    const reference = (node.schema as Record<string, unknown>)['$ref'];
    const target = typeof reference === 'string' ? resolveReference(reference, node.document.id, byId) : null;
    const targetNode = target && nodeOf(target.document, target.pointer, target.schema);
    if (targetNode) next.push(targetNode);
    return next;
  };

  const done = new Set<SchemaNode>();
  for (const document of documents) {
    for (const start of allNodes(document, nodeOf)) {
      if (done.has(start)) continue;
      // Iterative depth-first search: the path is the stack, so a cycle is a path member met again.
      const onPath = new Map<SchemaNode, number>([[start, 0]]);
      const path: { node: SchemaNode; edges: SchemaNode[]; next: number }[] = [
        { node: start, edges: edgesOf(start), next: 0 },
      ];
      while (path.length > 0) {
        const top = path[path.length - 1]!;
        const child = top.edges[top.next++];
        if (child === undefined) {
          done.add(top.node);
          onPath.delete(top.node);
          path.pop();
          continue;
        }
        const seenAt = onPath.get(child);
        if (seenAt !== undefined) {
          const cycle = path.slice(seenAt).map((entry) => entry.node);
          return {
            source: cycle[0]!.document.source,
            locations: [...cycle, child].map(locationOf),
          };
        }
        if (done.has(child)) continue;
        onPath.set(child, path.length);
        path.push({ node: child, edges: edgesOf(child), next: 0 });
      }
    }
  }
  return null;
}

/** Every schema object of a document, its root first. */
function allNodes(
  document: ReferenceDocument,
  nodeOf: (document: ReferenceDocument, pointer: string, schema: unknown) => SchemaNode | null,
): SchemaNode[] {
  const found: SchemaNode[] = [];
  const pending: { pointer: string; schema: unknown }[] = [{ pointer: '', schema: document.schema }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const node = nodeOf(document, next.pointer, next.schema);
    if (!node) continue;
    found.push(node);
    for (const child of subschemasOf(next.schema)) {
      pending.push({ pointer: next.pointer + child.pointer, schema: child.schema });
    }
  }
  return found;
}

function locationOf(node: SchemaNode): string {
  return node.pointer === '' ? node.document.id : `${node.document.id}#${node.pointer}`;
}

/** The loaded schema a `$ref` points to; null for what this check cannot follow (anchors, other ids). */
function resolveReference(
  reference: string,
  baseId: string,
  byId: ReadonlyMap<string, ReferenceDocument>,
): { document: ReferenceDocument; pointer: string; schema: unknown } | null {
  const hash = reference.indexOf('#');
  const uri = hash === -1 ? reference : reference.slice(0, hash);
  const fragment = hash === -1 ? '' : reference.slice(hash + 1);
  if (fragment !== '' && !fragment.startsWith('/')) return null;
  let documentId = baseId;
  if (uri !== '') {
    if (SCHEME.test(uri) || !SCHEME.test(baseId)) documentId = uri;
    else {
      try {
        documentId = new URL(uri, baseId).href;
      } catch {
        return null;
      }
    }
  }
  const document = byId.get(documentId);
  if (!document) return null;
  let pointer: string;
  try {
    pointer = decodeURIComponent(fragment);
  } catch {
    return null;
  }
  let schema: unknown = document.schema;
  for (const segment of pointerSegments(pointer)) {
    if (typeof schema !== 'object' || schema === null || !Object.hasOwn(schema, segment)) return null;
    schema = (schema as Record<string, unknown>)[segment];
  }
  return { document, pointer, schema };
}
