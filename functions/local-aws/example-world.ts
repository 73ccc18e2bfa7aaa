/** The bundled example world (an organization with compliant and drifting registries). */
import exampleWorldDocument from './example-world.json' with { type: 'json' };
import type { World } from './world.js';

/** A fresh copy each call; JSON imports widen enums to string, and startLocalAws validates the world anyway. */
export function exampleWorld(): World {
  return structuredClone(exampleWorldDocument) as World;
}
