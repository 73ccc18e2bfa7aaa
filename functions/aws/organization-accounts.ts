/**
 * Organizations adapter: walks the organization tree (from the root, or from one
 * organizational unit) and yields ACTIVE accounts page by page as they arrive, each
 * with its organizational-unit path, so scanning starts before the listing ends.
 */
import {
  type Account,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  type OrganizationsClientConfig,
} from '@aws-sdk/client-organizations';
import type { AccountMetadata } from '../core/types.js';

export interface OrganizationAccountsOptions {
  client?: OrganizationsClient;
  clientConfig?: OrganizationsClientConfig;
}

export interface OrganizationAccount {
  accountId: string;
  metadata: AccountMetadata;
}

interface Parent {
  id: string;
  path: string[];
  names: string[];
}

export class OrganizationAccounts {
  readonly client: OrganizationsClient;

  constructor(options: OrganizationAccountsOptions = {}) {
    this.client = options.client ?? new OrganizationsClient(options.clientConfig ?? {});
  }

  /**
   * Yields every ACTIVE account under the root or under `organizationalUnitId`.
   * Tags are read per account only when asked for (one call each).
   */
  async *accounts(
    options: { organizationalUnitId?: string; withTags?: boolean } = {},
  ): AsyncGenerator<OrganizationAccount> {
    const start = options.organizationalUnitId
      ? await this.#pathTo(options.organizationalUnitId)
      : await this.#root();
    const stack: Parent[] = [start];
    while (stack.length > 0) {
      const parent = stack.pop()!;
      let nextToken: string | undefined;
      do {
        const page = await this.client.send(
          new ListAccountsForParentCommand({ ParentId: parent.id, NextToken: nextToken }),
        );
        for (const account of page.Accounts ?? []) {
          if (!account.Id || !isActive(account)) continue;
          const tags = options.withTags ? await this.#tags(account.Id) : undefined;
          yield {
            accountId: account.Id,
            metadata: {
              ...(account.Name ? { name: account.Name } : {}),
              ...(account.Email ? { email: account.Email } : {}),
              organizationalUnitPath: parent.path,
              organizationalUnitNames: parent.names,
              ...(tags ? { tags } : {}),
            },
          };
        }
        nextToken = page.NextToken;
      } while (nextToken);
      stack.push(...(await this.#childUnits(parent)).reverse());
    }
  }

  async #root(): Promise<Parent> {
    const out = await this.client.send(new ListRootsCommand({}));
    const root = out.Roots?.[0];
    if (!root?.Id) throw new Error('ListRoots returned no root');
    return { id: root.Id, path: [root.Id], names: [root.Name ?? 'Root'] };
  }

  /** The OU with the ids of its ancestors (ListParents up to the root). */
  async #pathTo(organizationalUnitId: string): Promise<Parent> {
    const path = [organizationalUnitId];
    let child = organizationalUnitId;
    for (;;) {
      const out = await this.client.send(new ListParentsCommand({ ChildId: child }));
      const parent = out.Parents?.[0];
      if (!parent?.Id) break;
      path.unshift(parent.Id);
      if (parent.Type === 'ROOT') break;
      child = parent.Id;
    }
    // Names are only known for the units walked below; ancestors keep their ids.
    return { id: organizationalUnitId, path, names: [...path] };
  }

  async #childUnits(parent: Parent): Promise<Parent[]> {
    const children: Parent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken: nextToken }),
      );
      for (const ou of page.OrganizationalUnits ?? []) {
        if (ou.Id)
          children.push({
            id: ou.Id,
            path: [...parent.path, ou.Id],
            names: [...parent.names, ou.Name ?? ou.Id],
          });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return children;
  }

  async #tags(accountId: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListTagsForResourceCommand({ ResourceId: accountId, NextToken: nextToken }),
      );
      for (const t of page.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
      nextToken = page.NextToken;
    } while (nextToken);
    return tags;
  }
}

/** `State` replaces the deprecated `Status`; either says ACTIVE for a live account. */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}
