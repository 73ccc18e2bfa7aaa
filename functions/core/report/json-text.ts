/**
 * Pieces of pretty-printed JSON (two-space indent, as `JSON.stringify(value, null, 2)`)
 * that can be written one at a time: a streamed report concatenates them into the same
 * text the whole document would give, without ever holding it as one string.
 */

const pad = (depth: number) => '  '.repeat(depth);

/** `value` as it appears at `depth` inside a pretty-printed document. */
export function jsonAt(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // JSON strings never hold a raw newline, so every newline here is layout.
  return depth === 0 ? text : text.replaceAll('\n', `\n${pad(depth)}`);
}

/**
 * One element of an array whose elements sit at `depth`, always with a leading comma:
 * the writer drops the comma of an array's first element (see ELEMENT_SEPARATOR_LENGTH).
 */
export function arrayElement(value: unknown, depth: number): string {
  return `,\n${pad(depth)}${jsonAt(value, depth)}`;
}

/** How many characters (and bytes) of an array's first element to skip: its comma. */
export const ELEMENT_SEPARATOR_LENGTH = 1;

/** What closes an array whose elements sit at `depth` and that has `count` of them. */
export function arrayEnd(depth: number, count: number): string {
  return count === 0 ? ']' : `\n${pad(depth - 1)}]`;
}

/** `"key": ` at `depth`, after the comma and newline that separate it from the member before. */
export function memberKey(key: string, depth: number, first: boolean): string {
  return `${first ? '' : ','}\n${pad(depth)}${JSON.stringify(key)}: `;
}
