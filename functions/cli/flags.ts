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
