/**
 * The signing-change event schema compiled on first use, for the CLI and unbundled code.
 * The Lambda bundle carries it precompiled instead (see lambda/invocation-validator.ts).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import signingChangeEventSchema from './signing-change-event.schema.json' with { type: 'json' };

/** The options every invocation and event schema compiles with, precompiled or not. */
export const EVENT_AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false } as const;

let compiled: ValidateFunction | undefined;

export function compiledSigningChangeEventValidator(): ValidateFunction {
  compiled ??= new Ajv2020(EVENT_AJV_OPTIONS).compile(signingChangeEventSchema);
  return compiled;
}
