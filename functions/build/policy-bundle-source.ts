/**
 * Build-time only: sources of the modules that replace functions/lambda/bundled-policies.ts
 * and functions/lambda/invocation-validator.ts in Lambda bundles: schemas precompiled to
 * validation code (ajv standalone) and the desired set inlined.
 */
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import {
  generatePolicySetModule,
  importsForRuntimeRequires,
  policiesReadRepositoryTags,
} from '../core/policy/index.js';
import { loadDesiredDirectory } from '../files/load-desired-directory.js';
import { loadPolicySet } from '../files/load-policy-directory.js';
import invocationSchema from '../lambda/invocation.schema.json' with { type: 'json' };
import { INVOCATION_AJV_OPTIONS } from '../lambda/invocation-validator.js';
import signingChangeEventSchema from '../run/signing-change-event.schema.json' with { type: 'json' };

/**
 * The invocation and signing-change-event schemas as standalone validation code, exporting
 * `invocationValidator()` and `signingChangeEventValidator()`.
 */
export function invocationValidatorSource(): string {
  const ajv = new Ajv2020({ ...INVOCATION_AJV_OPTIONS, code: { source: true, esm: true } });
  ajv.addSchema(invocationSchema);
  ajv.addSchema(signingChangeEventSchema);
  const { imports, code } = importsForRuntimeRequires(
    standaloneCode.default(ajv, {
      validateInvocation: invocationSchema.$id,
      validateSigningChangeEvent: signingChangeEventSchema.$id,
    }),
  );
  return [
    ...imports,
    code,
    'export function invocationValidator() { return validateInvocation; }',
    'export function signingChangeEventValidator() { return validateSigningChangeEvent; }',
    '',
  ].join('\n');
}

export async function policyBundleSources(
  policyDirectory: string,
): Promise<{ validators: string; wrapper: string }> {
  const { directory, policySet } = await loadPolicySet(policyDirectory);
  const validators = generatePolicySetModule(directory.policies, directory.sharedSchemas);
  const desired = await loadDesiredDirectory(join(policyDirectory, 'desired'));
  const wrapper = [
    "import * as validators from 'bundled:policy-validators';",
    "import { policySetFromModule } from '../core/policy/index.js';",
    'const policies = {',
    `  policySet: { ...policySetFromModule(validators), waivers: ${JSON.stringify(policySet.waivers ?? [])} },`,
    `  desired: ${JSON.stringify(desired)},`,
    `  readsRepositoryTags: ${policiesReadRepositoryTags(directory.policies)},`,
    '};',
    'export function bundledPolicies() { return Promise.resolve(policies); }',
    '',
  ].join('\n');
  return { validators, wrapper };
}
