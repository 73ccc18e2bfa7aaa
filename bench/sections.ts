/**
 * The benchmark's sections, run in this order by `npm run bench` (or only those named:
 * `node --expose-gc dist/bench.mjs matching`). To add one, write a module under
 * `bench/sections/` exporting a `BenchSection` and list it here.
 */
import type { Measurement } from './harness.js';
import { eventToAlertSection } from './sections/event-to-alert.js';
import { factsBuildingSection } from './sections/facts-building.js';
import { lambdaBundleSection } from './sections/lambda-bundle.js';
import { largeSnapshotSection } from './sections/large-snapshot.js';
import { matchingSection } from './sections/matching.js';
import { offlineAuditSection } from './sections/offline-audit.js';
import { policiesSection } from './sections/policies.js';
import { scanSection } from './sections/scan.js';

export interface SectionReport {
  measurements: Measurement[];
  /** Lines printed under the table: ratios, targets, caveats about the comparison. */
  notes: string[];
}

export interface BenchSection {
  /** Short name used to select the section from the command line. */
  id: string;
  title: string;
  run(): SectionReport | Promise<SectionReport>;
}

export const sections: readonly BenchSection[] = [
  factsBuildingSection,
  matchingSection,
  policiesSection,
  offlineAuditSection,
  largeSnapshotSection,
  scanSection,
  eventToAlertSection,
  lambdaBundleSection,
];
