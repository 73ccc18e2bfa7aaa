/**
 * Resource Groups Tagging API adapter: the tags of every resource of one type in the
 * client's account and region, a page of up to 100 resources a call (GetResources),
 * instead of one call per resource. Built from an injected client or a client config.
 */
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
  type ResourceGroupsTaggingAPIClientConfig,
} from '@aws-sdk/client-resource-groups-tagging-api';
import type { Tags } from '../core/types.js';
import type { CallOptions } from './call-options.js';

export interface ResourceTagsOptions {
  client?: ResourceGroupsTaggingAPIClient;
  clientConfig?: ResourceGroupsTaggingAPIClientConfig;
}

/** GetResources' largest page (model: ResourcesPerPage 1-100). */
const RESOURCES_PER_PAGE = 100;

/** The resource type of an ECR repository (`service:resourceType`, as in its ARN). */
export const ECR_REPOSITORY_RESOURCE_TYPE = 'ecr:repository';

export class ResourceTags {
  readonly client: ResourceGroupsTaggingAPIClient;

  constructor(options: ResourceTagsOptions = {}) {
    this.client = options.client ?? new ResourceGroupsTaggingAPIClient(options.clientConfig ?? {});
  }

  /**
   * The tags of every resource of `resourceType`, by ARN, through every page (PaginationToken
   * until absent or empty, written out because paginators take no abort signal). A resource
   * never tagged is absent: GetResources does not return untagged resources.
   */
  async tagsByArn(resourceType: string, options?: CallOptions): Promise<Map<string, Tags>> {
    const tags = new Map<string, Tags>();
    let paginationToken: string | undefined;
    do {
      const page = await this.client.send(
        new GetResourcesCommand({
          ResourceTypeFilters: [resourceType],
          ResourcesPerPage: RESOURCES_PER_PAGE,
          ...(paginationToken ? { PaginationToken: paginationToken } : {}),
        }),
        options,
      );
      for (const mapping of page.ResourceTagMappingList ?? []) {
        if (!mapping.ResourceARN) continue;
        tags.set(
          mapping.ResourceARN,
          Object.fromEntries((mapping.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        );
      }
      paginationToken = page.PaginationToken;
    } while (paginationToken);
    return tags;
  }
}
