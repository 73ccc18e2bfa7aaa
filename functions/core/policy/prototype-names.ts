/**
 * `constructor`, `__proto__`, `toString` and the other names every JavaScript object
 * inherits: ajv looks keywords and schema ids up in plain objects, so it takes such a
 * keyword for a known one (and ignores it) and such an `$id` for one already added. Found
 * here first, they are what they are for any other name: an unknown keyword, or an id
 * that cannot be used. As property names they work: ajv reads only own properties
 * (`ownProperties`), and a `properties` entry named `__proto__`, which ajv skips, is
 * given to ajv as the same subschema under `patternProperties` `^__proto__$`.
 */
import { mapSchemas, subschemasOf } from './subschemas.js';

const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A name an empty object already answers to. */
export function isInheritedName(name: string): boolean {
  return INHERITED.has(name);
}

/** The JSON pointer and name of the first keyword that is an inherited name, or null. */
export function findInheritedKeyword(schema: unknown, at = ''): { pointer: string; keyword: string } | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
  const keyword = Object.keys(schema).find(isInheritedName);
  if (keyword !== undefined) return { pointer: at || '(root)', keyword };
  for (const child of subschemasOf(schema)) {
    const found = findInheritedKeyword(child.schema, `${at}${child.pointer}`);
    if (found) return found;
  }
  return null;
}

const PROTO_PATTERN = '^__proto__$';

/** The schema as ajv applies it to a property named `__proto__` (see above). */
export function withProtoPropertyAsPattern(schema: unknown): unknown {
  return mapSchemas(schema, (node) => {
    const properties = node['properties'];
    if (typeof properties !== 'object' || properties === null || !Object.hasOwn(properties, '__proto__')) {
      return node;
    }
    const entries = Object.entries(properties);
    const proto = entries.find(([name]) => name === '__proto__')![1];
    const patterns = (node['patternProperties'] ?? {}) as Record<string, unknown>;
    const existing = Object.hasOwn(patterns, PROTO_PATTERN) ? patterns[PROTO_PATTERN] : undefined;
    return Object.fromEntries([
      ...Object.entries(node).filter(([key]) => key !== 'properties' && key !== 'patternProperties'),
      ['properties', Object.fromEntries(entries.filter(([name]) => name !== '__proto__'))],
      [
        'patternProperties',
        { ...patterns, [PROTO_PATTERN]: existing === undefined ? proto : { allOf: [existing, proto] } },
      ],
    ]);
  });
}
