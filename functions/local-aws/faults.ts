/**
 * Fault injection: added latency and AWS errors for chosen calls, decided by a seeded
 * PRNG and per-rule counters so that a test run is reproducible call for call.
 */
import type { SigningConfiguration } from '../core/types.js';
import type { ServiceName } from './services/service.js';

/**
 * `expired-credentials` ends the caller's role session at that call: the call and every later
 * call with the same keys are answered as AWS answers an expired token (a key that is not a
 * role session keeps working after the one answer).
 */
export type FaultErrorKind = 'throttling' | 'server-error' | 'access-denied' | 'expired-credentials';

/** One fault: which calls it matches (every given field must match) and what it does to them. */
export interface FaultRule {
  service?: ServiceName;
  operation?: string;
  /** The caller's account (from the request's credentials). */
  accountId?: string;
  region?: string;
  /** Added to every matching call before it is answered. */
  latencyMs?: number;
  /** The error a matching call gets (each service's own code for it). */
  error?: FaultErrorKind;
  /** Probability (0..1) that a matching call gets the error; default 1. */
  rate?: number;
  /** Only the first `count` matching calls get the error; later ones pass. */
  count?: number;
  /** HTTP status for `server-error` (500-599, default 500). */
  statusCode?: number;
  /**
   * Before a matching call is answered, this principal changes the caller's registry (and
   * CloudTrail records it): the lost-update race a remediation's re-read cannot close.
   * Limited by `count` like an error.
   */
  concurrentChange?: ConcurrentChange;
}

/** A change of the caller's registry made by someone else; null deletes the configuration. */
export interface ConcurrentChange {
  principalArn: string;
  signingConfiguration: SigningConfiguration | null;
}

export interface FaultSettings {
  /** PRNG seed for `rate`; the same seed gives the same sequence of errors. */
  seed?: number;
  rules: FaultRule[];
}

/** The call a decision is made for. */
export interface FaultTarget {
  service: ServiceName;
  operation: string;
  accountId: string;
  region: string;
}

export interface FaultDecision {
  latencyMs: number;
  /** `statusCode` is set for `server-error` only; the service picks the status of the others. */
  error: { kind: FaultErrorKind; statusCode?: number } | null;
  /** Changes other principals make just before the call is answered, in rule order. */
  concurrentChanges: ConcurrentChange[];
}

export const DEFAULT_FAULT_SEED = 1;

/** mulberry32: small, fast and good enough to spread errors; returns values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  return (
    (rule.service === undefined || rule.service === target.service) &&
    (rule.operation === undefined || rule.operation === target.operation) &&
    (rule.accountId === undefined || rule.accountId === target.accountId) &&
    (rule.region === undefined || rule.region === target.region)
  );
}

export class FaultInjector {
  #settings: FaultSettings;
  #random: () => number;
  #matchCounts: number[];

  constructor(settings: FaultSettings = { rules: [] }) {
    this.#settings = settings;
    this.#random = seededRandom(settings.seed ?? DEFAULT_FAULT_SEED);
    this.#matchCounts = settings.rules.map(() => 0);
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** Replaces the rules; counters and the PRNG start over. */
  replace(settings: FaultSettings): void {
    this.#settings = settings;
    this.reset();
  }

  /** Starts counters and the PRNG over for the current rules. */
  reset(): void {
    this.#random = seededRandom(this.#settings.seed ?? DEFAULT_FAULT_SEED);
    this.#matchCounts = this.#settings.rules.map(() => 0);
  }

  /**
   * Latency of every matching rule adds up; the first matching rule whose error fires decides the error.
   * Every matching call advances the `count` of every matching rule.
   * The PRNG is drawn only for rules with a rate below 1, so adding a certain rule does not shift the sequence.
   */
  decide(target: FaultTarget): FaultDecision {
    let latencyMs = 0;
    let error: FaultDecision['error'] = null;
    const concurrentChanges: ConcurrentChange[] = [];
    this.#settings.rules.forEach((rule, i) => {
      if (!matches(rule, target)) return;
      latencyMs += rule.latencyMs ?? 0;
      if (!rule.error && !rule.concurrentChange) return;
      const seen = (this.#matchCounts[i] ?? 0) + 1;
      this.#matchCounts[i] = seen;
      if (rule.concurrentChange) {
        if (rule.count === undefined || seen <= rule.count) concurrentChanges.push(rule.concurrentChange);
        return;
      }
      const kind = rule.error;
      if (error || !kind) return;
      if (rule.count !== undefined && seen > rule.count) return;
      const rate = rule.rate ?? 1;
      if (rate < 1 && this.#random() >= rate) return;
      error = kind === 'server-error' ? { kind, statusCode: rule.statusCode ?? 500 } : { kind };
    });
    return { latencyMs, error, concurrentChanges };
  }
}
