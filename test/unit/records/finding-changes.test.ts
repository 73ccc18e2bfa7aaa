import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../functions/core/types.js';
import { planFindingChanges, type StoredFinding } from '../../../functions/records/finding-changes.js';

const EARLIER = '2025-01-01T00:00:00.000Z';
const NOW = '2025-01-02T00:00:00.000Z';

const findingArbitrary: fc.Arbitrary<Finding> = fc.record({
  policyId: fc.constantFrom('p1', 'p2'),
  policyTitle: fc.constant('Policy'),
  severity: fc.constantFrom('high', 'low'),
  accountId: fc.constant('111122223333'),
  region: fc.constant('eu-west-1'),
  message: fc.constantFrom('m1', 'm2'),
  factsPath: fc.constant('/'),
  fingerprint: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
});

function storedMap(findings: Finding[]): Map<string, StoredFinding> {
  return new Map(findings.map((f) => [f.fingerprint, { ...f, firstSeen: EARLIER, lastNotified: EARLIER }]));
}

describe('planFindingChanges', () => {
  it('leaves exactly the scanned fingerprints open, keeping the history of those already open', () => {
    fc.assert(
      fc.property(fc.array(findingArbitrary), fc.array(findingArbitrary), (before, scanned) => {
        const stored = storedMap(before);
        const { put, changes } = planFindingChanges(stored, scanned, NOW);
        const after = new Map(stored);
        for (const fingerprint of changes.closed) after.delete(fingerprint);
        for (const finding of put) after.set(finding.fingerprint, finding);

        const scannedFingerprints = new Set(scanned.map((f) => f.fingerprint));
        expect(new Set(after.keys())).toEqual(scannedFingerprints);
        expect(changes.open).toBe(scannedFingerprints.size);
        for (const fingerprint of changes.opened) expect(stored.has(fingerprint)).toBe(false);
        for (const [fingerprint, finding] of after) {
          const wasOpen = stored.has(fingerprint);
          expect(finding.firstSeen).toBe(wasOpen ? EARLIER : NOW);
          expect(finding.lastNotified).toBe(wasOpen ? EARLIER : null);
        }
      }),
    );
  });

  it('rewrites no finding whose content is unchanged', () => {
    fc.assert(
      fc.property(fc.array(findingArbitrary), (findings) => {
        expect(planFindingChanges(storedMap(findings), findings, NOW).put).toEqual([]);
      }),
    );
  });
});
