/**
 * Reads a snapshot file one registry at a time: each registry is checked against the
 * snapshot schema as it arrives and the rest of the document once it has been read, so a
 * snapshot of any size is audited in the memory of its largest registry.
 */
import { SnapshotInvalidError } from '../core/errors.js';
import { checkRegistryNotRepeated, parseSnapshotHeader, parseSnapshotRegistry } from '../core/facts/index.js';
import type { RegistrySnapshot, Snapshot } from '../core/types.js';
import { JsonStreamSyntaxError, readJsonObjectStream } from './json-object-stream.js';
import { describeReadProblem } from './read-json-file.js';

/** A snapshot being read: its registries, then (once they are all read) the rest of it. */
export interface SnapshotStream {
  registries: AsyncIterable<RegistrySnapshot>;
  /** Everything but the registries; throws if called before `registries` is exhausted. */
  header(): Omit<Snapshot, 'registries'>;
}

/** Throws SnapshotInvalidError naming the file for anything that is not a valid snapshot. */
export function readSnapshotStream(path: string): SnapshotStream {
  let header: Omit<Snapshot, 'registries'> | undefined;
  async function* registries(): AsyncGenerator<RegistrySnapshot> {
    const members: Record<string, unknown> = {};
    const seen = new Set<string>();
    const events = readJsonObjectStream(path, {
      streamedArrays: ['registries'],
      notAnObject: () => new SnapshotInvalidError(`${path}: (root) must be object`),
    });
    try {
      for await (const event of events) {
        if (event.kind === 'member') {
          members[event.key] = event.value;
          continue;
        }
        members['registries'] ??= [];
        const registry = parseSnapshotRegistry(event.value, path, event.index);
        checkRegistryNotRepeated(registry, seen, path, event.index);
        yield registry;
      }
    } catch (error) {
      if (error instanceof JsonStreamSyntaxError) {
        throw new SnapshotInvalidError(`${path}: ${error.message}`, { cause: error });
      }
      if (
        typeof (error as NodeJS.ErrnoException).code === 'string' &&
        !(error instanceof SnapshotInvalidError)
      ) {
        throw new SnapshotInvalidError(`${path}: ${describeReadProblem(error)}`, { cause: error });
      }
      throw error;
    }
    header = parseSnapshotHeader(members, path);
  }
  return {
    registries: registries(),
    header() {
      if (!header) throw new Error('the snapshot header is read after its registries');
      return header;
    },
  };
}
