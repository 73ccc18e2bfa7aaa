/**
 * Writes a streamed report (core/report/streamed-report.ts): each section's elements go
 * to their own spool file as they arrive, and the document is assembled in order at the
 * end, so neither the report nor any section is ever one string in memory.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditReportFrame, RegistryReportParts } from '../core/audit.js';
import {
  arrayElement,
  arrayEnd,
  ELEMENT_SEPARATOR_LENGTH,
  layoutParts,
  type StreamedReportFormat,
} from '../core/report/index.js';

/** Spooled text is written out once it passes this, so memory stays near one registry. */
const FLUSH_AT = 1 << 20;

interface Spool {
  path: string;
  fd: number;
  pending: string[];
  pendingLength: number;
  count: number;
}

/** A destination that may ask the writer to wait (a file stream, stdout, a pipe). */
export type ReportDestination = NodeJS.WritableStream;

export class StreamedReportWriter {
  readonly #format: StreamedReportFormat;
  readonly #directory: string;
  readonly #spools = new Map<string, Spool>();

  constructor(format: StreamedReportFormat, spoolParent = tmpdir()) {
    this.#format = format;
    this.#directory = mkdtempSync(join(spoolParent, 'ecr-sign-drift-report-'));
    for (const section of Object.keys(format.sectionDepths)) {
      const path = join(this.#directory, `${section}.json`);
      this.#spools.set(section, { path, fd: openSync(path, 'w'), pending: [], pendingLength: 0, count: 0 });
    }
  }

  /** Adds one registry's elements to their sections. */
  add(parts: RegistryReportParts): void {
    for (const { section, value } of this.#format.elements(parts)) {
      const spool = this.#spool(section);
      const text = arrayElement(value, this.#format.sectionDepths[section] ?? 0);
      spool.pending.push(text);
      spool.pendingLength += text.length;
      spool.count++;
      if (spool.pendingLength >= FLUSH_AT) flush(spool);
    }
  }

  /** Writes the whole document to `destination` (not ended: the caller owns it). */
  async writeTo(destination: ReportDestination, frame: AuditReportFrame): Promise<void> {
    for (const spool of this.#spools.values()) {
      flush(spool);
      closeSync(spool.fd);
      spool.fd = -1;
    }
    for (const part of this.#format.layout(frame)) {
      if (part.kind === 'text') {
        await write(destination, part.text);
        continue;
      }
      await write(destination, '[');
      let count = 0;
      for (const section of part.sections) {
        const spool = this.#spool(section);
        if (spool.count === 0) continue;
        // Every element starts with its comma; the array's first one must not.
        const start = count === 0 ? ELEMENT_SEPARATOR_LENGTH : 0;
        for await (const chunk of createReadStream(spool.path, { start })) await write(destination, chunk);
        count += spool.count;
      }
      await write(destination, arrayEnd(part.depth, count));
    }
  }

  /** Removes the spool files; safe to call more than once. */
  close(): void {
    for (const spool of this.#spools.values()) {
      if (spool.fd >= 0) closeSync(spool.fd);
      spool.fd = -1;
    }
    rmSync(this.#directory, { recursive: true, force: true });
  }

  #spool(section: string): Spool {
    const spool = this.#spools.get(section);
    if (!spool) throw new Error(`report section ${section} is not declared by its format`);
    return spool;
  }
}

function flush(spool: Spool): void {
  if (spool.pending.length === 0) return;
  writeSync(spool.fd, spool.pending.join(''));
  spool.pending = [];
  spool.pendingLength = 0;
}

/** Writes and waits for 'drain' when the destination's buffer is full. */
export function write(destination: ReportDestination, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    destination.once('error', onError);
    const done = () => {
      destination.removeListener('error', onError);
      resolve();
    };
    if (destination.write(chunk)) done();
    else destination.once('drain', done);
  });
}

/**
 * Writes `document` as `JSON.stringify(document, null, 2)` would, with the array member
 * `streamed` element by element: a document past V8's longest string is still written.
 */
export async function writeJsonDocument(
  destination: ReportDestination,
  document: Readonly<Record<string, unknown>>,
  streamed: string,
): Promise<void> {
  const parts = layoutParts({
    object: Object.entries(document).map(([key, value]) =>
      key === streamed ? ([key, { stream: [key] }] as const) : ([key, { json: value }] as const),
    ),
  });
  for (const part of parts) {
    if (part.kind === 'text') {
      await write(destination, part.text);
      continue;
    }
    const elements = (document[streamed] ?? []) as readonly unknown[];
    await write(destination, '[');
    for (const [i, element] of elements.entries()) {
      const text = arrayElement(element, part.depth);
      await write(destination, i === 0 ? text.slice(ELEMENT_SEPARATOR_LENGTH) : text);
    }
    await write(destination, arrayEnd(part.depth, elements.length));
  }
  await write(destination, '\n');
}
