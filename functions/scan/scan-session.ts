/**
 * Wires the adapters for one run from a ScanConfig: one shared HTTP handler, one
 * STS client with paced AssumeRole, one Organizations client, and the scanner.
 * Entry points (CLI, Lambda) build a ScanConfig from flags or environment.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ClientConfigFactory, type RetryStrategyFactory } from '../aws/client-config.js';
import { OrganizationAccounts } from '../aws/organization-accounts.js';
import { RoleCredentials } from '../aws/role-credentials.js';
import { RatePacer } from '../concurrency/rate-pacer.js';
import { ScanStartError } from '../core/errors.js';
import { compareTargets } from '../core/ordering.js';
import { partitionOfRegion } from '../core/partition.js';
import { type AccountMetadataNeeds, NO_ACCOUNT_METADATA } from '../core/policy/index.js';
import type { AccountMetadata, ScanError } from '../core/types.js';
import { withAccountMetadata } from './account-metadata.js';
import { IMAGE_SAMPLING_DEFAULTS, type ImageSamplingSettings } from './image-sampler.js';
import { MAX_CALLS_IN_FLIGHT_PER_TARGET, RegistryScanner, toScanError } from './registry-scanner.js';
import { type ScanProgress, type ScanResult, scanTargets } from './scan-targets.js';
import { discoveredTargets, explicitTargets, type ScanTarget, type TargetExclusions } from './targets.js';

export interface ScanConfig {
  /** Explicit accounts; ignored when `organization` is set. */
  accounts?: { accountId: string; account?: AccountMetadata }[];
  /** Discover ACTIVE accounts from AWS Organizations, optionally below one OU. */
  organization?: { organizationalUnitId?: string; readAccountTags?: boolean };
  regions: string[];
  exclude?: TargetExclusions;
  roleName: string;
  externalId?: string;
  sessionName: string;
  /** Region for STS and Organizations calls (and the partition of role ARNs). */
  homeRegion: string;
  profile?: string;
  /** The caller's credentials; default: `profile`, or the SDK's default chain. */
  callerCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
  concurrency: number;
  maxAttempts: number;
  /** At most STS_ASSUME_ROLE_LIMIT_PER_SECOND. */
  assumeRoleRatePerSecond: number;
  requestTimeoutMs: number;
  /** A target not read within this long becomes a TargetTimeout error (default SCAN_DEFAULTS.targetTimeoutMs). */
  targetTimeoutMs?: number;
  readRepositoryTags: boolean;
  /** Image sampling (default IMAGE_SAMPLING_DEFAULTS); `imagesPerRepository: 0` reads no image. */
  imageSampling?: ImageSamplingSettings;
  /**
   * What the policies' scopes need to know about accounts (default: nothing). Discovery reads
   * the tree anyway and the tags when needed; explicit accounts are looked up in Organizations.
   */
  accountMetadata?: AccountMetadataNeeds;
  /** Each client's retry strategy; default: the SDK's adaptive mode. Tests inject a short backoff. */
  retryStrategy?: RetryStrategyFactory;
}

/** STS's AssumeRole quota: 600 requests per second per account. */
export const STS_ASSUME_ROLE_LIMIT_PER_SECOND = 600;

export const SCAN_DEFAULTS = {
  roleName: 'EcrSignDriftReadRole',
  sessionName: 'ecr-sign-drift',
  concurrency: 16,
  maxAttempts: 5,
  // Well below STS's quota, which other tools of the account share.
  assumeRoleRatePerSecond: 100,
  requestTimeoutMs: 30_000,
  // Generous: a registry of thousands of repositories with tags takes minutes.
  targetTimeoutMs: 300_000,
} as const;

export class ScanSession {
  readonly clients: ClientConfigFactory;
  readonly roleCredentials: RoleCredentials;
  readonly config: ScanConfig;
  /** Explicit accounts whose metadata could not be looked up, filled by `targets()`. */
  readonly accountWarnings: ScanError[] = [];
  #scanner: Promise<RegistryScanner> | undefined;

  constructor(config: ScanConfig) {
    if (config.assumeRoleRatePerSecond > STS_ASSUME_ROLE_LIMIT_PER_SECOND) {
      throw new RangeError(
        `assumeRoleRatePerSecond must be at most ${STS_ASSUME_ROLE_LIMIT_PER_SECOND} (STS's quota), got ${config.assumeRoleRatePerSecond}`,
      );
    }
    this.config = config;
    this.clients = new ClientConfigFactory({
      region: config.homeRegion,
      ...(config.profile ? { profile: config.profile } : {}),
      ...(config.callerCredentials ? { credentials: config.callerCredentials } : {}),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      maxAttempts: config.maxAttempts,
      ...(config.retryStrategy ? { retryStrategy: config.retryStrategy } : {}),
      requestTimeoutMs: config.requestTimeoutMs,
      // Every target in flight may have its most calls in flight: fewer sockets would queue them
      // (64 sockets held 32 image-sampling targets, about 5 calls in flight each, to 1,280 calls a second at 50 ms).
      maxSockets: Math.max(50, config.concurrency * MAX_CALLS_IN_FLIGHT_PER_TARGET),
    });
    const pacer = new RatePacer(config.assumeRoleRatePerSecond);
    this.roleCredentials = new RoleCredentials({
      clientConfig: this.clients.home(),
      roleName: config.roleName,
      ...(config.externalId ? { externalId: config.externalId } : {}),
      sessionName: config.sessionName,
      partition: partitionOfRegion(config.homeRegion),
      beforeAssumeRole: () => pacer.take(),
    });
  }

