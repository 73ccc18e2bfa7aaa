/**
 * Wraps long lines at spaces to a width, for output read in a terminal. A continuation line
 * keeps the line's indentation and quoting (`  | `, a list item's `- ` becomes two spaces),
 * so wrapped alerts and lists stay readable; a word longer than the width (an ARN) is never cut.
 */

/** The indentation, `|` quoting and list marker a line starts with. */
const LEAD = /^(\s*(?:\|\s)?\s*(?:-\s)?)/;

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const lead = LEAD.exec(line)?.[1] ?? '';
  const continuation = lead.length > width / 2 ? '' : lead.replace(/-\s$/, '  ');
  const words = line.slice(lead.length).split(' ');
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  for (const word of words) {
    if (!empty && current.length + 1 + word.length > width) {
      lines.push(current);
      current = continuation;
      empty = true;
    }
    current += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines;
}

export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

/** The width to wrap output to: the terminal's, or COLUMNS when not a terminal; none (undefined) otherwise. */
export function outputWidth(
  stream: { isTTY?: boolean; columns?: number },
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const columns = Number(env['COLUMNS']);
  return Number.isInteger(columns) && columns >= 40 ? columns : undefined;
}
