/**
 * Shapes shared by the whole tool. API shapes mirror the ECR and Signer models
 * (ecr-2015-09-21, signer-2017-08-25); the snapshot and facts shapes are ours and
 * versioned, because users keep snapshots as evidence and write policies against facts.
 */

export type RepositoryFilterType = 'WILDCARD_MATCH';

/** ECR SigningRepositoryFilter. */
export interface SigningRepositoryFilter {
  filter: string;
  filterType: RepositoryFilterType;
}

/** ECR SigningRule: a Signer profile plus optional filters (none = every repository). */
export interface SigningRule {
  signingProfileArn: string;
  repositoryFilters?: SigningRepositoryFilter[];
}

/** ECR SigningConfiguration (the registry-level document Get/PutSigningConfiguration exchange). */
export interface SigningConfiguration {
  rules: SigningRule[];
}

/** Signer SigningProfileStatus. */
export type SigningProfileStatus = 'Active' | 'Canceled' | 'Revoked';

export type Tags = Record<string, string>;

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What is known about an account beyond its id (from Organizations or a config file). */
export interface AccountMetadata {
  name?: string;
  email?: string;
  /** Organizational unit ids from the root down to the account's parent, e.g. ["r-ab12", "ou-ab12-11111111"]. */
  organizationalUnitPath?: string[];
  /** Organizational unit names along the same path, when known. */
  organizationalUnitNames?: string[];
  tags?: Tags;
  /** The tags of the units on the path (root first; a deeper unit's value for a key wins), when read. */
  organizationalUnitTags?: Tags;
}

/** ECR SigningStatus. */
export type ImageSigningState = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';

/** ECR ImageSigningStatus: one profile's outcome for one image. */
export interface ImageSigningStatus {
  signingProfileArn: string;
  status: ImageSigningState;
  /** Only with FAILED. */
  failureCode?: string;
  failureReason?: string;
}

/** One image of a repository as sampled: ECR ImageDetail's identity plus its signing statuses. */
export interface ImageSnapshot {
  imageDigest: string;
  imageTags?: string[];
  /** ISO-8601. */
  pushedAt: string;
  artifactMediaType?: string;
  /** Set on referrers (signatures, SBOMs): the digest of the image they refer to. */
  subjectManifestDigest?: string;
  signingStatuses?: ImageSigningStatus[];
}

export interface RepositorySnapshot {
  repositoryName: string;
  /** Repository tags as a map; absent when they were not read. */
  tags?: Tags;
  /** The newest images sampled, newest first; absent when images were not read. */
  images?: ImageSnapshot[];
}

export interface SigningProfileSnapshot {
  profileArn: string;
  status: SigningProfileStatus;
  platformId?: string;
}

/** The raw state of one registry (one account in one region), as read from AWS or a snapshot file. */
export interface RegistrySnapshot {
  accountId: string;
  region: string;
  /** null: the registry has never been configured (SigningConfigurationNotFoundException). */
  signingConfiguration: SigningConfiguration | null;
  repositories: RepositorySnapshot[];
  signingProfiles?: SigningProfileSnapshot[];
  account?: AccountMetadata;
  /** When image signing statuses were read (ISO-8601): how long a signing has been in progress is measured from it. */
  imagesReadAt?: string;
}

/** The snapshot file format: what `snapshot` writes and `audit --snapshot` reads. */
export interface Snapshot {
  snapshotVersion: 1;
  /** When the reading began (live snapshots). */
  capturedAt?: string;
  source?: SnapshotSource;
  registries: RegistrySnapshot[];
}

/** How a snapshot was made; free-form, but `snapshot` always writes the members below. */
export interface SnapshotSource {
  tool?: string;
  version?: string;
  /** The endpoint every call went to, or `aws` for the SDK's standard regional endpoints. */
  endpoint?: string;
  /** False when repository tags were not read (`--no-tags`): repositories then carry no `tags`. */
  repositoryTags?: boolean;
  /** Targets that could not be read: the registries list lacks them. Empty when the snapshot is complete. */
  errors?: ScanError[];
  /** Problems that did not stop a registry being read (e.g. a signing profile whose status is unknown). */
  warnings?: ScanError[];
  [key: string]: unknown;
}

export const FACTS_VERSION = 2 as const;

