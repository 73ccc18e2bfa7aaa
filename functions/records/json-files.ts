/**
 * JSON files that readers never see half-written: content goes to a temporary file in the
 * same directory first, then is renamed over the target (replace) or hard-linked to it
 * (create only if absent). Both are atomic on one file system.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../files/write-file-atomically.js';

/** A name component safe in a file name and unambiguous when joined with '@' (which it escapes). */
export function fileNamePart(value: string): string {
  return encodeURIComponent(value).replace(/\./g, '%2E').replace(/\*/g, '%2A');
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if (isFileError(error, 'ENOENT')) return null;
    throw error;
  }
}

/** Replaces (or creates) the file with the JSON of `value`. */
export function writeJson(path: string, value: unknown): Promise<void> {
  return writeFileAtomically(path, JSON.stringify(value));
}

/** Creates the file with the JSON of `value`; false when it already exists. */
export async function createJson(path: string, value: unknown): Promise<boolean> {
  const temporary = await writeTemporary(path, value);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (isFileError(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await removeFile(temporary);
  }
}

/** Removes the file; true when it was there. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isFileError(error, 'ENOENT')) return false;
    throw error;
  }
}

/** The names of the JSON files in a directory; none when it does not exist. */
export async function listJsonFiles(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if (isFileError(error, 'ENOENT')) return [];
    throw error;
  }
}

/** Reads every JSON file of a directory; files removed while reading are left out. */
export async function readAllJson<T>(directory: string): Promise<T[]> {
  const names = await listJsonFiles(directory);
  const values: T[] = [];
  for (const value of await Promise.all(names.map((name) => readJson<T>(join(directory, name))))) {
    if (value !== null) values.push(value as T);
  }
  return values;
}

export function isFileError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

async function writeTemporary(path: string, value: unknown): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  // Dot-prefixed and not ending in .json, so listings never mistake it for a record.
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  await writeFile(temporary, JSON.stringify(value), { flag: 'wx' });
  return temporary;
}
