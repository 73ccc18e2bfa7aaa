/**
 * The regular-expression engine policies' `pattern` and `patternProperties` run on: RE2
 * (re2js), whose matching time is linear in the input, so a pattern such as "^(a+)+$"
 * cannot stall an evaluation (with JavaScript's backtracking engine it takes minutes on a
 * 40-character name). Constructs RE2 cannot run in linear time (lookaround,
 * backreferences) are refused when the policy loads.
 */
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

/** ajv's `code.regExp`: the function compiles at load; `code` is the same in generated (standalone) modules. */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern)),
  {
    code: '((pattern) => require("re2js").RE2JS.compile(require("re2js").RE2JS.translateRegExp(pattern)))',
  },
);
