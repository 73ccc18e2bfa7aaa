/** `--target ACCOUNT/REGION`: the one registry a command acts on. */
import { ConfigurationError } from '../core/errors.js';
import type { TargetRef } from '../core/types.js';

const TARGET = /^([0-9]{12})\/([a-z]{2}(?:-[a-z]+)+-[0-9]+)$/;

export function parseTargetRef(value: string | undefined): TargetRef {
  const match = TARGET.exec(value ?? '');
  if (!match) {
    throw new ConfigurationError(
      `--target must be ACCOUNT/REGION (like 111122223333/us-east-1), got '${value ?? ''}'`,
    );
  }
  return { accountId: match[1]!, region: match[2]! };
}
