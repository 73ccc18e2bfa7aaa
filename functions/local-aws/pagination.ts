/**
 * NextToken pagination shared by every list operation. Tokens are opaque (base64url)
 * and bound to the listing they came from, so a token replayed elsewhere is rejected.
 */

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken: string | undefined;
}

interface TokenContent {
  scope: string;
  offset: number;
}

function encodeToken(content: TokenContent): string {
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

function decodeOffset(token: string, scope: string): number | null {
  try {
    const content = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenContent>;
    if (content.scope !== scope || !Number.isInteger(content.offset) || (content.offset ?? -1) < 0)
      return null;
    return content.offset ?? null;
  } catch {
    // Not base64url JSON: the same answer as a token for another listing.
    return null;
  }
}

/**
 * Returns the page after `token` (or the first page). `scope` names the listing
 * (operation, account, region, filter); `invalidToken` builds the service's own error.
 */
export function paginate<T>(
  items: readonly T[],
  options: { pageSize: number; token: string | undefined; scope: string; invalidToken: () => Error },
): Page<T> {
  let offset = 0;
  if (options.token !== undefined) {
    const decoded = decodeOffset(options.token, options.scope);
    if (decoded === null) throw options.invalidToken();
    offset = decoded;
  }
  const end = offset + options.pageSize;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken({ scope: options.scope, offset: end }) : undefined,
  };
}
