/**
 * Explicitly listed accounts (`--accounts`, the Lambda's ACCOUNTS) carry none of what
 * Organizations discovery knows. When a policy's scope needs it, each account's tags and
 * place in the organization tree are looked up; an account whose lookup fails is scanned
 * without them, and the failure is a warning (the audit then says which policies it could
 * not apply), never a silent non-match.
 */
import type { OrganizationAccounts } from '../aws/organization-accounts.js';
import { mapBounded } from '../concurrency/map-concurrent.js';
import type { AccountMetadataNeeds } from '../core/policy/index.js';
import type { AccountMetadata, ScanError } from '../core/types.js';
import { toScanError } from './registry-scanner.js';

/** Lookups in flight at once: Organizations' request quotas are low. */
const LOOKUPS_AT_ONCE = 4;

export interface ListedAccount {
  accountId: string;
  account?: AccountMetadata;
}

/** The accounts with what the needs ask for added (what was given explicitly wins), and one warning per failed lookup. */
export async function withAccountMetadata(
  accounts: readonly ListedAccount[],
  needs: AccountMetadataNeeds,
  organizations: () => OrganizationAccounts,
  homeRegion: string,
): Promise<{ accounts: ListedAccount[]; warnings: ScanError[] }> {
  if (!needs.tags && !needs.organizationalUnits && !needs.organizationalUnitTags)
    return { accounts: [...accounts], warnings: [] };
  const org = organizations();
  const warnings: ScanError[] = [];
  const looked = await mapBounded(accounts, LOOKUPS_AT_ONCE, async (listed) => {
    try {
      const found = await org.accountMetadata(listed.accountId, {
        withTags: needs.tags,
        withOrganizationalUnits: needs.organizationalUnits,
        withUnitTags: needs.organizationalUnitTags,
      });
      return { accountId: listed.accountId, account: { ...found, ...listed.account } };
    } catch (error) {
      const failure = toScanError({ accountId: listed.accountId, region: homeRegion }, error);
      warnings.push({
        ...failure,
        message: `${failure.message} (the account's tags and organizational units are unknown; policies scoped by them are not applied to it)`,
      });
      return listed;
    }
  });
  return { accounts: looked, warnings };
}
