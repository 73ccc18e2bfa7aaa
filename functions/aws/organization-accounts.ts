/**
 * Organizations adapter: walks the organization tree (from the root, or from one
 * organizational unit) and yields ACTIVE accounts page by page as they arrive, each
 * with its organizational-unit path and names, so scanning starts before the listing ends.
 */
import {
  type Account,
  DescribeOrganizationalUnitCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  type OrganizationsClientConfig,
} from '@aws-sdk/client-organizations';
import { mapBounded } from '../concurrency/map-concurrent.js';
import type { AccountMetadata } from '../core/types.js';
import { runOperation } from './aws-error.js';

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

/** Tag reads in flight at once for one page of accounts: Organizations' request quotas are low. */
const TAG_READS_AT_ONCE = 4;

export class OrganizationAccounts {
  readonly client: OrganizationsClient;
  /** Unit names by id, shared by the accounts looked up one by one (siblings share their units). */
  readonly #unitNames = new Map<string, Promise<string>>();
  #rootPromise: Promise<Parent> | undefined;
  readonly #unitTagReads = new Map<string, Promise<Record<string, string>>>();

  constructor(options: OrganizationAccountsOptions = {}) {
    this.client = options.client ?? new OrganizationsClient(options.clientConfig ?? {});
  }

  /**
   * Yields every ACTIVE account under the root or under `organizationalUnitId`.
   * Tags are read per account only when asked for (one call each, a few at once).
   * A failed call throws an AwsOperationError naming the Organizations operation.
   */
  async *accounts(
    options: { organizationalUnitId?: string; withTags?: boolean; withUnitTags?: boolean } = {},
  ): AsyncGenerator<OrganizationAccount> {
    const unitId = options.organizationalUnitId;
    // A root id (r-...) names the whole tree, like no unit at all.
    const start =
      unitId && !unitId.startsWith('r-') ? await this.#unitWithAncestors(unitId) : await this.#root();
    const stack: Parent[] = [start];
    while (stack.length > 0) {
      const parent = stack.pop()!;
      const unitTags = options.withUnitTags ? await this.#effectiveUnitTags(parent.path) : undefined;
      let nextToken: string | undefined;
      do {
        const page = await runOperation('ListAccountsForParent', () =>
          this.client.send(new ListAccountsForParentCommand({ ParentId: parent.id, NextToken: nextToken })),
        );
        const active = (page.Accounts ?? []).filter(
          (account): account is Account & { Id: string } => Boolean(account.Id) && isActive(account),
        );
        const tags = options.withTags
          ? await mapBounded(active, TAG_READS_AT_ONCE, (account) => this.#tags(account.Id))
          : undefined;
        for (const [i, account] of active.entries()) {
          yield {
            accountId: account.Id,
            metadata: {
              ...(account.Name ? { name: account.Name } : {}),
              ...(account.Email ? { email: account.Email } : {}),
              organizationalUnitPath: parent.path,
              organizationalUnitNames: parent.names,
              ...(tags ? { tags: tags[i] } : {}),
              ...(unitTags ? { organizationalUnitTags: unitTags } : {}),
            },
          };
        }
        nextToken = page.NextToken;
      } while (nextToken);
      stack.push(...(await this.#childUnits(parent)).reverse());
    }
  }

  /**
   * What Organizations says about one account named explicitly (not discovered): its place in
   * the tree (ListParents up to the root, the units' names) and its tags, each only when asked.
   * A failed call throws an AwsOperationError naming the Organizations operation.
   */
  async accountMetadata(
    accountId: string,
    options: { withTags: boolean; withOrganizationalUnits: boolean; withUnitTags?: boolean },
  ): Promise<AccountMetadata> {
    const [placement, tags] = await Promise.all([
      options.withOrganizationalUnits || options.withUnitTags
        ? this.#unitWithAncestors(accountId)
        : undefined,
      options.withTags ? this.#tags(accountId) : undefined,
    ]);
    const unitTags =
      placement && options.withUnitTags
        ? await this.#effectiveUnitTags(placement.path.slice(0, -1))
        : undefined;
    return {
      ...(unitTags ? { organizationalUnitTags: unitTags } : {}),
      // The walk starts at the account itself: its path is its parents'.
      ...(placement
        ? {
            organizationalUnitPath: placement.path.slice(0, -1),
            organizationalUnitNames: placement.names.slice(0, -1),
          }
        : {}),
      ...(tags ? { tags } : {}),
    };
  }

  /** The organization's root: one ListRoots per adapter. */
  #root(): Promise<Parent> {
    this.#rootPromise ??= this.#listRoot();
    return this.#rootPromise;
  }

  async #listRoot(): Promise<Parent> {
    const out = await runOperation('ListRoots', () => this.client.send(new ListRootsCommand({})));
    const root = out.Roots?.[0];
    if (!root?.Id) throw new Error('ListRoots returned no root');
    return { id: root.Id, path: [root.Id], names: [root.Name ?? 'Root'] };
  }

  /** The OU with the ids and names of its ancestors (ListParents up to the root, then their names). */
  async #unitWithAncestors(organizationalUnitId: string): Promise<Parent> {
    const path = [organizationalUnitId];
    let child = organizationalUnitId;
    for (;;) {
      const out = await runOperation('ListParents', () =>
        this.client.send(new ListParentsCommand({ ChildId: child })),
      );
      const parent = out.Parents?.[0];
      if (!parent?.Id) break;
      path.unshift(parent.Id);
      if (parent.Type === 'ROOT') break;
      child = parent.Id;
    }
    const [rootId, ...unitIds] = path;
    const [root, unitNames] = await Promise.all([
      this.#root(),
      // An account (12 digits) at the end of the path has no unit name; its caller drops it.
      Promise.all(unitIds.map((id) => (/^\d{12}$/.test(id) ? id : this.#unitName(id)))),
    ]);
    // The root's name comes from ListRoots (an organization has one root).
    const rootName = root.id === rootId ? root.names : [rootId!];
    return { id: organizationalUnitId, path, names: [...rootName, ...unitNames] };
  }

  async #unitName(organizationalUnitId: string): Promise<string> {
    const known = this.#unitNames.get(organizationalUnitId);
    if (known) return known;
    const name = this.#describeUnitName(organizationalUnitId);
    this.#unitNames.set(organizationalUnitId, name);
    return name;
  }

  async #describeUnitName(organizationalUnitId: string): Promise<string> {
    const out = await runOperation('DescribeOrganizationalUnit', () =>
      this.client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: organizationalUnitId })),
    );
    return out.OrganizationalUnit?.Name ?? organizationalUnitId;
  }

  async #childUnits(parent: Parent): Promise<Parent[]> {
    const children: Parent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await runOperation('ListOrganizationalUnitsForParent', () =>
        this.client.send(
          new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken: nextToken }),
        ),
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

  /** The tags a path of units (root first) gives what is below it: a deeper unit's value for a key wins. */
  async #effectiveUnitTags(path: readonly string[]): Promise<Record<string, string>> {
    const each = await Promise.all(path.map((id) => this.#unitTags(id)));
    return Object.assign({}, ...each);
  }

  /** One unit's (or the root's) own tags: one read per unit and adapter. */
  #unitTags(unitId: string): Promise<Record<string, string>> {
    let tags = this.#unitTagReads.get(unitId);
    if (!tags) {
      tags = this.#tags(unitId);
      this.#unitTagReads.set(unitId, tags);
    }
    return tags;
  }

  async #tags(accountId: string): Promise<Record<string, string>> {
    const tags: Array<[string, string]> = [];
    let nextToken: string | undefined;
    do {
      const page = await runOperation('ListTagsForResource', () =>
        this.client.send(new ListTagsForResourceCommand({ ResourceId: accountId, NextToken: nextToken })),
      );
      for (const t of page.Tags ?? []) if (t.Key) tags.push([t.Key, t.Value ?? '']);
      nextToken = page.NextToken;
    } while (nextToken);
    // fromEntries defines own properties: a tag named __proto__ is a tag, not a prototype.
    return Object.fromEntries(tags);
  }
}

/** `State` says whether the account is live; `Status` was retired from the API on 2026-09-09. */
function isActive(account: Account): boolean {
  return account.State === 'ACTIVE';
}
