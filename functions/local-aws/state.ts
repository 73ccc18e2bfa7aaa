/**
 * The mutable side of the world: registries (signing configuration, repositories) per
 * account and region, SNS topics, every publish, every call and the CloudTrail events.
 * `reset()` rebuilds it from the resolved world.
 */
import type {
  ImageSigningStatus,
  ImageSnapshot,
  RegistrySnapshot,
  SigningConfiguration,
  Snapshot,
  Tags,
} from '../core/types.js';
import type { ServiceName } from './services/service.js';
import type { TrailEvent } from './trail.js';
import type { ResolvedWorld } from './world.js';

/** An image in a repository: what DescribeImages and DescribeImageSigningStatus answer. */
export interface ImageRecord {
  imageDigest: string;
  imageTags: string[];
  pushedAt: Date;
  artifactMediaType?: string;
  subjectManifestDigest?: string;
  signingStatuses: ImageSigningStatus[];
}

export interface RepositoryRecord {
  repositoryName: string;
  tags: Tags;
  createdAt: Date;
  /** In push order, oldest first. */
  images: ImageRecord[];
}

export interface RegistryRecord {
  accountId: string;
  region: string;
  signingConfiguration: SigningConfiguration | null;
  repositories: RepositoryRecord[];
}

export interface SubscriptionRecord {
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
}

export interface TopicRecord {
  topicArn: string;
  subscriptions: SubscriptionRecord[];
  /** A FIFO topic (its name ends in `.fifo`): every publish names a message group. */
  fifo?: boolean;
  contentBasedDeduplication?: boolean;
}

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** One Publish as received (what GET /_local/sns/messages lists). */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  messageStructure: string | null;
  messageAttributes: Record<string, MessageAttribute>;
  timestamp: string;
  /** Given with the publish (required for a FIFO topic). */
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** One answered AWS call, for tests that count attempts. */
export interface RecordedCall {
  service: ServiceName;
  operation: string;
  accountId: string;
  region: string;
  statusCode: number;
  /** The error code answered, or null on success. */
  errorCode: string | null;
}

/** A finding Security Hub holds, as imported (with the fields it keeps across re-imports). */
export interface StoredSecurityHubFinding {
  finding: Record<string, unknown>;
  importedAt: string;
  /** How many accepted imports wrote it. */
  imports: number;
}

/** Repositories in a world carry no dates; they were created an hour apart from this instant. */
const FIRST_REPOSITORY_CREATED_AT = Date.parse('2024-02-01T10:00:00Z');

export function registryKey(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

function registryFromSnapshot(snapshot: RegistrySnapshot): RegistryRecord {
  return {
    accountId: snapshot.accountId,
    region: snapshot.region,
    signingConfiguration: snapshot.signingConfiguration
      ? structuredClone(snapshot.signingConfiguration)
      : null,
    repositories: snapshot.repositories.map((r, i) => ({
      repositoryName: r.repositoryName,
      tags: { ...(r.tags ?? {}) },
      createdAt: new Date(FIRST_REPOSITORY_CREATED_AT + i * 3_600_000),
      images: (r.images ?? []).map(imageFromSnapshot),
    })),
  };
}

function imageFromSnapshot(image: ImageSnapshot): ImageRecord {
  return {
    imageDigest: image.imageDigest,
    imageTags: [...(image.imageTags ?? [])],
    pushedAt: new Date(image.pushedAt),
    ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
    ...(image.subjectManifestDigest ? { subjectManifestDigest: image.subjectManifestDigest } : {}),
    signingStatuses: structuredClone(image.signingStatuses ?? []),
  };
}

export function imageToSnapshot(image: ImageRecord): ImageSnapshot {
  return {
    imageDigest: image.imageDigest,
    imageTags: [...image.imageTags],
    pushedAt: image.pushedAt.toISOString(),
    ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
    ...(image.subjectManifestDigest ? { subjectManifestDigest: image.subjectManifestDigest } : {}),
    signingStatuses: structuredClone(image.signingStatuses),
  };
}

export class LocalAwsState {
  readonly #world: ResolvedWorld;
  readonly #registries = new Map<string, RegistryRecord>();
  readonly topics = new Map<string, TopicRecord>();
  readonly messages: PublishedMessage[] = [];
  readonly calls: RecordedCall[] = [];
  /** Management events CloudTrail recorded, oldest first. */
  readonly trailEvents: TrailEvent[] = [];
  /** Security Hub findings per account and region, keyed by `ProductArn Id`, in import order. */
  readonly #securityHubFindings = new Map<string, Map<string, StoredSecurityHubFinding>>();

  constructor(world: ResolvedWorld) {
    this.#world = world;
    this.reset();
  }

  /** Restores the world as loaded and forgets messages and calls. */
  reset(): void {
    this.#registries.clear();
    for (const r of this.#world.registries)
      this.#registries.set(registryKey(r.accountId, r.region), registryFromSnapshot(r));
    this.topics.clear();
    for (const topicArn of this.#world.snsTopicArns) {
      const fifo = topicArn.endsWith('.fifo');
      this.topics.set(topicArn, { topicArn, subscriptions: [], ...(fifo ? { fifo } : {}) });
    }
    this.messages.length = 0;
    this.calls.length = 0;
    this.trailEvents.length = 0;
    this.#securityHubFindings.clear();
  }

  /** The Security Hub findings of an account in a region (a live map: imports add to it). */
  securityHubFindings(accountId: string, region: string): Map<string, StoredSecurityHubFinding> {
    const key = registryKey(accountId, region);
    let findings = this.#securityHubFindings.get(key);
    if (!findings) {
      findings = new Map();
      this.#securityHubFindings.set(key, findings);
    }
    return findings;
  }

  /** The registry of an account in a region; a registry the world does not list is empty and never configured. */
  registry(accountId: string, region: string): RegistryRecord {
    const key = registryKey(accountId, region);
    let registry = this.#registries.get(key);
    if (!registry) {
      registry = { accountId, region, signingConfiguration: null, repositories: [] };
      this.#registries.set(key, registry);
    }
    return registry;
  }

  /** The current registries in the snapshot format (those with a configuration or repositories). */
  snapshot(): Snapshot {
    const registries = [...this.#registries.values()]
      .filter((r) => r.signingConfiguration !== null || r.repositories.length > 0)
      .map((r) => ({
        accountId: r.accountId,
        region: r.region,
        signingConfiguration: r.signingConfiguration ? structuredClone(r.signingConfiguration) : null,
        repositories: r.repositories.map((repo) => ({
          repositoryName: repo.repositoryName,
          tags: { ...repo.tags },
          ...(repo.images.length > 0 ? { images: repo.images.map(imageToSnapshot) } : {}),
        })),
      }));
    return { snapshotVersion: 1, source: { tool: 'ecr-sign-drift local-aws' }, registries };
  }
}
