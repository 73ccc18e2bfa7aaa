/**
 * Wires the adapters for one run from a ScanConfig: one shared HTTP handler, one
 * STS client with paced AssumeRole, one Organizations client, and the scanner.
 * Entry points (CLI, Lambda) build a ScanConfig from flags or environment.
 */
import { ClientConfigFactory } from '../aws/client-config.js';
import { OrganizationAccounts } from '../aws/organization-accounts.js';
import { RoleCredentials } from '../aws/role-credentials.js';
import type { AccountMetadata } from '../core/types.js';
import { RatePacer } from './rate-pacer.js';
import { RegistryScanner } from './registry-scanner.js';
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
  /** Region for STS and Organizations calls. */
  homeRegion: string;
  profile?: string;
  endpoint?: string;
  concurrency: number;
  maxAttempts: number;
  assumeRoleRatePerSecond: number;
  requestTimeoutMs: number;
  readRepositoryTags: boolean;
}

export const SCAN_DEFAULTS = {
  roleName: 'EcrSignDriftReadRole',
  sessionName: 'ecr-sign-drift',
  concurrency: 16,
  maxAttempts: 5,
  // STS allows 600 AssumeRole requests per second per account; stay well below.
  assumeRoleRatePerSecond: 100,
  requestTimeoutMs: 30_000,
} as const;

export class ScanSession {
  readonly clients: ClientConfigFactory;
  readonly roleCredentials: RoleCredentials;
  readonly config: ScanConfig;
  #scanner: RegistryScanner | undefined;

  constructor(config: ScanConfig) {
    this.config = config;
    this.clients = new ClientConfigFactory({
      region: config.homeRegion,
      ...(config.profile ? { profile: config.profile } : {}),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      maxAttempts: config.maxAttempts,
      requestTimeoutMs: config.requestTimeoutMs,
      maxSockets: Math.max(50, config.concurrency * 2),
    });
    const pacer = new RatePacer(config.assumeRoleRatePerSecond);
    this.roleCredentials = new RoleCredentials({
      clientConfig: this.clients.home(),
      roleName: config.roleName,
      ...(config.externalId ? { externalId: config.externalId } : {}),
      sessionName: config.sessionName,
      beforeAssumeRole: () => pacer.take(),
    });
  }

  /** The scanner; the caller's own account is read with its own credentials. */
  async scanner(): Promise<RegistryScanner> {
    if (!this.#scanner) {
      const callerAccountId = await this.roleCredentials.callerAccountId();
      this.#scanner = new RegistryScanner({
        clients: this.clients,
        roleCredentials: this.roleCredentials,
        callerAccountId,
        readRepositoryTags: this.config.readRepositoryTags,
      });
    }
    return this.#scanner;
  }

  /** The targets to scan, lazily (discovery pages overlap with scanning). */
  async targets(): Promise<AsyncIterable<ScanTarget> | Iterable<ScanTarget>> {
    const { organization, accounts, regions, exclude } = this.config;
    if (organization) {
      const org = new OrganizationAccounts({ clientConfig: this.clients.home() });
      return discoveredTargets(
        org.accounts({
          ...(organization.organizationalUnitId
            ? { organizationalUnitId: organization.organizationalUnitId }
            : {}),
          withTags: organization.readAccountTags ?? false,
        }),
        regions,
        exclude,
      );
    }
    const list =
      accounts && accounts.length > 0
        ? accounts
        : [{ accountId: await this.roleCredentials.callerAccountId() }];
    return explicitTargets(list, regions, exclude);
  }

  /** Closes the shared sockets. */
  close(): void {
    this.clients.destroy();
  }
}
