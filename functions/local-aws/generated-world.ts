/**
 * A synthetic world for scale tests and the scan benchmark: an organization of many
 * accounts spread over team units below a Workloads unit, a registry per account and
 * region with a few tagged repositories, and signing configurations that reference a
 * few profiles shared from one security account per region.
 */
import { createHash } from 'node:crypto';
import type { ImageSnapshot, RegistrySnapshot, SigningProfileSnapshot } from '../core/types.js';
import type { OrganizationAccountDocument, OrganizationalUnitDocument, World } from './world.js';

export interface GeneratedWorldOptions {
  /** Accounts in the organization, the management account (the caller) included. */
  accounts: number;
  regions: readonly string[];
  repositoriesPerRegistry: number;
  /** Shared profiles per region; each registry's configuration references two of them (or one). */
  profilesPerRegion: number;
  /** Team units below Workloads; member accounts are dealt to them in turn. */
  teams?: number;
  /** Accounts whose scan role cannot be assumed. */
  deniedAccountIds?: readonly string[];
  /** Images per repository, pushed an hour apart before `imagesPushedBefore`, signed by every covering profile. */
  imagesPerRepository?: number;
  imagesPushedBefore?: Date;
}

export const GENERATED_ROOT_ID = 'r-gen1';
export const GENERATED_WORKLOADS_UNIT_ID = 'ou-gen1-workload';
const FIRST_ACCOUNT_ID = 100_000_000_000;

/** The n-th account id (0 is the management account). */
export function generatedAccountId(n: number): string {
  return String(FIRST_ACCOUNT_ID + n);
}

/** The id of team unit `n` (names are `Team <n>`). */
export function generatedTeamUnitId(n: number): string {
  return `ou-gen1-team${String(n).padStart(4, '0')}`;
}

/** The account that owns every shared signing profile. */
export const GENERATED_SECURITY_ACCOUNT_ID = generatedAccountId(1);

export function generatedProfileArn(region: string, n: number): string {
  return `arn:aws:signer:${region}:${GENERATED_SECURITY_ACCOUNT_ID}:/signing-profiles/shared_signing_${n}`;
}

export function generatedWorld(options: GeneratedWorldOptions): World {
  const teams = options.teams ?? 4;
  const units: OrganizationalUnitDocument[] = [
    { id: GENERATED_WORKLOADS_UNIT_ID, name: 'Workloads', parentId: GENERATED_ROOT_ID },
    ...Array.from({ length: teams }, (_, t) => ({
      id: generatedTeamUnitId(t),
      name: `Team ${t}`,
      parentId: GENERATED_WORKLOADS_UNIT_ID,
    })),
  ];
  const accounts: OrganizationAccountDocument[] = Array.from({ length: options.accounts }, (_, n) => ({
    id: generatedAccountId(n),
    name: n === 0 ? 'management' : `workload-${n}`,
    email: `aws-${n}@example.com`,
    ...(n === 0 ? {} : { parentId: generatedTeamUnitId((n - 1) % teams) }),
    tags: { owner: `team-${n === 0 ? 'platform' : (n - 1) % teams}` },
  }));
  const profiles: SigningProfileSnapshot[] = options.regions.flatMap((region) =>
    Array.from({ length: options.profilesPerRegion }, (_, p) => ({
      profileArn: generatedProfileArn(region, p),
      status: 'Active' as const,
    })),
  );
  const registries: RegistrySnapshot[] = accounts.flatMap((account, n) =>
    options.regions.map((region) => generatedRegistry(account.id, region, n, options)),
  );
  return {
    snapshotVersion: 1,
    registries,
    localAws: {
      organization: {
        id: 'o-generated01',
        managementAccountId: generatedAccountId(0),
        root: { id: GENERATED_ROOT_ID, name: 'Root' },
        organizationalUnits: units,
        accounts,
      },
      signingProfiles: profiles,
      ...(options.deniedAccountIds ? { assumeRoleDeniedAccountIds: [...options.deniedAccountIds] } : {}),
    },
  };
}

function generatedRegistry(
  accountId: string,
  region: string,
  n: number,
  options: GeneratedWorldOptions,
): RegistrySnapshot {
  const profileArns = [...new Set([n % options.profilesPerRegion, (n + 1) % options.profilesPerRegion])].map(
    (p) => generatedProfileArn(region, p),
  );
  return {
    accountId,
    region,
    signingConfiguration: {
      rules: profileArns.map((signingProfileArn, i) =>
        i === 0
          ? { signingProfileArn }
          : { signingProfileArn, repositoryFilters: [{ filter: 'release/*', filterType: 'WILDCARD_MATCH' }] },
      ),
    },
    repositories: Array.from({ length: options.repositoriesPerRegistry }, (_, r) => {
      const release = r % 2 === 0;
      // The first rule has no filters; the second signs release/* only.
      const signers = release ? profileArns : profileArns.slice(0, 1);
      return {
        repositoryName: `${release ? 'release' : 'build'}/service-${r}`,
        tags: { team: `team-${n}`, index: String(r) },
        ...(options.imagesPerRepository ? { images: generatedImages(n, r, signers, options) } : {}),
      };
    }),
  };
}

function generatedImages(
  n: number,
  r: number,
  signers: readonly string[],
  options: GeneratedWorldOptions,
): ImageSnapshot[] {
  const before = (options.imagesPushedBefore ?? new Date()).getTime();
  return Array.from({ length: options.imagesPerRepository ?? 0 }, (_, i) => ({
    imageDigest: `sha256:${createHash('sha256').update(`${n}/${r}/${i}`).digest('hex')}`,
    imageTags: [`build-${i}`],
    pushedAt: new Date(before - (i + 1) * 3_600_000).toISOString(),
    signingStatuses: signers.map((signingProfileArn) => ({ signingProfileArn, status: 'COMPLETE' as const })),
  }));
}
