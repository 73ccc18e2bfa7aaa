import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorldInvalidError } from '../../../functions/local-aws/errors.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import {
  loadWorldFile,
  parseFaultSettings,
  resolveWorld,
  type World,
} from '../../../functions/local-aws/world.js';

function withOrganization(change: (world: World) => void): World {
  const world = exampleWorld();
  change(world);
  return world;
}

describe('resolveWorld', () => {
  it('resolves the bundled example world', () => {
    const world = resolveWorld(exampleWorld(), 'example');
    expect(world.callerAccountId).toBe('111111111111');
    expect(world.organization?.accounts.map((a) => a.status)).toEqual([
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'SUSPENDED',
    ]);
    expect(world.assumeRoleDeniedAccountIds).toEqual(new Set(['555555555555']));
    expect(
      world.signingProfiles.get('arn:aws:signer:us-east-1:111111111111:/signing-profiles/ecr_signing_legacy')
        ?.status,
    ).toBe('Revoked');
    const configurations = world.registries.map((r) => r.signingConfiguration);
    expect(configurations).toContainEqual({ rules: [] });
    expect(configurations).toContain(null);
  });

  it('defaults the caller to the first registry owner when there is no organization', () => {
    const world = resolveWorld(
      {
        snapshotVersion: 1,
        registries: [
          { accountId: '999988887777', region: 'us-east-1', signingConfiguration: null, repositories: [] },
        ],
      },
      'w.json',
    );
    expect(world.callerAccountId).toBe('999988887777');
    expect(world.organization).toBeNull();
  });

  it('names the file and the field of a schema violation in one line', () => {
    const world = withOrganization((w) => {
      w.localAws!.organization!.accounts[1]!.id = '22';
    });
    expect(() => resolveWorld(world, 'w.json')).toThrowError(WorldInvalidError);
    expect(() => resolveWorld(world, 'w.json')).toThrowError(
      /^w\.json: \/localAws\/organization\/accounts\/1\/id must match pattern/,
    );
  });

  it('rejects an unknown key under localAws', () => {
    const world = withOrganization((w) => {
      (w.localAws as Record<string, unknown>)['topics'] = [];
    });
    expect(() => resolveWorld(world, 'w.json')).toThrowError(
      "w.json: /localAws must NOT have additional properties 'topics'",
    );
  });

  it('rejects a repository name outside the ECR pattern', () => {
    const world = withOrganization((w) => {
      w.registries[0]!.repositories[0]!.repositoryName = 'Payments/API';
    });
    expect(() => resolveWorld(world, 'w.json')).toThrowError(
      "w.json: /registries/0/repositories/0/repositoryName 'Payments/API' is not a valid ECR repository name",
    );
  });

  it('rejects a signing configuration ECR would refuse, in the words of the API constraints', () => {
    const world = withOrganization((w) => {
      w.registries[0]!.signingConfiguration = {
        rules: [{ signingProfileArn: 'arn:aws:signer:us-east-1:1:/x' }],
      };
    });
    expect(() => resolveWorld(world, 'w.json')).toThrowError(
      "w.json: /registries/0/signingConfiguration: signingConfiguration.rules.1.signingProfileArn 'arn:aws:signer:us-east-1:1:/x' is not a valid Signer signing profile ARN",
    );
  });

  it('rejects a unit whose parent does not exist and units that form a cycle', () => {
    const missing = withOrganization((w) => {
      w.localAws!.organization!.organizationalUnits![0]!.parentId = 'ou-ex12-nowhere00';
    });
    expect(() => resolveWorld(missing, 'w.json')).toThrowError(
      /organizationalUnits\/0\/parentId 'ou-ex12-nowhere00' is neither/,
    );
    const cycle = withOrganization((w) => {
      w.localAws!.organization!.organizationalUnits![0]!.parentId = 'ou-ex12-prod0001';
    });
    expect(() => resolveWorld(cycle, 'w.json')).toThrowError(/makes a cycle of units/);
  });

  it('rejects a management account that is not one of the accounts', () => {
    const world = withOrganization((w) => {
      w.localAws!.organization!.managementAccountId = '999999999999';
    });
    expect(() => resolveWorld(world, 'w.json')).toThrowError(
      /managementAccountId 999999999999 is not in accounts/,
    );
  });

  it('rejects a profile listed twice with different statuses', () => {
    const world = withOrganization((w) => {
      w.localAws!.signingProfiles = [
        {
          profileArn: 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ecr_signing_legacy',
          status: 'Active',
        },
      ];
    });
    expect(() => resolveWorld(world, 'w.json')).toThrowError(
      /\/localAws\/signingProfiles\/0 describes .* differently/,
    );
  });
});

describe('parseFaultSettings', () => {
  it('accepts rules that add latency or an error and rejects a rule that does neither', () => {
    expect(
      parseFaultSettings({ seed: 3, rules: [{ latencyMs: 5 }, { error: 'throttling', rate: 0.1 }] }, 'f'),
    ).toEqual({
      seed: 3,
      rules: [{ latencyMs: 5 }, { error: 'throttling', rate: 0.1 }],
    });
    expect(() => parseFaultSettings({ rules: [{ service: 'ecr' }] }, 'f')).toThrowError(WorldInvalidError);
  });
});

describe('loadWorldFile', () => {
  it('names the file when it is not JSON or cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'world-'));
    const path = join(dir, 'world.json');
    await writeFile(path, '{ nope');
    await expect(loadWorldFile(path)).rejects.toThrowError(new RegExp(`^${path}: not valid JSON`));
    await expect(loadWorldFile(join(dir, 'missing.json'))).rejects.toThrowError(
      /^cannot read world file .*missing\.json/,
    );
  });

  it('returns the document of a valid world file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'world-'));
    const path = join(dir, 'world.json');
    await writeFile(path, JSON.stringify(exampleWorld()));
    expect((await loadWorldFile(path)).registries).toHaveLength(exampleWorld().registries.length);
  });
});
