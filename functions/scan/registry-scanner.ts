/**
 * Reads one registry (account x region) into the snapshot shape through the
 * adapters. A failure names the operation that failed, so the run can report it
 * and carry on with the other targets; a target that takes longer than its deadline
 * is given up (its calls aborted) and reported with the operation it was waiting for.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SignerClient } from '@aws-sdk/client-signer';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import {
  AwsOperationError,
  isAccessRefusal,
  isExpiredCredentials,
  isExpiredCredentialsName,
  runOperation,
  summarizeAwsError,
} from '../aws/aws-error.js';
import type { ClientConfigFactory } from '../aws/client-config.js';
import { EcrImages } from '../aws/ecr-images.js';
import { EcrRegistry, type RepositoryListing } from '../aws/ecr-registry.js';
import { ECR_REPOSITORY_RESOURCE_TYPE, ResourceTags } from '../aws/resource-tags.js';
import type { RoleCredentials } from '../aws/role-credentials.js';
import { SignerProfiles } from '../aws/signer-profiles.js';
import { SigningChangeHistory } from '../aws/signing-change-history.js';
import { mapBounded } from '../concurrency/map-concurrent.js';
import { RatePacer } from '../concurrency/rate-pacer.js';
import type { ChangeAttribution } from '../core/alerts/index.js';
import { REGION_PATTERN } from '../core/api-constraints.js';
import type {
  RegistrySnapshot,
  RepositorySnapshot,
  ScanError,
  SigningConfiguration,
  SigningProfileSnapshot,
  Tags,
  TargetRef,
} from '../core/types.js';
import { type AttributionWindow, attributeChange } from './attribute-change.js';
import {
  coveredRepositories,
  type ImageSamplingOutcome,
  type ImageSamplingSettings,
  type SampleResult,
  StatusCallBudget,
  sampleImages,
} from './image-sampler.js';
import type { ScanTarget } from './targets.js';

/** The cause of a target given up at its deadline. */
export class TargetTimeoutError extends Error {
  constructor(timeoutMs: number, waitingFor: readonly string[]) {
    super(
      `no answer within ${timeoutMs} ms${waitingFor.length > 0 ? ` (waiting for ${waitingFor.join(', ')})` : ''}`,
    );
    this.name = 'TargetTimeout';
  }
}

/** The cause of a target whose region is not a region name: no call is made. */
export class InvalidRegionError extends Error {
  constructor(region: string) {
    super(`'${region}' is not an AWS region name (like us-east-1)`);
    this.name = 'InvalidRegion';
  }
}

export interface RegistryScannerOptions {
  clients: ClientConfigFactory;
  roleCredentials: RoleCredentials;
  /** Targets in this account are read with the caller's own credentials instead of an assumed role. */
  callerAccountId?: string;
  /**
   * Read repository tags: only when a loaded policy looks at them. In bulk (GetResources, 100
   * repositories a call); one ListTagsForResource per repository where GetResources is refused.
   */
  readRepositoryTags: boolean;
  /** Concurrent ListTagsForResource calls within one registry (where GetResources is refused). */
  tagConcurrency?: number;
  /** A target not read within this many milliseconds becomes a TargetTimeout error (default: no deadline). */
  targetTimeoutMs?: number;
  /** Sample the newest images of covered repositories and read their signing status (default: no image is read). */
  imageSampling?: ImageSamplingSettings;
  /** The clock images' ages are measured by (default: the system's). */
  clock?: () => Date;
}

export interface RegistryScan {
  registry: RegistrySnapshot;
  /** Non-fatal problems (e.g. a profile whose status could not be read). */
  warnings: ScanError[];
  /** What image sampling did; absent when images are not sampled. */
  imageSampling?: ImageSamplingOutcome;
}

/** The role credentials a read used, so an expiry renews exactly those. */
interface RoleCredentialsUsed {
  used?: AwsCredentialIdentity;
}

