/**
 * The world the local endpoint serves: a snapshot plus the `localAws` extras
 * (organization, denied roles, profiles, topics, faults). Validated when loaded,
 * then resolved once into the lookups the services need.
 */
import { readFile } from 'node:fs/promises';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { checkSigningConfiguration, REPOSITORY_NAME_PATTERN } from '../core/api-constraints.js';
import {
  describeSchemaError,
  parseSigningProfileArn,
  parseSnapshot,
  snapshotSchema,
} from '../core/facts/index.js';
import type {
  ImageSnapshot,
  RegistrySnapshot,
  SigningProfileSnapshot,
  Snapshot,
  Tags,
} from '../core/types.js';
import { WorldInvalidError } from './errors.js';
import type { FaultSettings } from './faults.js';
import worldSchema from './world.schema.json' with { type: 'json' };

export type AccountStatus = 'ACTIVE' | 'SUSPENDED';

export interface OrganizationalUnitDocument {
  id: string;
  name: string;
  parentId: string;
  tags?: Tags;
}

export interface OrganizationAccountDocument {
  id: string;
  name: string;
  email: string;
  status?: AccountStatus;
  parentId?: string;
  joinedTimestamp?: string;
  tags?: Tags;
}

export interface OrganizationDocument {
  id: string;
  managementAccountId: string;
  root?: { id: string; name?: string; tags?: Tags };
  organizationalUnits?: OrganizationalUnitDocument[];
  accounts: OrganizationAccountDocument[];
}

/** The `localAws` key of a world file (see world.schema.json). */
export interface LocalAwsDocument {
  callerAccountId?: string;
  organization?: OrganizationDocument;
  assumeRoleDeniedAccountIds?: string[];
  signingProfiles?: SigningProfileSnapshot[];
  snsTopicArns?: string[];
  faults?: FaultSettings;
  signingInProgressProfileArns?: string[];
  pushes?: WorldPush[];
}

/** An image the world pushes when the endpoint starts, `pushedMinutesAgo` before then. */
export interface WorldPush {
  accountId: string;
  region: string;
  repositoryName: string;
  imageTags?: string[];
  pushedMinutesAgo?: number;
}

/** The body of POST /_local/push (see world.schema.json `$defs/push`). */
export interface PushRequest {
  accountId: string;
  region: string;
  repositoryName: string;
  imageTags?: string[];
  imageDigest?: string;
  pushedAt?: string;
  artifactMediaType?: string;
  subjectManifestDigest?: string;
}

/** A world file: the snapshot format plus optional `localAws` extras. */
export interface World extends Snapshot {
  localAws?: LocalAwsDocument;
}

export interface ResolvedAccount {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  parentId: string;
  joinedTimestamp: Date;
  tags: Tags;
}

export interface ResolvedOrganizationalUnit {
  id: string;
  name: string;
  parentId: string;
  tags: Tags;
}

export interface ResolvedOrganization {
  id: string;
  managementAccountId: string;
  root: { id: string; name: string; tags: Tags };
  organizationalUnits: ResolvedOrganizationalUnit[];
  accounts: ResolvedAccount[];
}

/** The world with defaults applied and lookups built; read-only for the whole life of a server. */
export interface ResolvedWorld {
  registries: readonly RegistrySnapshot[];
  callerAccountId: string;
  organization: ResolvedOrganization | null;
  /** Every account the world knows: organization members, registry owners and the caller. */
  knownAccountIds: ReadonlySet<string>;
  assumeRoleDeniedAccountIds: ReadonlySet<string>;
  signingProfiles: ReadonlyMap<string, SigningProfileSnapshot>;
  snsTopicArns: readonly string[];
  faults: FaultSettings;
  /** Profiles whose signing of a pushed image stays IN_PROGRESS. */
  signingInProgressProfileArns: ReadonlySet<string>;
  /** Images pushed at start and on reset, in order. */
  pushes: readonly WorldPush[];
}

const WORLD_SCHEMA_ID = 'https://schemas.ecr-sign-drift.dev/local-aws-world/v1.json';
/** Used when the world names no account at all. */
const FALLBACK_CALLER_ACCOUNT_ID = '123456789012';
/** Accounts without a joined date joined at this instant, so listings are stable. */
const DEFAULT_JOINED_TIMESTAMP = '2024-01-15T09:00:00Z';

