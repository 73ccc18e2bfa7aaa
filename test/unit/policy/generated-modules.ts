/** A scratch folder for generated (standalone) policy modules, removed after the file's tests. */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';

export interface GeneratedModules {
  directory: string;
  /** Writes `source` as `name` in the folder and imports it. */
  importModule(name: string, source: string): Promise<Record<string, unknown>>;
}

export function useGeneratedModules(prefix: string): GeneratedModules {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  // Generated modules import ajv's runtime helpers and re2js, resolved from the project's packages.
  symlinkSync(resolve('node_modules'), join(directory, 'node_modules'), 'dir');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return {
    directory,
    async importModule(name, source) {
      const file = join(directory, name);
      writeFileSync(file, source);
      return import(pathToFileURL(file).href);
    },
  };
}