  /** The scanner (built once); the caller's own account is read with its own credentials. */
  scanner(): Promise<RegistryScanner> {
    this.#scanner ??= this.roleCredentials.callerAccountId().then(
      (callerAccountId) =>
        new RegistryScanner({
          clients: this.clients,
          roleCredentials: this.roleCredentials,
          callerAccountId,
          readRepositoryTags: this.config.readRepositoryTags,
          targetTimeoutMs: this.config.targetTimeoutMs ?? SCAN_DEFAULTS.targetTimeoutMs,
          imageSampling: this.config.imageSampling ?? IMAGE_SAMPLING_DEFAULTS,
        }),
    );
    return this.#scanner;
  }

  /**
   * The targets to scan: a list for explicit accounts, or a stream as Organizations
   * discovery pages arrive (so listing overlaps with scanning).
   */
  async targets(): Promise<AsyncIterable<ScanTarget> | ScanTarget[]> {
    const { organization, accounts, regions, exclude } = this.config;
    const needs = this.config.accountMetadata ?? NO_ACCOUNT_METADATA;
    if (organization) {
      const org = new OrganizationAccounts({ clientConfig: this.clients.home() });
      return discoveredTargets(
        org.accounts({
          ...(organization.organizationalUnitId
            ? { organizationalUnitId: organization.organizationalUnitId }
            : {}),
          withTags: (organization.readAccountTags ?? false) || needs.tags,
          withUnitTags: needs.organizationalUnitTags,
        }),
        regions,
        exclude,
      );
    }
    const list =
      accounts && accounts.length > 0
        ? accounts
        : [{ accountId: await this.roleCredentials.callerAccountId() }];
    const excluded = new Set(exclude?.accounts ?? []);
    const looked = await withAccountMetadata(
      list.filter((a) => !excluded.has(a.accountId)),
      needs,
      () => new OrganizationAccounts({ clientConfig: this.clients.home() }),
      this.config.homeRegion,
    );
    this.accountWarnings.push(...looked.warnings);
    return [...explicitTargets(looked.accounts, regions, exclude)];
  }

  /**
   * Scans every target. A target that fails is an error entry; a failed discovery
   * call ends discovery and is an error entry of the caller's account in the home
   * region (the targets found before it are still scanned). Throws ScanStartError
   * only when nothing can be read at all (the caller's credentials do not work).
   */
  async scan(options: { onProgress?: (progress: ScanProgress) => void } = {}): Promise<ScanResult> {
    let scanner: RegistryScanner;
    let targets: AsyncIterable<ScanTarget> | ScanTarget[];
    try {
      scanner = await this.scanner();
      targets = await this.targets();
    } catch (error) {
      throw new ScanStartError(`cannot start the scan: ${(error as Error).message}`, { cause: error });
    }
    const discoveryErrors: ScanError[] = [];
    const result = await scanTargets(await this.withDiscoveryErrors(targets, discoveryErrors), scanner, {
      concurrency: this.config.concurrency,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (discoveryErrors.length > 0) {
      result.errors.push(...discoveryErrors);
      result.errors.sort(compareTargets);
    }
    if (this.accountWarnings.length > 0) {
      result.warnings.push(...this.accountWarnings);
      result.warnings.sort(compareTargets);
    }
    return result;
  }

  /**
   * The targets, ending at a failed Organizations call instead of throwing: the failure is
   * pushed to `errors` as an error of the caller's account in the home region.
   */
  async withDiscoveryErrors(
    targets: AsyncIterable<ScanTarget> | ScanTarget[],
    errors: ScanError[],
  ): Promise<AsyncIterable<ScanTarget> | ScanTarget[]> {
    if (Array.isArray(targets)) return targets;
    const home = { accountId: await this.roleCredentials.callerAccountId(), region: this.config.homeRegion };
    return untilFailure(targets, (error) => errors.push(toScanError(home, error)));
  }

  /** Closes the shared sockets. */
  close(): void {
    this.clients.destroy();
  }
}

/** Passes items through until the source fails, then reports the failure and ends. */
async function* untilFailure<T>(
  source: AsyncIterable<T>,
  report: (error: unknown) => void,
): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    report(error);
  }
}
