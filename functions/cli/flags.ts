/**
 * Flag parsing shared by the commands: node's parseArgs in strict mode, with its
 * errors turned into one-line usage errors naming the command (exit 2).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigurationError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigurationError(`${command}: ${(error as Error).message}`, { cause: error });
  }
}

/** A flag whose value must be one of `choices`; `fallback` when absent. */
export function choiceFlag<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigurationError(`--${flag} must be one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}

/** The largest delay Node's timers take (2^31-1 ms); longer ones would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A whole-number flag in decimal digits only (`1e3`, `0x10`, `1.5`, `-1` are refused, as a
 * typo is likelier than intent), from `min` to `max`; `fallback` when absent.
 */
export function wholeNumberFlag(
  flag: string,
  value: string | undefined,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  const min = range.min ?? 1;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    const what = min === 0 ? 'a whole number (0 or more)' : `a whole number from ${min}`;
    throw new ConfigurationError(`--${flag} must be ${what} in decimal digits, got '${value}'`);
  }
  if (n > max) throw new ConfigurationError(`--${flag} must be at most ${max}, got '${value}'`);
  return n;
}
