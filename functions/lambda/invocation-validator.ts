/**
 * The ajv validator for manual invocations. In the Lambda bundle the build replaces this
 * module with the schema precompiled to code (ajv standalone), so no invocation compiles
 * a schema; unbundled it compiles on first use.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import {
  compiledSigningChangeEventValidator,
  EVENT_AJV_OPTIONS,
} from '../run/signing-change-event-validator.js';
import invocationSchema from './invocation.schema.json' with { type: 'json' };

export interface InvocationValidator {
  (payload: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export const INVOCATION_AJV_OPTIONS = EVENT_AJV_OPTIONS;

let compiled: ValidateFunction | undefined;

export function invocationValidator(): InvocationValidator {
  compiled ??= new Ajv2020(INVOCATION_AJV_OPTIONS).compile(invocationSchema);
  return compiled;
}

/** For CloudTrail signing-configuration events delivered by EventBridge (same options). */
export function signingChangeEventValidator(): InvocationValidator {
  return compiledSigningChangeEventValidator();
}
