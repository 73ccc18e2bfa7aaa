/**
 * Nesting depth of a JSON document, measured without recursion. Compiling a schema is
 * recursive (ajv's and ours), so a document nested deeper than any real policy is refused
 * before anything recurses into it, rather than overflowing the stack.
 */

/** Deeper than any policy a person writes (the shipped ones stay under 15). */
export const MAX_SCHEMA_NESTING = 128;

/** True when `value` nests objects or arrays more than `limit` levels deep. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}
