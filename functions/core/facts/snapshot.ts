/**
 * Validates an already-parsed snapshot document. Callers that read files wrap this
 * with the file name; the validator is compiled on first use, not at import.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SnapshotInvalidError } from '../errors.js';
import { compareTargets } from '../ordering.js';
import type { RegistrySnapshot, ScanError, Snapshot } from '../types.js';
import snapshotSchema from './snapshot.schema.json' with { type: 'json' };

let validators: { snapshot: ValidateFunction; registry: ValidateFunction } | undefined;

function snapshotValidators() {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    addFormats.default(ajv);
    const snapshot = ajv.compile(snapshotSchema);
    const registry = ajv.getSchema(`${snapshotSchema.$id}#/$defs/registry`);
    if (!registry) throw new Error('the snapshot schema has no $defs/registry');
    validators = { snapshot, registry };
  }
  return validators;
}

function snapshotValidator(): ValidateFunction {
  return snapshotValidators().snapshot;
}

/** Describes the first schema error as `<pointer>: <problem>`. */
export function describeSchemaError(error: ErrorObject | undefined): string {
  if (!error) return 'does not match the schema';
  const at = error.instancePath || '(root)';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` '${String(error.params['additionalProperty'])}'`
      : error.keyword === 'enum'
        ? ` (${(error.params['allowedValues'] as unknown[]).map(String).join(', ')})`
        : '';
  return `${at} ${error.message ?? 'is invalid'}${extra}`;
}

/**
 * Returns the document as a Snapshot, or throws SnapshotInvalidError naming the source
 * and the first problem found.
 */
export function parseSnapshot(document: unknown, source: string): Snapshot {
  const validate = snapshotValidator();
  if (!validate(document)) {
    throw new SnapshotInvalidError(`${source}: ${describeSchemaError(validate.errors?.[0])}`);
  }
  const snapshot = document as Snapshot;
  const seen = new Set<string>();
  for (const [i, r] of snapshot.registries.entries()) checkRegistryNotRepeated(r, seen, source, i);
  return snapshot;
}

/**
 * Checks one element of `registries` as a streamed read meets it (the same schema as the
 * whole document; the error names `/registries/<index>/…`).
 */
export function parseSnapshotRegistry(value: unknown, source: string, index: number): RegistrySnapshot {
  const validate = snapshotValidators().registry;
  if (!validate(value)) {
    const error = validate.errors?.[0];
    const described = describeSchemaError(
      error && { ...error, instancePath: `/registries/${index}${error.instancePath}` },
    );
    throw new SnapshotInvalidError(`${source}: ${described}`);
  }
  return value as RegistrySnapshot;
}

/** Refuses a registry that appears twice; `seen` is the caller's set of `account/region`. */
export function checkRegistryNotRepeated(
  registry: RegistrySnapshot,
  seen: Set<string>,
  source: string,
  index: number,
): void {
  const key = `${registry.accountId}/${registry.region}`;
  if (seen.has(key))
    throw new SnapshotInvalidError(`${source}: /registries/${index} repeats registry ${key}`);
  seen.add(key);
}

/**
 * Checks everything but the registries: the members a streamed read collected, with
 * `registries` as an empty array when the document had the member.
 */
export function parseSnapshotHeader(
  members: Record<string, unknown>,
  source: string,
): Omit<Snapshot, 'registries'> {
  const validate = snapshotValidator();
  const document = { ...members };
  if (!validate(document))
    throw new SnapshotInvalidError(`${source}: ${describeSchemaError(validate.errors?.[0])}`);
  const { registries: _registries, ...header } = document as unknown as Snapshot;
  return header;
}

/** What a live capture read, and how. */
export interface CapturedState {
  capturedAt: Date;
  tool: string;
  version: string;
  endpoint: string;
  repositoryTags: boolean;
  registries: readonly RegistrySnapshot[];
  errors: readonly ScanError[];
  warnings: readonly ScanError[];
}

/**
 * The snapshot document of a live capture: registries sorted by account and region, and
 * under `source` what could not be read (`errors`, always present), so a snapshot of a
 * partly failed scan says it is incomplete.
 */
export function capturedSnapshot(state: CapturedState): Snapshot {
  return {
    snapshotVersion: 1,
    capturedAt: state.capturedAt.toISOString(),
    source: {
      tool: state.tool,
      version: state.version,
      endpoint: state.endpoint,
      repositoryTags: state.repositoryTags,
      errors: [...state.errors].sort(compareTargets),
      warnings: [...state.warnings].sort(compareTargets),
    },
    registries: [...state.registries].sort(compareTargets),
  };
}
