/**
 * Shapes of the policy engine. A policy is a JSON Schema (draft 2020-12) applied to one
 * registry's facts; a failed validation becomes findings, never an exception.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Severity } from '../types.js';
import type { LintWarning } from './lint-warnings.js';
import type { Waiver } from './waivers.js';

/** A JSON document and where it came from (a file path, or any label for in-memory documents). */
export interface SchemaDocument {
  source: string;
  schema: unknown;
}

/** Which registries a policy applies to. Every criterion present must hold; within a list, any entry may. */
export interface PolicyScope {
  accounts?: string[];
  regions?: string[];
  /** Organizational unit (or root) ids; an account under any of them, at any depth, is in scope. */
  organizationalUnits?: string[];
  /** Account tag key to the accepted value or values. */
  accountTags?: Record<string, string | string[]>;
  /**
   * Tag key of the account's organizational units to the accepted value or values: a unit's
   * (or the root's) tag applies to every account below it, and a deeper unit's value wins.
   */
  organizationalUnitTags?: Record<string, string | string[]>;
}

/** What a policy says about itself, read from its schema's metadata keywords. */
export interface PolicyMetadata {
  /** The schema's `$id`. */
  id: string;
  title: string;
  description: string | null;
  severity: Severity;
  scope: PolicyScope | null;
  /** The file (or label) the policy was loaded from. */
  source: string;
  /** The author's `errorMessage` templates by schema location (see error-messages.ts). */
  messages: Readonly<Record<string, string>>;
}

/** An ajv validate function, compiled at run time or loaded from precompiled standalone code. */
export interface FactsValidator {
  (facts: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface CompiledPolicy extends PolicyMetadata {
  validate: FactsValidator;
}

/** A policy set that loaded whole: evaluation never runs on a partly loaded set. */
export interface PolicySet {
  readonly policies: readonly CompiledPolicy[];
  /** `$id`s of the shared schemas the policies may reference. */
  readonly sharedSchemaIds: readonly string[];
  /** What ajv's strictTypes/strictRequired/strictTuples noticed at load (none for a precompiled set). */
  readonly lintWarnings?: readonly LintWarning[];
  /** Waivers read beside the policies (policies/waivers/), applied by the audit. */
  readonly waivers?: readonly Waiver[];
  /** Set when a policy subset left out the built-in `matches-desired` check. */
  readonly withoutMatchesDesired?: true;
}

/** The built-in check that a registry matches its desired configuration (see core/drift). */
export const MATCHES_DESIRED_ID = 'matches-desired';