const DEFAULT_TAG_CONCURRENCY = 8;
/** CloudTrail's LookupEvents quota: 2 requests a second per account and region. */
const LOOKUP_EVENTS_PER_SECOND = 2;
/** Image reads (DescribeImages, DescribeImageSigningStatus) per second per account and region: well within ECR's quotas. */
const IMAGE_CALLS_PER_SECOND = 100;
/** Concurrent image status reads within one registry. */
const IMAGE_STATUS_CONCURRENCY = 8;
/** Covered repositories whose images are listed at once within one registry. */
const IMAGE_REPOSITORIES_AT_ONCE = 4;
/**
 * The most calls one target has in flight: a profile read alongside the per-repository tag
 * reads and the image sampling's status reads (the listings come before or between them).
 * The run's shared sockets are sized by it, so a target never queues for a socket.
 */
export const MAX_CALLS_IN_FLIGHT_PER_TARGET =
  1 + DEFAULT_TAG_CONCURRENCY + Math.max(IMAGE_STATUS_CONCURRENCY, IMAGE_REPOSITORIES_AT_ONCE);

/** What the bulk tag read gives: tags by repository ARN, or the refusal that sends the scan to per-repository reads. */
type BulkTags = { tagsByArn: Map<string, Tags> } | { refusal: unknown };

/** The operations a target is waiting for, oldest first: what a timeout reports. */
class PendingOperations {
  readonly #names: string[] = [];

  async run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    this.#names.push(operation);
    try {
      return await runOperation(operation, call);
    } finally {
      this.#names.splice(this.#names.indexOf(operation), 1);
    }
  }

  get names(): readonly string[] {
    return this.#names;
  }
}

export class RegistryScanner {
  readonly #options: RegistryScannerOptions;
  readonly #signer: SignerProfiles;
  /** One Signer client per reading account and region, for the whole run. */
  readonly #signerClients = new Map<string, SignerClient>();
  readonly #lookupPacers = new Map<string, RatePacer>();
  readonly #imagePacers = new Map<string, RatePacer>();
  readonly #statusCallBudget: StatusCallBudget;

