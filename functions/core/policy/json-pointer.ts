/** JSON Pointer (RFC 6901) segments: `~` and `/` inside a segment are escaped as `~0` and `~1`. */

export function escapePointerSegment(segment: string): string {
  return segment.includes('~') || segment.includes('/')
    ? segment.replace(/~/g, '~0').replace(/\//g, '~1')
    : segment;
}

export function unescapePointerSegment(segment: string): string {
  return segment.includes('~') ? segment.replace(/~1/g, '/').replace(/~0/g, '~') : segment;
}

/** Splits a pointer ("" or "/a/b") into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  const segments = pointer.slice(1).split('/');
  // Escapes are rare (repository names have no `~`); most pointers need no second pass.
  return pointer.includes('~') ? segments.map(unescapePointerSegment) : segments;
}

export function pointerOf(segments: readonly string[]): string {
  return segments.map((s) => `/${escapePointerSegment(s)}`).join('');
}
