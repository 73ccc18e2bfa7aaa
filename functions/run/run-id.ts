import { randomBytes } from 'node:crypto';

/** A run id that sorts by start time and does not collide: run-20261123T0900Z-1a2b3c. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/(\d{4})\d{2}Z$/, '$1Z');
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}
