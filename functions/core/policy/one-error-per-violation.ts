/**
 * One violation, one error. With allErrors, ajv reports a failed `contains`, `anyOf` or
 * `oneOf` together with every inner error of the alternatives it tried (each item that was
 * never meant to match `contains`), and a failed `if` together with the errors of the
 * `then`/`else` branch that failed. The inner errors of those applicators are dropped (the
 * applicator's own error is the violation); an `if` error is dropped when its branch's errors
 * are there to say what is wrong. What remains becomes findings.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';

const ALTERNATIVES = new Set(['contains', 'anyOf', 'oneOf']);

export function oneErrorPerViolation(errors: readonly ErrorObject[]): ErrorObject[] {
  if (!errors.some((e) => ALTERNATIVES.has(e.keyword) || e.keyword === 'if')) return [...errors];
  const dropped = new Array<boolean>(errors.length).fill(false);
  errors.forEach((applicator, index) => {
    if (!ALTERNATIVES.has(applicator.keyword)) return;
    // ajv adds an applicator's error right after its inner errors: walk back over them.
    for (let inner = index - 1; inner >= 0; inner--) {
      if (dropped[inner]) continue;
      const error = errors[inner]!;
      if (!isWithin(error, applicator)) break;
      dropped[inner] = true;
    }
  });
  const kept = errors.filter((_, i) => !dropped[i]);
  return kept.filter((error) => error.keyword !== 'if' || !hasBranchErrors(error, kept));
}

/** Below the applicator in the data, and in its subschemas (or in a schema they `$ref`). */
function isWithin(error: ErrorObject, applicator: ErrorObject): boolean {
  const underData =
    error.instancePath === applicator.instancePath ||
    error.instancePath.startsWith(`${applicator.instancePath}/`);
  const underSchema =
    error.schemaPath.startsWith(`${applicator.schemaPath}/`) || !error.schemaPath.startsWith('#');
  return underData && underSchema;
}

function hasBranchErrors(ifError: ErrorObject, errors: readonly ErrorObject[]): boolean {
  const base = ifError.schemaPath.slice(0, -'/if'.length);
  const branches = [`${base}/then`, `${base}/else`];
  return errors.some(
    (e) => e !== ifError && branches.some((b) => e.schemaPath === b || e.schemaPath.startsWith(`${b}/`)),
  );
}
