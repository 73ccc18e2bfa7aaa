/**
 * Loads a precompiled policy set (a module generatePolicySetModule wrote). Kept apart from
 * the generator so a Lambda bundle that only evaluates does not carry ajv's compiler.
 */
import { PolicyLoadError } from '../errors.js';
import { SEVERITIES } from '../types.js';
import type { CompiledPolicy, FactsValidator, PolicyMetadata, PolicySet } from './types.js';

/** The export of a generated module that describes the set. */
export const POLICY_SET_METADATA_EXPORT = 'policySetMetadata';

export interface PrecompiledPolicyMetadata extends PolicyMetadata {
  /** Name of the module export holding this policy's validate function. */
  validateExport: string;
}

export interface PrecompiledPolicySetMetadata {
  sharedSchemaIds: string[];
  policies: PrecompiledPolicyMetadata[];
}

/** Builds a PolicySet from an imported generated module; throws PolicyLoadError when it is not one. */
export function policySetFromModule(module: Readonly<Record<string, unknown>>): PolicySet {
  const metadata = module[POLICY_SET_METADATA_EXPORT] as PrecompiledPolicySetMetadata | undefined;
  if (!metadata || !Array.isArray(metadata.policies) || !Array.isArray(metadata.sharedSchemaIds)) {
    throw new PolicyLoadError(`precompiled policy module has no ${POLICY_SET_METADATA_EXPORT} export`);
  }
  const policies: CompiledPolicy[] = metadata.policies.map((entry) => {
    const validate = module[entry.validateExport];
    if (typeof validate !== 'function') {
      throw new PolicyLoadError(
        `precompiled policy module has no validate function ${entry.validateExport} for policy ${entry.id}`,
      );
    }
    if (!(SEVERITIES as readonly string[]).includes(entry.severity)) {
      throw new PolicyLoadError(
        `precompiled policy module gives policy ${entry.id} unknown severity ${entry.severity}`,
      );
    }
    const { validateExport: _, ...policyMetadata } = entry;
    return { ...policyMetadata, validate: validate as FactsValidator };
  });
  return { policies, sharedSchemaIds: metadata.sharedSchemaIds };
}
