/**
 * Policy authors' messages. `errorMessage` in a policy is an annotation that ajv ignores;
 * after validation each error takes the message of the nearest schema location above it
 * that has one. One lookup per error, bounded by the schema's depth: ajv-errors does the
 * same work by scanning every error for every failing item, which is quadratic in the
 * number of failures (seconds for a registry with thousands of them).
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { escapePointerSegment, pointerSegments } from './json-pointer.js';

/** Schema location (ajv's schemaPath form, `#/properties/x/items`) -> message template. */
export type MessageTemplates = Readonly<Record<string, string>>;

/** Keywords whose values are data, not schemas: an `errorMessage` key inside them is not a message. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'scope', '$comment']);

/** Collects every `errorMessage` in a schema with the schemaPath ajv gives errors below it. */
export function collectMessageTemplates(schema: unknown): Record<string, string> {
  const templates: Record<string, string> = {};
  const visit = (node: unknown, location: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        visit(child, `${location}/${i}`);
      });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'errorMessage' && typeof value === 'string') templates[location] = value;
      else if (!DATA_KEYWORDS.has(key)) visit(value, `${location}/${escapePointerSegment(key)}`);
    }
  };
  visit(schema, '#');
  return templates;
}

/** Template pointers the engine can fill: absolute `${/a/b}` or relative to the subject `${0/a}`. */
const POINTER = /\$\{(0?)(\/[^}]*|)\}/g;

/** The first `${...}` in a template that is not a pointer the engine can fill, or null. */
export function unreadablePointer(template: string): string | null {
  for (const match of template.matchAll(/\$\{[^}]*\}/g)) {
    if (!/^\$\{0?(\/[^}]*)?\}$/.test(match[0]) || match[0] === '${}') return match[0];
  }
  return null;
}

/** The template for an error: that of the deepest location on its schemaPath that has one. */
export function templateFor(
  templates: MessageTemplates,
  schemaPath: string,
): { location: string; template: string } | null {
  let end = schemaPath.length;
  for (;;) {
    const location = schemaPath.slice(0, end);
    const template = templates[location];
    if (template !== undefined) return { location, template };
    end = schemaPath.lastIndexOf('/', end - 1);
    if (end <= 0) return null;
  }
}

/**
 * Replaces `${pointer}` in a template with the JSON of the value it points at:
 * `${/accountId}` from the facts root, `${0/status}` relative to `base` (the finding's subject).
 */
export function fillPointers(template: string, facts: unknown, base: string): string {
  if (!template.includes('${')) return template;
  return template.replace(POINTER, (text, relative: string, pointer: string) => {
    const value = resolvePointer(facts, relative ? `${base}${pointer}` : pointer);
    return value === undefined ? text : JSON.stringify(value);
  });
}

function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const segment of pointerSegments(pointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Errors as the findings see them: `message` filled from the author's template where one applies. */
export function authoredErrors(errors: readonly ErrorObject[], templates: MessageTemplates): ErrorObject[] {
  return errors.map((error) => {
    const found = templateFor(templates, error.schemaPath);
    return found
      ? {
          ...error,
          keyword: 'errorMessage',
          schemaPath: `${found.location}/errorMessage`,
          message: found.template,
        }
      : error;
  });
}
