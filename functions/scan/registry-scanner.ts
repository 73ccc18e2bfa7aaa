/**
 * Reads one registry (account x region) into the snapshot shape through the
 * adapters. A failure names the operation that failed, so the run can report it
 * and carry on with the other targets.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { SignerClient } from '@aws-sdk/client-signer';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { summarizeAwsError } from '../aws/aws-error.js';
import type { ClientConfigFactory } from '../aws/client-config.js';
import { EcrRegistry } from '../aws/ecr-registry.js';
import type { RoleCredentials } from '../aws/role-credentials.js';
import { SignerProfiles } from '../aws/signer-profiles.js';
import type { RegistrySnapshot, RepositorySnapshot, ScanError } from '../core/types.js';
import type { ScanTarget } from './targets.js';

/** Thrown when one step of reading a target fails; `operation` names the AWS call. */
export class TargetScanError extends Error {
  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`${operation} failed`, options);
    this.name = 'TargetScanError';
  }
}

export interface RegistryScannerOptions {
  clients: ClientConfigFactory;
  roleCredentials: RoleCredentials;
  /** Targets in this account are read with the caller's own credentials instead of an assumed role. */
  callerAccountId?: string;
  /** Read repository tags (one call per repository): only when a loaded policy looks at them. */
  readRepositoryTags: boolean;
  /** Concurrent ListTagsForResource calls within one registry. */
  tagConcurrency?: number;
}

export interface RegistryScan {
  registry: RegistrySnapshot;
  /** Non-fatal problems (e.g. a profile whose status could not be read). */
  warnings: ScanError[];
}

export class RegistryScanner {
  readonly #options: RegistryScannerOptions;
  readonly #signer: SignerProfiles;

  constructor(options: RegistryScannerOptions) {
    this.#options = options;
    this.#signer = new SignerProfiles({
      clientFor: (region) => new SignerClient(options.clients.forRegion(region)),
    });
  }

  /** Credentials for a target's account: the caller's own, or the assumed scan role. */
  credentialsFor(accountId: string): AwsCredentialIdentityProvider | undefined {
    return accountId === this.#options.callerAccountId
      ? undefined
      : this.#options.roleCredentials.providerFor(accountId);
  }

  /** An ECR adapter for the target with the right credentials (also used by remediation). */
  ecrFor(target: ScanTarget): EcrRegistry {
    return new EcrRegistry({
      client: new ECRClient(
        this.#options.clients.forRegion(target.region, this.credentialsFor(target.accountId)),
      ),
    });
  }

  async scan(target: ScanTarget): Promise<RegistryScan> {
    if (target.accountId !== this.#options.callerAccountId) {
      await step('AssumeRole', () => this.#options.roleCredentials.credentialsFor(target.accountId));
    }
    // Per-target clients are dropped, not destroyed: destroy() would close the shared HTTP handler.
    const ecr = this.ecrFor(target);
    const signingConfiguration = await step('GetSigningConfiguration', () => ecr.getSigningConfiguration());
    const listed = await step('DescribeRepositories', () => ecr.listRepositories());
    const repositories = this.#options.readRepositoryTags
      ? await step('ListTagsForResource', () => this.#withTags(ecr, listed))
      : listed.map(({ repositoryName }): RepositorySnapshot => ({ repositoryName }));

    const warnings: ScanError[] = [];
    const arns = [...new Set((signingConfiguration?.rules ?? []).map((r) => r.signingProfileArn))].sort();
    const lookups = await Promise.all(arns.map((arn) => this.#signer.describe(arn)));
    const signingProfiles = lookups.flatMap((lookup, i) => {
      if (lookup.profile) return [lookup.profile];
      warnings.push({
        accountId: target.accountId,
        region: target.region,
        operation: `GetSigningProfile ${arns[i]}`,
        ...lookup.error,
      });
      return [];
    });
    const registry: RegistrySnapshot = {
      accountId: target.accountId,
      region: target.region,
      signingConfiguration,
      repositories,
      ...(signingProfiles.length > 0 ? { signingProfiles } : {}),
      ...(target.account ? { account: target.account } : {}),
    };
    return { registry, warnings };
  }

  async #withTags(
    ecr: EcrRegistry,
    listed: { repositoryName: string; repositoryArn: string }[],
  ): Promise<RepositorySnapshot[]> {
    const out: RepositorySnapshot[] = new Array(listed.length);
    const width = this.#options.tagConcurrency ?? 8;
    let next = 0;
    const worker = async () => {
      while (next < listed.length) {
        const i = next++;
        const repo = listed[i]!;
        out[i] = {
          repositoryName: repo.repositoryName,
          tags: await ecr.getRepositoryTags(repo.repositoryArn),
        };
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, listed.length) }, worker));
    return out;
  }
}

async function step<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new TargetScanError(operation, { cause: error });
  }
}

/** The report entry for a target that could not be read. */
export function toScanError(target: ScanTarget, error: unknown): ScanError {
  const operation = error instanceof TargetScanError ? error.operation : 'Scan';
  const cause = error instanceof TargetScanError ? error.cause : error;
  return { accountId: target.accountId, region: target.region, operation, ...summarizeAwsError(cause) };
}