export interface RepositoryFacts {
  repositoryName: string;
  tags: Tags;
  /** True when at least one rule covers the repository. */
  covered: boolean;
  /** Indexes (into signingConfiguration.rules) of the rules that cover it, ascending. */
  ruleIndexes: number[];
  /** The profiles that would sign an image pushed to it: sorted, unique. */
  signingProfileArns: string[];
  /** Profiles reached through more than one rule: the image would be signed twice by the same profile. */
  duplicateSigning: { signingProfileArn: string; ruleIndexes: number[] }[];
  /** The sampled images, newest first; empty when images were not read. */
  images: ImageFacts[];
}

/** One sampled image and how its signing went, judged against the profiles that cover its repository now. */
export interface ImageFacts {
  imageDigest: string;
  imageTags: string[];
  pushedAt: string;
  /** Whole minutes from the push to the reading of its statuses; null when the reading time is unknown. */
  minutesSincePush: number | null;
  signingStatuses: ImageSigningStatus[];
  expectedProfileArns: string[];
  /** Expected profiles with no status at all for the image. */
  missingProfileArns: string[];
  signedByEveryExpectedProfile: boolean;
  /** A newer sampled image of the repository is signed by every expected profile. */
  supersededBySignedImage: boolean;
}

export interface FilterFacts {
  filter: string;
  filterType: RepositoryFilterType;
  /** How many of the registry's repositories this filter matches. */
  matchCount: number;
}

export interface RuleFacts {
  index: number;
  signingProfileArn: string;
  /** True when the rule has no filters and so covers every repository. */
  coversAllRepositories: boolean;
  filters: FilterFacts[];
  /** How many repositories the rule covers. */
  matchCount: number;
}

export interface ProfileFacts {
  profileArn: string;
  profileName: string | null;
  partition: string | null;
  /** Region and account parsed from the ARN (null when the ARN does not parse). */
  region: string | null;
  accountId: string | null;
  /** Signer status and platform when known (null when not read). */
  status: SigningProfileStatus | null;
  platformId: string | null;
  /** True when the profile is in the registry's own region. */
  sameRegionAsRegistry: boolean;
  ruleIndexes: number[];
}

/** The versioned document every policy validates: one registry's state, derived. */
export interface RegistryFacts {
  factsVersion: typeof FACTS_VERSION;
  accountId: string;
  region: string;
  account: {
    name: string | null;
    organizationalUnitPath: string[];
    organizationalUnitNames: string[];
    tags: Tags;
    /** The tags the account's organizational units give it (see AccountMetadata); absent in older facts. */
    organizationalUnitTags?: Tags;
  };
  /** False only when the registry has never been configured (null configuration). */
  signingConfigured: boolean;
  signingConfiguration: SigningConfiguration | null;
  rules: RuleFacts[];
  repositories: RepositoryFacts[];
  profiles: ProfileFacts[];
  uncoveredRepositories: string[];
  /** Statuses of the sampled images of covered repositories, counted. */
  imageSigning: {
    imagesSampled: number;
    complete: number;
    inProgress: number;
    failed: number;
    missing: number;
  };
  counts: {
    repositories: number;
    coveredRepositories: number;
    uncoveredRepositories: number;
    rules: number;
    filters: number;
    profiles: number;
  };
}

/** A policy violation: data, not an exception. */
export interface Finding {
  policyId: string;
  policyTitle: string;
  severity: Severity;
  accountId: string;
  region: string;
  /** Set when the finding is about one repository. */
  repositoryName?: string;
  /** Set when the finding is about one rule (index into signingConfiguration.rules). */
  ruleIndex?: number;
  /** Set when the finding is about one signing profile (or the profile of the rule it is about). */
  signingProfileArn?: string;
  message: string;
  /** Set on `matches-desired` findings: the desired-configuration file the registry differs from. */
  desiredSource?: string;
  /** JSON pointer into the facts document where the violation was found. */
  factsPath: string;
  /** Stable for the same violation across runs and list orderings. */
  fingerprint: string;
}

export interface TargetRef {
  accountId: string;
  region: string;
}

/** A target that could not be scanned: reported, never fatal to the run. */
export interface ScanError {
  accountId: string;
  region: string;
  operation: string;
  errorName: string;
  message: string;
}
