/**
 * The ajv validator for manual invocations. In the Lambda bundle the build replaces this
 * module with the schema precompiled to code (ajv standalone), so no invocation compiles
 * a schema; unbundled it compiles on first use.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import invocationSchema from './invocation.schema.json' with { type: 'json' };
import signingChangeEventSchema from './signing-change-event.schema.json' with { type: 'json' };

export interface InvocationValidator {
  (payload: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export const INVOCATION_AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false } as const;

let compiled: ValidateFunction | undefined;
let compiledChangeEvent: ValidateFunction | undefined;

export function invocationValidator(): InvocationValidator {
  compiled ??= new Ajv2020(INVOCATION_AJV_OPTIONS).compile(invocationSchema);
  return compiled;
}

/** For CloudTrail signing-configuration events delivered by EventBridge (same options). */
export function signingChangeEventValidator(): InvocationValidator {
  compiledChangeEvent ??= new Ajv2020(INVOCATION_AJV_OPTIONS).compile(signingChangeEventSchema);
  return compiledChangeEvent;
}