let ajv: Ajv2020 | undefined;

/** Compiled on first use, not at import. */
function schemaValidator(ref: string): ValidateFunction {
  if (!ajv) {
    // strictRequired would reject the fault rule's `anyOf: [{required: [latencyMs]}, {required: [error]}]`.
    ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false });
    addFormats.default(ajv);
    ajv.addSchema(snapshotSchema);
    ajv.addSchema(worldSchema);
  }
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`schema ${ref} is not registered`);
  return validate;
}

function fail(source: string, problem: string): never {
  throw new WorldInvalidError(`${source}: ${problem}`);
}

/** Reads and validates a world file; errors name the file and the field. */
export async function loadWorldFile(path: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WorldInvalidError(`cannot read world file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new WorldInvalidError(`${path}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  resolveWorld(document, path);
  return document as World;
}

/** Validates fault settings given at run time (POST /_local/faults, setFaults). */
export function parseFaultSettings(document: unknown, source: string): FaultSettings {
  const validate = schemaValidator(`${WORLD_SCHEMA_ID}#/$defs/faults`);
  if (!validate(document)) fail(source, describeSchemaError(validate.errors?.[0]));
  return document as FaultSettings;
}

/** Validates the body of POST /_local/push. */
export function parsePushRequest(document: unknown, source: string): PushRequest {
  const validate = schemaValidator(`${WORLD_SCHEMA_ID}#/$defs/push`);
  if (!validate(document)) fail(source, describeSchemaError(validate.errors?.[0]));
  return document as PushRequest;
}

/** Validates a world document and resolves it; throws WorldInvalidError (or SnapshotInvalidError) naming `source`. */
export function resolveWorld(document: unknown, source: string): ResolvedWorld {
  const validate = schemaValidator(WORLD_SCHEMA_ID);
  if (!validate(document)) fail(source, describeSchemaError(validate.errors?.[0]));
  const snapshot = parseSnapshot(document, source);
  const extras = (document as World).localAws ?? {};
  snapshot.registries.forEach((registry, i) => {
    checkRegistry(registry, `/registries/${i}`, source);
  });
  const organization = extras.organization ? resolveOrganization(extras.organization, source) : null;
  const signingProfiles = collectSigningProfiles(snapshot.registries, extras.signingProfiles ?? [], source);
  const callerAccountId =
    extras.callerAccountId ??
    organization?.managementAccountId ??
    snapshot.registries[0]?.accountId ??
    FALLBACK_CALLER_ACCOUNT_ID;
  const knownAccountIds = new Set([
    callerAccountId,
    ...snapshot.registries.map((r) => r.accountId),
    ...(organization?.accounts.map((a) => a.id) ?? []),
  ]);
  return {
    registries: snapshot.registries,
    callerAccountId,
    organization,
    knownAccountIds,
    assumeRoleDeniedAccountIds: new Set(extras.assumeRoleDeniedAccountIds ?? []),
    signingProfiles,
    snsTopicArns: [...new Set(extras.snsTopicArns ?? [])],
    faults: extras.faults ?? { rules: [] },
    signingInProgressProfileArns: new Set(extras.signingInProgressProfileArns ?? []),
    pushes: extras.pushes ?? [],
  };
}

/** What the snapshot schema leaves to code: ECR's name pattern, unique names and the signing constraints. */
function checkRegistry(registry: RegistrySnapshot, at: string, source: string): void {
  const names = new Set<string>();
  registry.repositories.forEach((repository, j) => {
    const name = repository.repositoryName;
    if (!REPOSITORY_NAME_PATTERN.test(name)) {
      fail(source, `${at}/repositories/${j}/repositoryName '${name}' is not a valid ECR repository name`);
    }
    if (names.has(name)) fail(source, `${at}/repositories/${j} repeats repository '${name}'`);
    names.add(name);
    checkImages(repository.images ?? [], `${at}/repositories/${j}`, source);
  });
  if (registry.signingConfiguration) {
    const [violation] = checkSigningConfiguration(registry.signingConfiguration);
    if (violation) fail(source, `${at}/signingConfiguration: ${violation.path} ${violation.message}`);
  }
}

/** A digest names one image of a repository, and a tag points at one image. */
function checkImages(images: readonly ImageSnapshot[], at: string, source: string): void {
  const digests = new Set<string>();
  const tags = new Set<string>();
  images.forEach((image, k) => {
    if (digests.has(image.imageDigest)) fail(source, `${at}/images/${k} repeats digest ${image.imageDigest}`);
    digests.add(image.imageDigest);
    for (const tag of image.imageTags ?? []) {
      if (tags.has(tag)) fail(source, `${at}/images/${k} repeats tag '${tag}' of an earlier image`);
      tags.add(tag);
    }
  });
}

function collectSigningProfiles(
  registries: readonly RegistrySnapshot[],
  extra: readonly SigningProfileSnapshot[],
  source: string,
): Map<string, SigningProfileSnapshot> {
  const listed = [
    ...registries.flatMap((r, i) =>
      (r.signingProfiles ?? []).map((p, j) => ({ profile: p, at: `/registries/${i}/signingProfiles/${j}` })),
    ),
    ...extra.map((p, j) => ({ profile: p, at: `/localAws/signingProfiles/${j}` })),
  ];
  const profiles = new Map<string, SigningProfileSnapshot>();
  for (const { profile, at } of listed) {
    if (!parseSigningProfileArn(profile.profileArn)) {
      fail(source, `${at}/profileArn '${profile.profileArn}' is not a Signer signing profile ARN`);
    }
    const seen = profiles.get(profile.profileArn);
    if (seen && (seen.status !== profile.status || seen.platformId !== profile.platformId)) {
      fail(source, `${at} describes ${profile.profileArn} differently from an earlier entry`);
    }
    profiles.set(profile.profileArn, profile);
  }
  return profiles;
}

function resolveOrganization(org: OrganizationDocument, source: string): ResolvedOrganization {
  const rootId = org.root?.id ?? `r-${org.id.slice(2, 6)}`;
  const units = org.organizationalUnits ?? [];
  const parentIds = new Set([rootId]);
  units.forEach((unit, i) => {
    if (parentIds.has(unit.id))
      fail(source, `/localAws/organization/organizationalUnits/${i} repeats id ${unit.id}`);
    parentIds.add(unit.id);
  });
  const unitsById = new Map(units.map((u) => [u.id, u]));
  units.forEach((unit, i) => {
    const at = `/localAws/organization/organizationalUnits/${i}`;
    if (!parentIds.has(unit.parentId))
      fail(source, `${at}/parentId '${unit.parentId}' is neither the root nor a unit`);
    // Walking up must reach the root within as many steps as there are units; otherwise the units form a cycle.
    let parentId = unit.parentId;
    for (let steps = 0; parentId !== rootId; steps++) {
      if (steps > units.length) fail(source, `${at}/parentId makes a cycle of units`);
      parentId = unitsById.get(parentId)?.parentId ?? rootId;
    }
  });
  const accountIds = new Set<string>();
  org.accounts.forEach((account, i) => {
    const at = `/localAws/organization/accounts/${i}`;
    if (accountIds.has(account.id)) fail(source, `${at} repeats account ${account.id}`);
    accountIds.add(account.id);
    if (account.parentId !== undefined && !parentIds.has(account.parentId)) {
      fail(source, `${at}/parentId '${account.parentId}' is neither the root nor a unit`);
    }
  });
  if (!accountIds.has(org.managementAccountId)) {
    fail(source, `/localAws/organization/managementAccountId ${org.managementAccountId} is not in accounts`);
  }
  return {
    id: org.id,
    managementAccountId: org.managementAccountId,
    root: { id: rootId, name: org.root?.name ?? 'Root', tags: org.root?.tags ?? {} },
    organizationalUnits: units.map((u) => ({
      id: u.id,
      name: u.name,
      parentId: u.parentId,
      tags: u.tags ?? {},
    })),
    accounts: org.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      email: a.email,
      status: a.status ?? 'ACTIVE',
      parentId: a.parentId ?? rootId,
      joinedTimestamp: new Date(a.joinedTimestamp ?? DEFAULT_JOINED_TIMESTAMP),
      tags: a.tags ?? {},
    })),
  };
}
