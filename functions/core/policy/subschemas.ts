/**
 * Where a JSON Schema (draft 2020-12) keeps its subschemas, and which of them apply to the
 * same instance ("in place": allOf, anyOf, oneOf, not, if/then/else, dependentSchemas) rather
 * than to a part of it (properties, items, ...). Only in-place applicators can loop without
 * ever reading further into the data.
 */
import { escapePointerSegment } from './json-pointer.js';

const SINGLE = new Set([
  'items',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const MAP = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const IN_PLACE = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas']);

export interface Subschema {
  /** JSON pointer from the parent schema, e.g. `/allOf/0`. */
  pointer: string;
  schema: unknown;
  /** True when it applies to the parent's own instance. */
  inPlace: boolean;
}

/** The direct subschemas of a schema object (data keywords such as const and enum are not entered). */
export function subschemasOf(schema: unknown): Subschema[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  const found: Subschema[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const at = `/${escapePointerSegment(key)}`;
    const inPlace = IN_PLACE.has(key);
    if (SINGLE.has(key)) found.push({ pointer: at, schema: value, inPlace });
    else if (LIST.has(key) && Array.isArray(value)) {
      value.forEach((child, i) => {
        found.push({ pointer: `${at}/${i}`, schema: child, inPlace });
      });
    } else if (MAP.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [name, child] of Object.entries(value)) {
        found.push({ pointer: `${at}/${escapePointerSegment(name)}`, schema: child, inPlace });
      }
    }
  }
  return found;
}

/**
 * A copy of the schema with `change` applied to it and, bottom up, to every subschema
 * (data keywords are copied as they are). Objects are built with fromEntries, so a key
 * named `__proto__` stays a key.
 */
export function mapSchemas(
  schema: unknown,
  change: (schema: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (SINGLE.has(key)) return [key, mapSchemas(value, change)];
      if (LIST.has(key) && Array.isArray(value))
        return [key, value.map((child) => mapSchemas(child, change))];
      if (MAP.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return [
          key,
          Object.fromEntries(Object.entries(value).map(([name, child]) => [name, mapSchemas(child, change)])),
        ];
      }
      return [key, value];
    }),
  );
  return change(copy);
}
