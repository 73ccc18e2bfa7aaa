/**
 * V8 keeps the hidden classes ("shapes") of a class's instances only while some
 * instance lives: they hang off the constructor through weak transitions. Optimised
 * code depends on those shapes, so when the last matcher of one registry dies in a full
 * GC, the code is thrown away and the next registry runs unoptimised until V8 catches
 * up (measured: facts for 10,000 repositories took about twice as long after each full
 * GC). Holding one small instance of each hot class for the life of the process
 * keeps the shapes, and the code, alive.
 */
const keptAlive: unknown[] = [];

export function keepShapesAlive(...instances: unknown[]): void {
  keptAlive.push(...instances);
}
