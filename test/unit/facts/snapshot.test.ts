import { describe, expect, it } from 'vitest';
import { SnapshotInvalidError } from '../../../functions/core/errors.js';
import { parseSnapshot } from '../../../functions/core/facts/index.js';

const valid = {
  snapshotVersion: 1,
  capturedAt: '2026-11-23T08:00:00Z',
  registries: [
    {
      accountId: '111122223333',
      region: 'us-east-1',
      signingConfiguration: null,
      repositories: [{ repositoryName: 'web' }],
    },
  ],
};

describe('parseSnapshot', () => {
  it('returns a document that follows the snapshot schema', () => {
    expect(parseSnapshot(valid, 'snap.json').registries[0]!.accountId).toBe('111122223333');
  });

  it('names the source and the field when the document is invalid', () => {
    const bad = { ...valid, registries: [{ ...valid.registries[0], accountId: '12' }] };
    expect(() => parseSnapshot(bad, 'snap.json')).toThrowError(SnapshotInvalidError);
    expect(() => parseSnapshot(bad, 'snap.json')).toThrowError(
      /^snap\.json: \/registries\/0\/accountId must match pattern/,
    );
  });

  it('rejects a registry listed twice', () => {
    const twice = { ...valid, registries: [valid.registries[0], valid.registries[0]] };
    expect(() => parseSnapshot(twice, 'snap.json')).toThrowError(
      'snap.json: /registries/1 repeats registry 111122223333/us-east-1',
    );
  });
});
