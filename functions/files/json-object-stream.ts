/**
 * Reads a JSON file whose top level is an object, member by member, and one array member
 * element by element, without ever holding the file as one string: a snapshot of any size
 * is read one registry at a time. The scan works on bytes (every structural character of
 * JSON is ASCII and no UTF-8 multi-byte sequence contains an ASCII byte); each member and
 * element is then parsed by JSON.parse, which reports what is wrong inside it.
 */
import { createReadStream } from 'node:fs';

export type JsonObjectEvent =
  | { kind: 'member'; key: string; value: unknown }
  | { kind: 'element'; key: string; index: number; value: unknown };

/** Where the text stops being JSON; `line` and `column` count from 1. */
export class JsonStreamSyntaxError extends Error {
  override readonly name = 'JsonStreamSyntaxError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

const isSpace = (b: number) => b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;

enum State {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  ValueStart,
  Value,
  AfterValue,
  End,
}

/** Text being captured from one or more chunks, with where it began. */
class Capture {
  pieces: Buffer[] = [];
  line = 0;
  column = 0;

  text(): string {
    const text = Buffer.concat(this.pieces).toString('utf8');
    this.pieces = [];
    return text;
  }
}

/**
 * Yields the top-level members in file order; the members named in `streamedArrays` must
 * be arrays and are yielded element by element. Throws JsonStreamSyntaxError on text that
 * is not one JSON object, and `notAnObject` when the top level is some other JSON value.
 */
export async function* readJsonObjectStream(
  path: string,
  options: {
    streamedArrays: readonly string[];
    notAnObject: () => Error;
    /** Bytes per read; tests make it small to cut tokens across reads. */
    chunkBytes?: number;
  },
): AsyncGenerator<JsonObjectEvent> {
  let state = State.Start;
  let line = 1;
  let column = 0;
  let members = 0;
  let key = '';
  let keyCapture = new Capture();
  let value = new Capture();
  let inArray = false;
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let first = true;

  const fail = (problem: string, at = { line, column }): never => {
    throw new JsonStreamSyntaxError(`invalid JSON: ${problem} (line ${at.line} column ${at.column})`);
  };
  const parse = (capture: Capture, what: string): unknown => {
    const text = capture.text();
    if (text.trim() === '') fail(`${what} is missing`, capture);
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const at = positionIn(text, message, capture);
      if (at) return fail(`${what}: ${message}`, at);
      throw new JsonStreamSyntaxError(
        `invalid JSON: ${what} (starting at line ${capture.line} column ${capture.column}): ${message}`,
      );
    }
  };
  /** `next`: the captured text begins after the current byte (an array's `[` or `,`). */
  const startCapture = (capture: Capture, next = false) => {
    capture.pieces = [];
    capture.line = line;
    capture.column = next ? column + 1 : column;
  };

  for await (const chunk of createReadStream(path, {
    highWaterMark: options.chunkBytes ?? 1 << 20,
  }) as AsyncIterable<Buffer>) {
    let from = 0;
    let i = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = from = 3;
    }
    const events: JsonObjectEvent[] = [];
    let nextBackslash = -1;
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === NEWLINE) {
        line++;
        column = 0;
      } else column++;
      switch (state) {
        case State.Start:
          if (isSpace(b)) continue;
          if (b !== OPEN_BRACE) throw options.notAnObject();
          state = State.KeyOrEnd;
          continue;
        case State.KeyOrEnd:
          if (isSpace(b)) continue;
          if (b === CLOSE_BRACE && members === 0) {
            state = State.End;
            continue;
          }
          if (b !== QUOTE) fail(`expected a member name in double quotes, found '${String.fromCharCode(b)}'`);
          state = State.Key;
          keyCapture = new Capture();
          from = i;
          continue;
        case State.Key:
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            keyCapture.pieces.push(chunk.subarray(from, i + 1));
            key = parse(keyCapture, 'member name') as string;
            state = State.Colon;
          }
          continue;
        case State.Colon:
          if (isSpace(b)) continue;
          if (b !== COLON) fail(`expected ':' after "${key}"`);
          state = State.ValueStart;
          continue;
        case State.ValueStart:
          if (isSpace(b)) continue;
          inArray = options.streamedArrays.includes(key);
          if (inArray && b !== OPEN_BRACKET) fail(`"${key}" must be an array`);
          state = State.Value;
          depth = 0;
          index = 0;
          value = new Capture();
          startCapture(value, inArray);
          if (inArray) {
            from = i + 1;
            continue;
          }
          from = i;
          // The value's first byte is scanned below like any other.
          break;
        case State.AfterValue:
          if (isSpace(b)) continue;
          if (b === COMMA) state = State.KeyOrEnd;
          else if (b === CLOSE_BRACE) state = State.End;
          else fail(`expected ',' or '}' after the value of "${key}"`);
          members++;
          continue;
        case State.End:
          if (isSpace(b)) continue;
          fail('unexpected text after the end of the document');
      }
      // State.Value: find where the member's value (or the array's element) ends.
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        else {
          // Most of a snapshot is string content: jump to the next quote or backslash.
          if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, BACKSLASH, i);
          const next = Math.min(indexOrEnd(chunk, QUOTE, i), nextBackslash);
          column += next - i - 1;
          i = next - 1;
        }
        continue;
      }
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (depth > 0 && (b === CLOSE_BRACE || b === CLOSE_BRACKET)) depth--;
      else if (depth === 0 && inArray && (b === COMMA || b === CLOSE_BRACKET)) {
        value.pieces.push(chunk.subarray(from, i));
        const empty = value.pieces.every((p) => p.every(isSpace));
        if (b === CLOSE_BRACKET && index === 0 && empty) value.pieces = [];
        else events.push({ kind: 'element', key, index, value: parse(value, `${key}[${index}]`) });
        index++;
        if (b === CLOSE_BRACKET) state = State.AfterValue;
        else startCapture(value, true);
        from = i + 1;
      } else if (depth === 0 && !inArray && (b === COMMA || b === CLOSE_BRACE)) {
        value.pieces.push(chunk.subarray(from, i));
        events.push({ kind: 'member', key, value: parse(value, `the value of "${key}"`) });
        members++;
        state = b === COMMA ? State.KeyOrEnd : State.End;
      } else if (depth === 0 && (b === CLOSE_BRACE || b === CLOSE_BRACKET)) {
        fail(`unexpected '${String.fromCharCode(b)}'`);
      }
    }
    if (state === State.Value) value.pieces.push(chunk.subarray(from));
    else if (state === State.Key) keyCapture.pieces.push(chunk.subarray(from));
    yield* events;
  }
  if (state === State.Start) fail('the file is empty');
  if ((state as State) !== State.End) fail('the document ends early (truncated?)');
}

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at < 0 ? chunk.length : at;
}

/** V8 names a character offset inside the parsed text (not always); people look for a line and column. */
function positionIn(text: string, message: string, start: { line: number; column: number }) {
  const position = /at position (\d+)/.exec(message);
  if (!position) return null;
  const before = text.slice(0, Number(position[1]));
  const lines = before.split('\n');
  return lines.length === 1
    ? { line: start.line, column: start.column + before.length }
    : { line: start.line + lines.length - 1, column: lines.at(-1)!.length + 1 };
}
