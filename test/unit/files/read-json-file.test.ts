import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError, PolicyLoadError } from '../../../functions/core/errors.js';
import { readJsonFile } from '../../../functions/files/read-json-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readJsonFile', () => {
  it('returns the parsed document, ignoring a byte order mark', async () => {
    expect(await readJsonFile(file('ok.json', '\ufeff{"a": [1, 2]}'))).toEqual({ a: [1, 2] });
  });

  it('names the file and the line and column of invalid JSON', async () => {
    const path = file('broken.json', '{\n  "a": 1,\n}\n');
    await expect(readJsonFile(path)).rejects.toThrowError(
      new RegExp(`^${path}: invalid JSON: .* at position 12 \\(line 3 column 1\\)$`),
    );
  });

  it('names the file that is missing, empty or a directory', async () => {
    const missing = join(dir, 'missing.json');
    await expect(readJsonFile(missing)).rejects.toThrowError(`${missing}: file not found`);
    const empty = file('empty.json', '  \n');
    await expect(readJsonFile(empty)).rejects.toThrowError(`${empty}: invalid JSON: the file is empty`);
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    await expect(readJsonFile(folder)).rejects.toThrowError(`${folder}: is a directory, not a JSON file`);
  });

  it('raises the error class the caller asks for, an InvalidInputError by default', async () => {
    const path = file('bad.json', '{');
    await expect(readJsonFile(path)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(readJsonFile(path, PolicyLoadError)).rejects.toBeInstanceOf(PolicyLoadError);
  });
});
