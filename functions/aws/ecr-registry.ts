/**
 * ECR adapter: the registry operations a scan and a remediation need, for one
 * account and region (the client's). Built from an injected client or a client config.
 * Reads take an abort signal so a scan that gives up on a target frees its sockets.
 */
import {
  DeleteSigningConfigurationCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  type ECRClientConfig,
  GetSigningConfigurationCommand,
  ListTagsForResourceCommand,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import type { RepositoryFilterType, SigningConfiguration, Tags } from '../core/types.js';
import { isAwsError } from './aws-error.js';
import type { CallOptions } from './call-options.js';

export type { CallOptions } from './call-options.js';

export interface EcrRegistryOptions {
  client?: ECRClient;
  clientConfig?: ECRClientConfig;
}

export interface RepositoryListing {
  repositoryName: string;
  repositoryArn: string;
}

/** DescribeRepositories' largest page (model: MaxResults 1-1000). */
const DESCRIBE_REPOSITORIES_PAGE_SIZE = 1000;

export class EcrRegistry {
  readonly client: ECRClient;

  constructor(options: EcrRegistryOptions = {}) {
    this.client = options.client ?? new ECRClient(options.clientConfig ?? {});
  }

  /** The registry's signing configuration, or null when it was never configured. */
  async getSigningConfiguration(options?: CallOptions): Promise<SigningConfiguration | null> {
    try {
      const out = await this.client.send(new GetSigningConfigurationCommand({}), options);
      return toSigningConfiguration(out.signingConfiguration);
    } catch (error) {
      // A registry that was never configured is a normal state, not a failure.
      if (isAwsError(error, 'SigningConfigurationNotFoundException')) return null;
      throw error;
    }
  }

  /** Replaces the registry's signing configuration; returns what ECR stored. */
  async putSigningConfiguration(configuration: SigningConfiguration): Promise<SigningConfiguration | null> {
    const out = await this.client.send(
      new PutSigningConfigurationCommand({ signingConfiguration: configuration }),
    );
    return toSigningConfiguration(out.signingConfiguration);
  }

  /**
   * Returns the registry to "never configured" (what a rollback to a null configuration
   * needs: an empty rule list is a different state). Returns what was deleted, or null
   * when the registry had no configuration, so a repeated delete is not a failure.
   */
  async deleteSigningConfiguration(): Promise<SigningConfiguration | null> {
    try {
      const out = await this.client.send(new DeleteSigningConfigurationCommand({}));
      return toSigningConfiguration(out.signingConfiguration);
    } catch (error) {
      if (isAwsError(error, 'SigningConfigurationNotFoundException')) return null;
      throw error;
    }
  }

  /**
   * Every repository, through every page. The loop is the SDK paginator's own
   * (nextToken until absent), written out because paginators take no abort signal.
   */
  async listRepositories(options?: CallOptions): Promise<RepositoryListing[]> {
    const repositories: RepositoryListing[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeRepositoriesCommand({ maxResults: DESCRIBE_REPOSITORIES_PAGE_SIZE, nextToken }),
        options,
      );
      for (const r of page.repositories ?? []) {
        if (r.repositoryName && r.repositoryArn) {
          repositories.push({ repositoryName: r.repositoryName, repositoryArn: r.repositoryArn });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return repositories;
  }

  /** A repository's tags as a map, or null when the repository was deleted since it was listed. */
  async getRepositoryTags(repositoryArn: string, options?: CallOptions): Promise<Tags | null> {
    try {
      const out = await this.client.send(
        new ListTagsForResourceCommand({ resourceArn: repositoryArn }),
        options,
      );
      return Object.fromEntries((out.tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    } catch (error) {
      if (isAwsError(error, 'RepositoryNotFoundException')) return null;
      throw error;
    }
  }
}

/** Narrows the SDK's all-optional shape to ours, dropping empty members the API may omit. */
function toSigningConfiguration(
  config:
    | {
        rules?: {
          signingProfileArn?: string;
          repositoryFilters?: { filter?: string; filterType?: string }[];
        }[];
      }
    | undefined,
): SigningConfiguration | null {
  if (!config) return null;
  return {
    rules: (config.rules ?? []).map((rule) => ({
      signingProfileArn: rule.signingProfileArn ?? '',
      ...(rule.repositoryFilters
        ? {
            repositoryFilters: rule.repositoryFilters.map((f) => ({
              filter: f.filter ?? '',
              filterType: (f.filterType ?? 'WILDCARD_MATCH') as RepositoryFilterType,
            })),
          }
        : {}),
    })),
  };
}
