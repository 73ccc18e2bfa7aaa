/**
 * Lint warnings: what ajv's strictTypes, strictRequired and strictTuples notice in a schema
 * that is valid JSON Schema and means what its author wrote (a `required` without a matching
 * `properties` entry, `properties` without `"type": "object"`, a tuple without bounds).
 * They never stop a policy from loading; `policies validate` prints them and
 * `policies validate --strict` fails on them.
 */

export interface LintWarning {
  /** The file of the schema the warning is about. */
  source: string;
  /** JSON pointer into that schema ("" for its root). */
  pointer: string;
  rule: 'strictTypes' | 'strictRequired' | 'strictTuples';
  /** What is missing and what to add. */
  message: string;
}

const LOCATION = / at (?:path )?"([^"]*)"/;
const RULE = /\((strictTypes|strictRequired|strictTuples)\)\s*$/;

/** Turns one of ajv's strict-mode log lines into a warning on `source`; null for anything else. */
export function lintWarningOf(source: string, logged: string): LintWarning | null {
  const text = logged.replace(/^strict mode: /, '');
  const location = LOCATION.exec(text)?.[1] ?? '';
  const hash = location.indexOf('#');
  const pointer = decodePointer(hash === -1 ? location : location.slice(hash + 1));
  const rule = RULE.exec(text)?.[1] as LintWarning['rule'] | undefined;
  const missingType = /missing type "([^"]+)" for keyword "([^"]+)"/.exec(text);
  const required = /required property "([^"]+)" is not defined/.exec(text);
  if (missingType) {
    return {
      source,
      pointer,
      rule: 'strictTypes',
      message: `"${missingType[2]}" without "type": add "type": "${missingType[1]}"`,
    };
  }
  if (required) {
    return {
      source,
      pointer,
      rule: 'strictRequired',
      message: `required "${required[1]}" has no "properties" entry: add "properties": { "${required[1]}": {} }`,
    };
  }
  if (!rule) return null;
  const detail = text.replace(LOCATION, '').replace(RULE, '').trim();
  const advice =
    rule === 'strictTuples' ? 'set "minItems" and "items": false (or "maxItems") to the tuple length' : '';
  return { source, pointer, rule, message: advice ? `${detail}: ${advice}` : detail };
}

/** One line: file, pointer, what to add, and the ajv option that noticed it. */
export function describeLintWarning(warning: LintWarning): string {
  return `${warning.source}: ${warning.pointer || '(root)'}: ${warning.message} (${warning.rule})`;
}

function decodePointer(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}
