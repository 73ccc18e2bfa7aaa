/**
 * The scope a manual invocation may ask for: never more than the function is configured
 * to scan. Checked before any role is assumed, so a request outside the scope changes nothing.
 */
import { type DetectorConfig, DetectorEnv } from '../config/detector-environment.js';
import { ConfigurationError } from '../core/errors.js';

/** What a manual invocation narrows the run to; absent means everything configured. */
export interface InvocationScope {
  accounts?: string[];
  regions?: string[];
}

/** Thrown when a manual invocation names accounts or regions outside the function's configured scope. */
export class OutOfScopeError extends ConfigurationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutOfScopeError';
  }
}

/** Ids listed in an error line: enough to act on, short enough for one line. */
const LISTED_AT_MOST = 10;

function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED_AT_MOST).join(', ');
  return ids.length > LISTED_AT_MOST ? `${shown} and ${ids.length - LISTED_AT_MOST} more` : shown;
}

/** Throws OutOfScopeError when a requested region is not configured. */
export function checkRegionScope(config: DetectorConfig, regions: readonly string[] | undefined): void {
  const outside = (regions ?? []).filter((r) => !config.regions.includes(r));
  if (outside.length > 0) {
    throw new OutOfScopeError(
      `regions ${listed(outside)} are not among the configured regions (${config.regions.join(', ')})`,
    );
  }
}

/**
 * Throws OutOfScopeError unless every requested account is within the configured scope:
 * the configured accounts, or with organization discovery the discovered accounts
 * (`discoverAccounts`, called only then), either minus the excluded accounts.
 */
export async function checkInvocationScope(
  config: DetectorConfig,
  scope: InvocationScope,
  discoverAccounts: () => Promise<Iterable<string> | AsyncIterable<string>>,
): Promise<void> {
  checkRegionScope(config, scope.regions);
  const requested = [...new Set(scope.accounts ?? [])];
  if (requested.length === 0) return;
  const excluded = requested.filter((id) => config.excludeAccounts.includes(id));
  if (excluded.length > 0) {
    throw new OutOfScopeError(`accounts ${listed(excluded)} are excluded (${DetectorEnv.excludeAccounts})`);
  }
  if (!config.organization) {
    const outside = requested.filter((id) => !config.accounts.includes(id));
    if (outside.length > 0) {
      throw new OutOfScopeError(
        `accounts ${listed(outside)} are not among the configured accounts (${DetectorEnv.accounts})`,
      );
    }
    return;
  }
  const discovered = new Set<string>();
  for await (const id of await discoverAccounts()) discovered.add(id);
  const outside = requested.filter((id) => !discovered.has(id));
  if (outside.length > 0) {
    const below = config.organization.organizationalUnitId
      ? ` below ${config.organization.organizationalUnitId}`
      : '';
    throw new OutOfScopeError(
      `accounts ${listed(outside)} are not among the organization's active accounts${below}`,
    );
  }
}