  constructor(options: RegistryScannerOptions) {
    this.#options = options;
    this.#statusCallBudget = new StatusCallBudget(options.imageSampling?.statusCallsPerRun ?? 0);
    this.#signer = new SignerProfiles({
      clientFor: (region, readerAccountId) => this.#signerClient(region, readerAccountId),
    });
  }

  /** True when scans sample images (the run then starts each target at its image cursor). */
  get samplesImages(): boolean {
    return (this.#options.imageSampling?.imagesPerRepository ?? 0) > 0;
  }

  /** Credentials for a target's account: the caller's own (undefined), or the assumed scan role. */
  credentialsFor(accountId: string): AwsCredentialIdentityProvider | undefined {
    return accountId === this.#options.callerAccountId
      ? undefined
      : this.#options.roleCredentials.providerFor(accountId);
  }

  /**
   * An ECR adapter for the target with the right credentials (also used by remediation).
   * One client per target: ECR's quotas are per account and region, which is also the
   * scope of the client's adaptive retry state. Clients are dropped, never destroyed:
   * destroy() would close the HTTP handler every client shares. With an abort signal, every
   * call of the client stops when it fires (a target given up at its deadline).
   */
  ecrFor(target: TargetRef, abortSignal?: AbortSignal): EcrRegistry {
    return new EcrRegistry({
      client: new ECRClient(this.#clientConfig(target, abortSignal)),
    });
  }

  /** The Resource Groups Tagging API for the target, with the same credentials as ECR. */
  tagsFor(target: TargetRef, abortSignal?: AbortSignal): ResourceTags {
    return new ResourceTags({
      client: new ResourceGroupsTaggingAPIClient(this.#clientConfig(target, abortSignal)),
    });
  }

  #clientConfig(target: TargetRef, abortSignal: AbortSignal | undefined) {
    return this.#options.clients.forRegion(
      target.region,
      this.credentialsFor(target.accountId),
      abortSignal ? { abortSignal } : {},
    );
  }

  /**
   * CloudTrail's record of the target's signing-configuration writes, read with the same
   * credentials as ECR, paced to LookupEvents' 2 requests a second per account and region.
   */
  historyFor(target: TargetRef): SigningChangeHistory {
    const key = `${target.accountId}/${target.region}`;
    let pacer = this.#lookupPacers.get(key);
    if (!pacer) {
      pacer = new RatePacer(LOOKUP_EVENTS_PER_SECOND);
      this.#lookupPacers.set(key, pacer);
    }
    const paced = pacer;
    return new SigningChangeHistory({
      client: new CloudTrailClient(
        this.#options.clients.forRegion(target.region, this.credentialsFor(target.accountId)),
      ),
      beforeCall: () => paced.take(),
    });
  }

  /** Who made the change this read found since `since` (the previous read); never throws for CloudTrail's sake. */
  async attributeChange(
    target: TargetRef,
    window: Omit<AttributionWindow, 'ownPrincipal'>,
  ): Promise<ChangeAttribution> {
    let ownPrincipal: string;
    try {
      ownPrincipal = await this.principalArnFor(target);
    } catch (error) {
      const { errorName, message } = summarizeAwsError(error);
      return { changedBy: null, reason: `the tool's own identity is unknown: ${errorName}: ${message}` };
    }
    return attributeChange(this.historyFor(target), { ...window, ownPrincipal });
  }

  /** The principal ARN this run's writes to the target carry in CloudTrail. */
  principalArnFor(target: TargetRef): Promise<string> {
    return this.#options.roleCredentials.principalArnFor(target.accountId);
  }

  /**
   * Reads the target; throws an AwsOperationError naming the operation that failed or timed out.
   * When AWS answers the target's role credentials as expired, the role is assumed again and the
   * target read once more (expiry is not a refusal: new credentials fix it).
   */
  async scan(target: ScanTarget): Promise<RegistryScan> {
    if (!REGION_PATTERN.test(target.region)) {
      throw new AwsOperationError('ResolveRegion', { cause: new InvalidRegionError(target.region) });
    }
    const roleCredentials: RoleCredentialsUsed = {};
    const readerAccountId = this.#readerAccountId(target);
    try {
      const scan = await this.#scanOnce(target, roleCredentials);
      // A Signer read that met expired credentials is only a warning, but new credentials would read it.
      if (!readerAccountId || !scan.warnings.some((w) => isExpiredCredentialsName(w.errorName))) return scan;
    } catch (error) {
      const cause = error instanceof AwsOperationError ? error.cause : error;
      if (!readerAccountId || !isExpiredCredentials(cause)) throw error;
    }
    if (roleCredentials.used)
      this.#options.roleCredentials.forgetExpired(readerAccountId, roleCredentials.used);
    this.#forgetSignerClients(readerAccountId);
    return await this.#scanOnce(target, {});
  }

  /** The account whose role reads the target; undefined for the caller's own account. */
  #readerAccountId(target: TargetRef): string | undefined {
    return target.accountId === this.#options.callerAccountId ? undefined : target.accountId;
  }

  async #scanOnce(target: ScanTarget, roleCredentials: RoleCredentialsUsed): Promise<RegistryScan> {
    const abort = new AbortController();
    const pending = new PendingOperations();
    const reading = this.#read(target, pending, abort.signal, roleCredentials);
    const timeoutMs = this.#options.targetTimeoutMs;
    try {
      return timeoutMs === undefined
        ? await reading
        : await withDeadline(
            reading,
            timeoutMs,
            () =>
              new AwsOperationError(pending.names[0] ?? 'Scan', {
                cause: new TargetTimeoutError(timeoutMs, [...new Set(pending.names)]),
              }),
          );
    } finally {
      // Whatever is still in flight (a timeout, or the sibling of a failed call) is not needed any more.
      abort.abort();
    }
  }

  async #read(
    target: ScanTarget,
    pending: PendingOperations,
    abortSignal: AbortSignal,
    roleCredentials: RoleCredentialsUsed,
  ): Promise<RegistryScan> {
    const readerAccountId = this.#readerAccountId(target);
    if (readerAccountId) {
      // Shared by every region of the account: one AssumeRole per account and run.
      roleCredentials.used = await pending.run('AssumeRole', () =>
        this.#options.roleCredentials.credentialsFor(readerAccountId),
      );
    }
    // The target's clients carry its abort signal, so calls go without options and reuse the
    // clients' resolved middleware (see ClientConfigBase.cacheMiddleware).
    const ecr = this.ecrFor(target, abortSignal);
    // The bulk tag read needs no listing: it runs alongside it and is joined by repository ARN.
    const [signingConfiguration, listed, bulkTags] = await Promise.all([
      pending.run('GetSigningConfiguration', () => ecr.getSigningConfiguration()),
      pending.run('DescribeRepositories', () => ecr.listRepositories()),
      this.#options.readRepositoryTags
        ? pending.run('GetResources', () => this.#bulkTags(target, abortSignal))
        : null,
    ]);
    const warnings: ScanError[] = [];
    const [repositories, signingProfiles, sampled] = await Promise.all([
      this.#repositories(target, ecr, listed, bulkTags, warnings, pending),
      pending.run('GetSigningProfile', () =>
        this.#profiles(signingConfiguration, target, readerAccountId, warnings),
      ),
      this.#options.imageSampling && this.#options.imageSampling.imagesPerRepository > 0
        ? pending.run('DescribeImageSigningStatus', () =>
            this.#sampleImages(target, ecr, signingConfiguration, listed, this.#options.imageSampling!),
          )
        : null,
    ]);
    if (sampled) {
      warnings.push(...sampled.result.warnings);
      for (const repository of repositories) {
        const images = sampled.result.imagesByRepository.get(repository.repositoryName);
        if (images) repository.images = images;
      }
    }
    const registry: RegistrySnapshot = {
      accountId: target.accountId,
      region: target.region,
      signingConfiguration,
      repositories,
      ...(signingProfiles.length > 0 ? { signingProfiles } : {}),
      ...(target.account ? { account: target.account } : {}),
      ...(sampled && sampled.result.outcome.imagesSampled > 0
        ? { imagesReadAt: sampled.readAt.toISOString() }
        : {}),
    };
    return { registry, warnings, ...(sampled ? { imageSampling: sampled.result.outcome } : {}) };
  }

  /** The newest images of the covered repositories, from the target's cursor, within the budgets. */
  async #sampleImages(
    target: ScanTarget,
    ecr: EcrRegistry,
    signingConfiguration: SigningConfiguration | null,
    listed: readonly RepositoryListing[],
    settings: ImageSamplingSettings,
  ): Promise<{ result: SampleResult; readAt: Date }> {
    const key = `${target.accountId}/${target.region}`;
    let pacer = this.#imagePacers.get(key);
    if (!pacer) {
      pacer = new RatePacer(IMAGE_CALLS_PER_SECOND);
      this.#imagePacers.set(key, pacer);
    }
    const readAt = (this.#options.clock ?? (() => new Date()))();
    const result = await sampleImages({
      target,
      images: new EcrImages({ client: ecr.client }),
      covered: coveredRepositories(
        signingConfiguration,
        listed.map((r) => r.repositoryName),
      ),
      cursor: target.imageCursor,
      settings,
      runBudget: this.#statusCallBudget,
      pacer,
      now: readAt,
      concurrency: IMAGE_STATUS_CONCURRENCY,
      repositoriesAtOnce: IMAGE_REPOSITORIES_AT_ONCE,
    });
    return { result, readAt };
  }

  /** The referenced profiles that could be read; the others become warnings. */
  async #profiles(
    signingConfiguration: SigningConfiguration | null,
    target: TargetRef,
    readerAccountId: string | undefined,
    warnings: ScanError[],
  ): Promise<SigningProfileSnapshot[]> {
    const arns = [...new Set((signingConfiguration?.rules ?? []).map((r) => r.signingProfileArn))].sort();
    const lookups = await Promise.all(arns.map((arn) => this.#signer.describe(arn, readerAccountId)));
    return lookups.flatMap((lookup, i) => {
      if (lookup.profile) return [lookup.profile];
      warnings.push({
        accountId: target.accountId,
        region: target.region,
        operation: `GetSigningProfile ${arns[i]}`,
        ...lookup.error,
      });
      return [];
    });
  }

  /** Every repository's tags in bulk, or GetResources' refusal (any other failure fails the target). */
  async #bulkTags(target: TargetRef, abortSignal: AbortSignal): Promise<BulkTags> {
    try {
      return { tagsByArn: await this.tagsFor(target, abortSignal).tagsByArn(ECR_REPOSITORY_RESOURCE_TYPE) };
    } catch (error) {
      if (isAccessRefusal(error)) return { refusal: error };
      throw error;
    }
  }

  /**
   * The listed repositories, with tags when they are read: from the bulk read (a repository it
   * does not return was never tagged), or per repository where GetResources was refused (a
   * warning says so, since it costs one call per repository).
   */
  async #repositories(
    target: TargetRef,
    ecr: EcrRegistry,
    listed: readonly RepositoryListing[],
    bulkTags: BulkTags | null,
    warnings: ScanError[],
    pending: PendingOperations,
  ): Promise<RepositorySnapshot[]> {
    if (!bulkTags) return listed.map(({ repositoryName }) => ({ repositoryName }));
    if ('tagsByArn' in bulkTags) {
      return listed.map(({ repositoryName, repositoryArn }) => ({
        repositoryName,
        tags: bulkTags.tagsByArn.get(repositoryArn) ?? {},
      }));
    }
    const { errorName, message } = summarizeAwsError(bulkTags.refusal);
    warnings.push({
      accountId: target.accountId,
      region: target.region,
      operation: 'GetResources',
      errorName,
      message: `${message} (tags read with one ListTagsForResource per repository instead; allow tag:GetResources to read them in bulk)`,
    });
    return pending.run('ListTagsForResource', () => this.#withTags(ecr, listed));
  }

  /** Tags of every listed repository, one call each; a repository deleted since the listing is left out. */
  async #withTags(ecr: EcrRegistry, listed: readonly RepositoryListing[]): Promise<RepositorySnapshot[]> {
    const width = this.#options.tagConcurrency ?? DEFAULT_TAG_CONCURRENCY;
    const tagged = await mapBounded(listed, width, async (repo): Promise<RepositorySnapshot | null> => {
      const tags = await ecr.getRepositoryTags(repo.repositoryArn);
      return tags ? { repositoryName: repo.repositoryName, tags } : null;
    });
    return tagged.filter((repo) => repo !== null);
  }

  /** Clients keep the credentials they first resolved: after a renewal the account's Signer clients are made again. */
  #forgetSignerClients(readerAccountId: string): void {
    for (const key of this.#signerClients.keys()) {
      if (key.startsWith(`${readerAccountId}/`)) this.#signerClients.delete(key);
    }
  }

  #signerClient(region: string, readerAccountId: string | undefined): SignerClient {
    const key = `${readerAccountId ?? 'caller'}/${region}`;
    let client = this.#signerClients.get(key);
    if (!client) {
      const credentials = readerAccountId ? this.credentialsFor(readerAccountId) : undefined;
      client = new SignerClient(this.#options.clients.forRegion(region, credentials));
      this.#signerClients.set(key, client);
    }
    return client;
  }
}

/** Settles like `work`, or rejects with `onTimeout()` once `timeoutMs` has passed. */
async function withDeadline<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The report entry for a target that could not be read. */
export function toScanError(target: TargetRef, error: unknown): ScanError {
  const operation = error instanceof AwsOperationError ? error.operation : 'Scan';
  const cause = error instanceof AwsOperationError ? error.cause : error;
  return { accountId: target.accountId, region: target.region, operation, ...summarizeAwsError(cause) };
}
