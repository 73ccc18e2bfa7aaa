/**
 * Environment reading, in one place. Every reader names the variable in its error, so
 * a misconfigured function fails at cold start with a message an operator can act on.
 */
import { ConfigurationError } from '../core/errors.js';

export type Environment = Readonly<Record<string, string | undefined>>;

interface Read<T> {
  key: string;
  defaultValue?: T;
}

function raw(env: Environment, key: string): string | undefined {
  const value = env[key]?.trim();
  return value === '' ? undefined : value;
}

function missing(key: string): ConfigurationError {
  return new ConfigurationError(`environment variable ${key} is required`);
}

export function getString(env: Environment, { key, defaultValue }: Read<string>): string {
  const value = raw(env, key) ?? defaultValue;
  if (value === undefined) throw missing(key);
  return value;
}

export function getOptionalString(env: Environment, key: string): string | undefined {
  return raw(env, key);
}

export function getInteger(
  env: Environment,
  { key, defaultValue, min, max }: Read<number> & { min?: number; max?: number },
): number {
  const value = raw(env, key);
  if (value === undefined) {
    if (defaultValue === undefined) throw missing(key);
    return defaultValue;
  }
  const n = Number(value);
  // Decimal digits only: `1e3` or `0x10` is likelier a typo than intent.
  if (
    !/^-?\d+$/.test(value.trim()) ||
    !Number.isSafeInteger(n) ||
    (min !== undefined && n < min) ||
    (max !== undefined && n > max)
  ) {
    const range =
      min !== undefined && max !== undefined
        ? ` between ${min} and ${max}`
        : min !== undefined
          ? ` >= ${min}`
          : '';
    throw new ConfigurationError(
      `environment variable ${key} must be an integer${range} in decimal digits, got '${value}'`,
    );
  }
  return n;
}

export function getBoolean(env: Environment, { key, defaultValue }: Read<boolean>): boolean {
  const value = raw(env, key)?.toLowerCase();
  if (value === undefined) {
    if (defaultValue === undefined) throw missing(key);
    return defaultValue;
  }
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigurationError(`environment variable ${key} must be true or false, got '${value}'`);
}

/** A comma-separated list; empty entries are dropped. */
export function getList(env: Environment, key: string): string[] {
  return (raw(env, key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function getChoice<T extends string>(
  env: Environment,
  { key, defaultValue, choices }: Read<T> & { choices: readonly T[] },
): T {
  const value = raw(env, key) ?? defaultValue;
  if (value === undefined) throw missing(key);
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigurationError(
      `environment variable ${key} must be one of ${choices.join(', ')}, got '${value}'`,
    );
  }
  return value as T;
}
