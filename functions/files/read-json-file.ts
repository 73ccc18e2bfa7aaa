/**
 * Reads a JSON file for any command or loader. Every failure becomes one line naming the
 * file (not found, a directory, unreadable, invalid JSON with line and column), raised as
 * the caller's InvalidInputError subclass so entry points print it and exit 2.
 */
import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../core/errors.js';

export type InputErrorClass = new (message: string, options?: ErrorOptions) => InvalidInputError;

const READ_PROBLEMS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory, not a JSON file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** What a failed read of a file means, in a few words. */
export function describeReadProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return READ_PROBLEMS[code] ?? `cannot be read (${(error as Error).message})`;
}

/** Reads and parses the file; throws `errorClass` (default InvalidInputError) naming the file. */
export async function readJsonFile(
  path: string,
  errorClass: InputErrorClass = InvalidInputError,
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new errorClass(`${path}: ${describeReadProblem(error)}`, { cause: error });
  }
  return parseJsonText(text, path, errorClass);
}

/** Parses JSON text read from `source`; the error says where in the text it broke. */
export function parseJsonText(
  text: string,
  source: string,
  errorClass: InputErrorClass = InvalidInputError,
): unknown {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (withoutBom.trim() === '') throw new errorClass(`${source}: invalid JSON: the file is empty`);
  try {
    return JSON.parse(withoutBom);
  } catch (error) {
    throw new errorClass(`${source}: invalid JSON: ${describeSyntaxError(error as Error, withoutBom)}`, {
      cause: error,
    });
  }
}

/** V8 reports a character offset; people look for a line and column. */
function describeSyntaxError(error: Error, text: string): string {
  const message = error.message.replace(/^JSON\.parse: /, '');
  const position = /at position (\d+)/.exec(message);
  if (!position || /\(line \d+ column \d+\)/.test(message)) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message} (line ${line} column ${column})`;
}
