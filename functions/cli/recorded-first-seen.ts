/**
 * First-seen times from the records, for the finding formats other tools import (ASFF,
 * OCSF): a finding the runs have recorded keeps the time they first saw it. Held for one
 * registry at a time, as the streamed report reads them.
 */
import type { Finding, TargetRef } from '../core/types.js';
import type { DriftStore } from '../records/drift-store.js';

export class RecordedFirstSeen {
  readonly #store: DriftStore;
  #byFingerprint = new Map<string, string>();

  constructor(store: DriftStore) {
    this.#store = store;
  }

  /** Reads the target's open findings; `of` answers for that target until the next load. */
  async load(target: TargetRef): Promise<void> {
    const record = await this.#store.getTarget(target);
    this.#byFingerprint = new Map(
      [...(record?.openFindings.values() ?? [])].map((f) => [f.fingerprint, f.firstSeen]),
    );
  }

  readonly of = (finding: Finding): string | undefined => this.#byFingerprint.get(finding.fingerprint);
}
