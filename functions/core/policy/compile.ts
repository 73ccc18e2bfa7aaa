/**
 * Compiles a policy set. Every policy and shared schema goes into one ajv instance (with
 * the facts schema preloaded), so policies can `$ref` shared definitions by `$id`. The set
 * loads whole or not at all: the first problem throws one PolicyLoadError naming the file.
 * Nothing here fetches: without `loadSchema`, a `$ref` outside the loaded schemas fails.
 */

import { Ajv2020, type ErrorObject, MissingRefError, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { PolicyLoadError } from '../errors.js';
import { describeSchemaError, factsSchema } from '../facts/index.js';
import { isSeverity } from '../severity.js';
import { SEVERITIES } from '../types.js';
import { collectMessageTemplates, unreadablePointer } from './error-messages.js';
import { escapePointerSegment } from './json-pointer.js';
import { linearRegExp } from './linear-regexp.js';
import { type LintWarning, lintWarningOf } from './lint-warnings.js';
import { MAX_SCHEMA_NESTING, nestsDeeperThan } from './nesting-depth.js';
import { findInheritedKeyword, isInheritedName, withProtoPropertyAsPattern } from './prototype-names.js';
import { findReferenceCycle } from './reference-cycles.js';
import { POLICY_SCOPE_SCHEMA } from './scope.js';
import { subschemasOf } from './subschemas.js';
import type {
  CompiledPolicy,
  FactsValidator,
  PolicyMetadata,
  PolicyScope,
  PolicySet,
  SchemaDocument,
} from './types.js';

export const FACTS_SCHEMA_ID = factsSchema.$id;
/** Policy ids name test folders (tests/<id>/) and appear in findings, so they stay simple. */
export const POLICY_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

type JsonObject = Record<string, unknown>;
type LintLogger = ReturnType<typeof lintCollector>['logger'];

interface CheckedDocument {
  source: string;
  id: string;
  schema: JsonObject;
}

interface CheckedPolicy extends CheckedDocument {
  metadata: PolicyMetadata;
}

/** The compiled documents and the ajv instance that holds them (for standalone code generation). */
export interface CompiledDocuments {
  ajv: Ajv2020;
  policies: CheckedPolicy[];
  shared: CheckedDocument[];
  lintWarnings: LintWarning[];
}

/**
 * Compiles policies (each a JSON Schema applied to one registry's facts) together with the
 * shared schemas they may reference. Throws PolicyLoadError for the first problem found.
 */
export function compilePolicySet(
  documents: readonly SchemaDocument[],
  sharedSchemas: readonly SchemaDocument[],
): PolicySet {
  const { ajv, policies, shared, lintWarnings } = compileDocuments(documents, sharedSchemas, {
    emitSource: false,
  });
  const compiled: CompiledPolicy[] = policies.map((p) => ({
    ...p.metadata,
    validate: ajv.getSchema(p.id) as FactsValidator,
  }));
  return { policies: compiled, sharedSchemaIds: shared.map((s) => s.id), lintWarnings };
}

/** Checks and compiles every document; `emitSource` keeps generated code for ajv/dist/standalone. */
export function compileDocuments(
  policyDocuments: readonly SchemaDocument[],
  sharedDocuments: readonly SchemaDocument[],
  options: { emitSource: boolean },
): CompiledDocuments {
  const lint = lintCollector();
  const ajv = createPolicyAjv(options.emitSource, lint.logger);
  const validateScope = ajv.compile(POLICY_SCOPE_SCHEMA);
  const shared = sharedDocuments.map(checkSharedDocument);
  const policies = policyDocuments.map((document) => checkPolicyDocument(document, validateScope));
  const all: CheckedDocument[] = [...shared, ...policies];
  rejectDuplicateIds(all);
  rejectReferenceCycles(all);
  for (const document of all) addDocument(ajv, document);

  const loadedIds = new Set([FACTS_SCHEMA_ID, ...all.map((d) => d.id)]);
  // Definitions first, so a broken shared definition is blamed on the shared file rather
  // than on the first policy that references it; unreferenced definitions get checked too.
  for (const document of all) {
    for (const name of Object.keys(definitionsOf(document.schema))) {
      lint.during(document, () =>
        compileReference(ajv, document, `${document.id}#/$defs/${pointerSegment(name)}`, loadedIds),
      );
    }
  }
  for (const document of all)
    lint.during(document, () => compileReference(ajv, document, document.id, loadedIds));
  return { ajv, policies, shared, lintWarnings: lint.warnings };
}

/** Collects ajv's strict-mode log lines as lint warnings on the document being compiled. */
function lintCollector() {
  const warnings: LintWarning[] = [];
  let current: CheckedDocument | null = null;
  const logger = {
    log: () => {},
    error: () => {},
    warn: (...args: unknown[]) => {
      const warning = current && lintWarningOf(current.source, args.map(String).join(' '));
      if (warning) warnings.push(warning);
    },
  };
  const during = (document: CheckedDocument, work: () => void): void => {
    current = document;
    try {
      work();
    } finally {
      current = null;
    }
  };
  return { warnings, logger, during };
}

/**
 * ajv's own default strictness: unknown keywords, unknown formats and ignored keywords are
 * errors (they catch typos); strictTypes, strictRequired and strictTuples only log, and the
 * log becomes lint warnings (lint-warnings.ts). The Lambda's standalone code compiles here too.
 */
function createPolicyAjv(emitSource: boolean, logger: LintLogger): Ajv2020 {
  const ajv = new Ajv2020({
    strictSchema: true,
    strictNumbers: true,
    strictTypes: 'log',
    strictTuples: 'log',
    strictRequired: 'log',
    allowUnionTypes: true,
    // Only the data's own properties: `required: ["constructor"]` is not met by Object's.
    ownProperties: true,
    logger,
    allErrors: true,
    code: { source: emitSource, esm: true, regExp: linearRegExp },
  });
  addFormats.default(ajv);
  // Messages are applied after validation (error-messages.ts); to ajv they are annotations.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  // Annotation keywords: no validation code, but strict mode knows them and checks their shape.
  ajv.addKeyword({ keyword: 'severity', schemaType: 'string', metaSchema: { enum: [...SEVERITIES] } });
  ajv.addKeyword({ keyword: 'scope', schemaType: 'object', metaSchema: POLICY_SCOPE_SCHEMA });
  ajv.addSchema(factsSchema);
  return ajv;
}

function fail(source: string, problem: string, cause?: unknown): never {
  throw new PolicyLoadError(`${source}: ${problem}`, cause === undefined ? undefined : { cause });
}

function checkCommon(document: SchemaDocument, what: string): JsonObject {
  const { schema, source } = document;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    fail(source, `is not a JSON Schema object (a ${what} must be a JSON object)`);
  }
  if (nestsDeeperThan(schema, MAX_SCHEMA_NESTING)) {
    fail(
      source,
      `nests deeper than ${MAX_SCHEMA_NESTING} levels: no policy needs that, flatten it with $defs`,
    );
  }
  const record = schema as JsonObject;
  const inherited = findInheritedKeyword(record);
  if (inherited) {
    fail(
      source,
      `invalid schema: strict mode: unknown keyword: "${inherited.keyword}" at ${inherited.pointer}`,
    );
  }
  const dialect = record['$schema'];
  if (dialect !== undefined && dialect !== DRAFT_2020_12 && dialect !== `${DRAFT_2020_12}#`) {
    fail(source, `$schema ${JSON.stringify(dialect)} is not supported: write JSON Schema draft 2020-12`);
  }
  return record;
}

