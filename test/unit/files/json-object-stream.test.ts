import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type JsonObjectEvent,
  JsonStreamSyntaxError,
  readJsonObjectStream,
} from '../../../functions/files/json-object-stream.js';

const directory = mkdtempSync(join(tmpdir(), 'json-object-stream-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

function fileWith(text: string | Buffer): string {
  const path = join(directory, `${files++}.json`);
  writeFileSync(path, text);
  return path;
}

class NotAnObjectError extends Error {}

async function eventsOf(text: string | Buffer, chunkBytes?: number): Promise<JsonObjectEvent[]> {
  const events: JsonObjectEvent[] = [];
  const stream = readJsonObjectStream(fileWith(text), {
    streamedArrays: ['items'],
    notAnObject: () => new NotAnObjectError('not an object'),
    ...(chunkBytes ? { chunkBytes } : {}),
  });
  for await (const event of stream) events.push(event);
  return events;
}

async function problemOf(text: string): Promise<string> {
  try {
    await eventsOf(text);
  } catch (error) {
    if (error instanceof JsonStreamSyntaxError) return error.message;
    throw error;
  }
  throw new Error('no error was thrown');
}

describe('readJsonObjectStream', () => {
  it('yields every member and every element of a streamed array, in file order, whatever the chunk size', async () => {
    // Prefixed: Object.fromEntries would put integer-like keys first.
    const key = fc.string({ maxLength: 6 }).map((k) => `k${k}`);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(key, fc.jsonValue()), { selector: ([k]) => k, maxLength: 4 }),
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.nat({ max: 4 }),
        fc.integer({ min: 1, max: 19 }),
        fc.boolean(),
        async (members, items, itemsAt, chunkBytes, pretty) => {
          const entries: Array<[string, unknown]> = [...members];
          entries.splice(Math.min(itemsAt, entries.length), 0, ['items', items]);
          const text = JSON.stringify(Object.fromEntries(entries), null, pretty ? 2 : undefined);
          const expected: JsonObjectEvent[] = entries.flatMap(([k, v]): JsonObjectEvent[] =>
            k === 'items'
              ? items.map((value, index) => ({ kind: 'element', key: k, index, value }))
              : [{ kind: 'member', key: k, value: v }],
          );
          // JSON.parse keeps -0 and the round trip through text does not; compare as text.
          expect(JSON.stringify(await eventsOf(text, chunkBytes))).toBe(JSON.stringify(expected));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads an empty object, an empty streamed array and a byte order mark', async () => {
    expect(await eventsOf('{}')).toEqual([]);
    expect(await eventsOf(' { "items" : [ ] , "a": 1 } \n')).toEqual([
      { kind: 'member', key: 'a', value: 1 },
    ]);
    expect(
      await eventsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')])),
    ).toEqual([{ kind: 'member', key: 'a', value: 'é' }]);
  });

  it('keeps multi-byte characters whole when a read cuts through them', async () => {
    const events = await eventsOf('{"items":["ü-€-😀","\\"😀\\\\"]}', 1);
    expect(events.map((e) => e.kind === 'element' && e.value)).toEqual(['ü-€-😀', '"😀\\']);
  });

  it('refuses a top level that is not an object through the caller’s error', async () => {
    await expect(eventsOf('[1, 2]')).rejects.toBeInstanceOf(NotAnObjectError);
    await expect(eventsOf('"text"')).rejects.toBeInstanceOf(NotAnObjectError);
  });

  it('names the problem, line and column of text that is not one JSON object', async () => {
    expect(await problemOf('')).toMatch(/the file is empty/);
    expect(await problemOf('{"items":[{"a":1},')).toMatch(/ends early/);
    expect(await problemOf('{"items":[1,]}')).toMatch(/items\[1\] is missing/);
    expect(await problemOf('{"a":1,}')).toMatch(/expected a member name .* found '}' \(line 1 column 8\)/);
    expect(await problemOf('{"items":[{"a":1 "b":2}]}')).toMatch(
      /items\[0\]: Expected ',' .* \(line 1 column 18\)/,
    );
    expect(await problemOf('{"a" 1}')).toMatch(/expected ':' after "a"/);
    expect(await problemOf('{"items": 3}')).toMatch(/"items" must be an array/);
    expect(await problemOf('{"a":1} x')).toMatch(/unexpected text after the end/);
    expect(await problemOf('{"items":[1]]}')).toMatch(/expected ',' or '}' after the value of "items"/);
    expect(await problemOf('{"items":[1}]}')).toMatch(/unexpected '}'/);
    expect(await problemOf('{\n "items": [\n  {"a": 1},\n  {"a": tru}\n ]\n}')).toMatch(
      /items\[1\] \(starting at line 3 column \d+\): Unexpected token/,
    );
  });
});
