/**
 * Policy authors' messages. `errorMessage` in a policy is an annotation that ajv ignores;
 * after validation each error takes the message of the nearest schema location above it
 * that has one. One lookup per error, bounded by the schema's depth: ajv-errors does the
 * same work by scanning every error for every failing item, which is quadratic in the
 * number of failures (seconds for a registry with thousands of them).
 */
import type { RegistryFacts } from '../types.js';
import { escapePointerSegment, pointerSegments } from './json-pointer.js';
import { describeSubject, type Subject } from './subject.js';

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

/** A message split once into literal text, `${pointer}` values and `{name}` placeholders. */
export type TemplatePart =
  | string
  | { pointer: readonly string[]; relative: boolean; text: string }
  | { name: PlaceholderName; text: string };

/** An author's template for one schema location, ready to fill. */
export interface AuthoredTemplate {
  location: string;
  template: string;
  parts: readonly TemplatePart[];
}

const PLACEHOLDER_NAMES = [
  'accountId',
  'region',
  'registry',
  'subject',
  'repositoryName',
  'ruleIndex',
  'filter',
  'signingProfileArn',
  'imageDigest',
  'imageTags',
] as const;
type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];
const KNOWN_NAMES: ReadonlySet<string> = new Set(PLACEHOLDER_NAMES);

/**
 * Splits a template: `${pointer}` first (JSON values), then plain `{name}` placeholders in
 * the text between them. Unknown names stay literal text, as written.
 */
export function compileTemplate(template: string, pointers = true): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const addText = (text: string): void => {
    let last = 0;
    for (const match of text.matchAll(/\{([A-Za-z]+)\}/g)) {
      if (!KNOWN_NAMES.has(match[1]!)) continue;
      if (match.index > last) parts.push(text.slice(last, match.index));
      parts.push({ name: match[1] as PlaceholderName, text: match[0] });
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
  };
  if (!pointers || !template.includes('${')) {
    addText(template);
    return parts;
  }
  let last = 0;
  for (const match of template.matchAll(POINTER)) {
    addText(template.slice(last, match.index));
    parts.push({ pointer: pointerSegments(match[2]!), relative: match[1] === '0', text: match[0] });
    last = match.index + match[0].length;
  }
  addText(template.slice(last));
  return parts;
}

const lookups = new WeakMap<MessageTemplates, Map<string, AuthoredTemplate | null>>();

/**
 * templateFor, compiled and remembered per schemaPath: a policy has a handful of schema
 * locations and a registry can fail them thousands of times.
 */
export function authoredTemplateFor(
  templates: MessageTemplates,
  schemaPath: string,
): AuthoredTemplate | null {
  let bySchemaPath = lookups.get(templates);
  if (!bySchemaPath) {
    bySchemaPath = new Map();
    lookups.set(templates, bySchemaPath);
  }
  let found = bySchemaPath.get(schemaPath);
  if (found === undefined) {
    const raw = templateFor(templates, schemaPath);
    found = raw ? { ...raw, parts: compileTemplate(raw.template) } : null;
    bySchemaPath.set(schemaPath, found);
  }
  return found;
}

/**
 * Fills a compiled template for a subject: `${/accountId}` from the facts root, `${0/status}`
 * relative to the subject, `{name}` from the subject. A value that is not there leaves the
 * placeholder as written, so a policy test shows it.
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  facts: RegistryFacts,
  subject: Subject,
): string {
  let text = '';
  let subjectNode: unknown;
  let subjectResolved = false;
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else if ('pointer' in part) {
      let value: unknown;
      if (part.relative) {
        if (!subjectResolved) {
          subjectNode = resolveSegments(facts, pointerSegments(subject.path));
          subjectResolved = true;
        }
        value = resolveSegments(subjectNode, part.pointer);
      } else {
        value = resolveSegments(facts, part.pointer);
      }
      text += value === undefined ? part.text : JSON.stringify(value);
    } else {
      text += placeholderValue(part.name, subject, facts) ?? part.text;
    }
  }
  return text;
}

function resolveSegments(document: unknown, segments: readonly string[]): unknown {
  let node = document;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function placeholderValue(name: PlaceholderName, subject: Subject, facts: RegistryFacts): string | undefined {
  switch (name) {
    case 'accountId':
      return facts.accountId;
    case 'region':
      return facts.region;
    case 'registry':
      return `${facts.accountId}/${facts.region}`;
    case 'subject':
      return describeSubject(subject, facts);
    case 'repositoryName':
      return subject.repositoryName;
    case 'ruleIndex':
      return subject.ruleIndex === undefined ? undefined : String(subject.ruleIndex);
    case 'filter':
      return subject.filter;
    case 'signingProfileArn':
      return subject.signingProfileArn;
    case 'imageDigest':
      return subject.imageDigest;
    case 'imageTags':
      return subject.imageDigest === undefined ? undefined : imageTagsOf(subject, facts);
  }
}

/** The tags of the subject's image, comma-separated, or `untagged`. */
function imageTagsOf(subject: Subject, facts: RegistryFacts): string {
  const repository = facts.repositories.find((r) => r.repositoryName === subject.repositoryName);
  const tags = repository?.images.find((i) => i.imageDigest === subject.imageDigest)?.imageTags ?? [];
  return tags.length > 0 ? tags.join(',') : 'untagged';
}
