import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../functions/records/drift-store.js';
import { findHold, holdReason } from '../../../functions/remediation/remediation-hold.js';

const TARGET = { accountId: '222222222222', region: 'eu-west-1' };
const ALICE = 'arn:aws:iam::222222222222:user/alice';

function entry(runId: string, status: JournalEntry['status'], overwrote = false): JournalEntry {
  return {
    ...TARGET,
    runId,
    before: null,
    after: null,
    plan: {},
    status,
    reason: null,
    ...(overwrote
      ? {
          overwroteConcurrentChange: [
            { principal: ALICE, eventName: 'PutSigningConfiguration', eventTime: '2026-03-02T09:00:00.000Z' },
          ],
        }
      : {}),
    recordedAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
  };
}

describe('findHold', () => {
  it('holds a target whose newest overwriting entry has no release after it', () => {
    const journal = [entry('run-3', 'planned'), entry('run-2', 'applied', true), entry('run-1', 'applied')];
    expect(findHold(journal)?.runId).toBe('run-2');
    expect(holdReason(TARGET, findHold(journal)!)).toBe(
      `remediation of 222222222222/eu-west-1 is held: run run-2 replaced a change made meanwhile by ${ALICE}; ` +
        'after checking the registry, release it with ecr-sign-drift release --target 222222222222/eu-west-1',
    );
  });

  it('holds nothing once a release is newer than the overwriting entry', () => {
    expect(findHold([entry('release', 'released'), entry('run-2', 'applied', true)])).toBeNull();
  });

  it('holds again when a later remediation overwrites another change after a release', () => {
    const journal = [
      entry('run-4', 'applied', true),
      entry('release', 'released'),
      entry('run-2', 'applied', true),
    ];
    expect(findHold(journal)?.runId).toBe('run-4');
  });

  it('holds nothing for a journal of ordinary entries', () => {
    expect(findHold([entry('run-2', 'rolled-back'), entry('run-1', 'applied')])).toBeNull();
    expect(findHold([])).toBeNull();
  });
});