function checkSharedDocument(document: SchemaDocument): CheckedDocument {
  const schema = checkCommon(document, 'shared schema');
  const id = schema['$id'];
  if (typeof id !== 'string' || id.trim() === '') {
    fail(document.source, 'missing $id: a shared schema is referenced by its $id, so it needs one');
  }
  if (schema['severity'] !== undefined) {
    fail(
      document.source,
      'has a severity but is not a policy: name policy files *.policy.json, or drop the severity',
    );
  }
  return { source: document.source, id: id.replace(/#$/, ''), schema };
}

function checkPolicyDocument(document: SchemaDocument, validateScope: ValidateFunction): CheckedPolicy {
  const { source } = document;
  const schema = checkCommon(document, 'policy');
  const id = schema['$id'];
  if (id === undefined) fail(source, 'missing $id: set the policy id, e.g. "$id": "signing-configured"');
  if (typeof id !== 'string' || !POLICY_ID_PATTERN.test(id)) {
    fail(
      source,
      `$id ${JSON.stringify(id)} is not a policy id: use lowercase letters, digits and hyphens, e.g. "signing-configured"`,
    );
  }
  if (isInheritedName(id)) {
    fail(
      source,
      `$id "${id}" cannot be a policy id: JavaScript objects already have it; choose another, e.g. "${id}-policy"`,
    );
  }
  const severity = schema['severity'];
  if (severity === undefined)
    fail(source, `missing severity: set "severity" to one of ${SEVERITIES.join(', ')}`);
  if (!isSeverity(severity)) {
    fail(source, `unknown severity ${JSON.stringify(severity)}: use one of ${SEVERITIES.join(', ')}`);
  }
  for (const keyword of ['title', 'description']) {
    const value = schema[keyword];
    if (value !== undefined && typeof value !== 'string') fail(source, `${keyword} must be a string`);
  }
  const scope = schema['scope'];
  if (scope !== undefined && !validateScope(scope))
    fail(source, describeScopeError(validateScope.errors?.[0]));
  const title = schema['title'] as string | undefined;
  const description = schema['description'] as string | undefined;
  const messages = collectMessageTemplates(schema);
  for (const [location, template] of Object.entries(messages)) {
    const bad = unreadablePointer(template);
    if (bad) {
      fail(
        source,
        `errorMessage at ${location}: '${bad}' must be \${/pointer} (from the facts root) or \${0/pointer} (from the finding's subject)`,
      );
    }
  }
  return {
    source,
    id,
    schema,
    metadata: {
      id,
      title: title?.trim() ? title : id,
      description: description?.trim() ? description : null,
      severity,
      scope: (scope as PolicyScope | undefined) ?? null,
      source,
      messages,
    },
  };
}

/** Scope errors point into the policy, e.g. "/scope/accounts/0 must match pattern ...". */
function describeScopeError(error: ErrorObject | undefined): string {
  return describeSchemaError(error && { ...error, instancePath: `/scope${error.instancePath}` });
}

function rejectDuplicateIds(documents: readonly CheckedDocument[]): void {
  const seen = new Map<string, string>([[FACTS_SCHEMA_ID, 'the built-in facts schema']]);
  for (const document of documents) {
    const first = seen.get(document.id);
    if (first !== undefined) fail(document.source, `duplicate $id "${document.id}" (also used by ${first})`);
    seen.set(document.id, document.source);
  }
}

/** A `$ref` cycle through in-place applicators would never finish evaluating a registry. */
function rejectReferenceCycles(documents: readonly CheckedDocument[]): void {
  const cycle = findReferenceCycle(documents);
  if (cycle) {
    fail(
      cycle.source,
      `$ref cycle ${cycle.locations.join(' -> ')}: the schema reaches itself without reading into the data, so evaluation would never end`,
    );
  }
}

function addDocument(ajv: Ajv2020, document: CheckedDocument): void {
  let valid: boolean;
  try {
    valid = ajv.validateSchema(document.schema) as boolean;
  } catch (error) {
    fail(document.source, `invalid schema: ${messageOf(error)}`, error);
  }
  if (!valid) fail(document.source, `invalid schema: ${describeSchemaError(ajv.errors?.[0])}`, ajv.errors);
  try {
    ajv.addSchema(withProtoPropertyAsPattern(document.schema) as JsonObject);
  } catch (error) {
    fail(document.source, `invalid schema: ${messageOf(error)}`, error);
  }
}

function compileReference(
  ajv: Ajv2020,
  document: CheckedDocument,
  reference: string,
  loadedIds: ReadonlySet<string>,
): void {
  try {
    ajv.getSchema(reference);
  } catch (error) {
    if (error instanceof MissingRefError) {
      fail(document.source, describeMissingReference(error, loadedIds), error);
    }
    fail(document.source, `invalid schema: ${describeCompileError(error, document.schema)}`, error);
  }
}

/** ajv's strict-mode message names an unknown keyword but not where it is; add the place. */
function describeCompileError(error: unknown, schema: JsonObject): string {
  const message = messageOf(error);
  const unknown = /^strict mode: unknown keyword: "(.+)"$/.exec(message);
  const location = unknown ? locateKeyword(schema, unknown[1]!, '') : null;
  return location === null ? message : `${message} at ${location || '(root)'}`;
}

/** JSON pointer of the first schema object (not data such as const or enum) that uses `keyword`. */
function locateKeyword(schema: unknown, keyword: string, at: string): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
  if (Object.hasOwn(schema, keyword)) return at;
  for (const child of subschemasOf(schema)) {
    const found = locateKeyword(child.schema, keyword, `${at}${child.pointer}`);
    if (found !== null) return found;
  }
  return null;
}

function describeMissingReference(error: MissingRefError, loadedIds: ReadonlySet<string>): string {
  if (loadedIds.has(error.missingSchema)) {
    return `$ref "${error.missingRef}" points to nothing: ${error.missingSchema} has no such location`;
  }
  return (
    `$ref "${error.missingRef}" is not among the loaded schemas (policies, shared schemas, the facts schema); ` +
    'policies never fetch schemas'
  );
}

function definitionsOf(schema: JsonObject): JsonObject {
  const defs = schema['$defs'];
  return typeof defs === 'object' && defs !== null && !Array.isArray(defs) ? (defs as JsonObject) : {};
}

/** A `$defs` name as a URI fragment JSON-pointer segment. */
function pointerSegment(name: string): string {
  return encodeURIComponent(escapePointerSegment(name));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
