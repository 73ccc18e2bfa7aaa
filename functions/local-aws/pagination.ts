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
  /** Epoch milliseconds, only in tokens that expire. */
  issuedAt?: number;
}

/** For tokens that expire (GetResources': 15 minutes): the clock and the service's own error. */
export interface TokenExpiry {
  afterMs: number;
  now: Date;
  expired: () => Error;
}

function encodeToken(content: TokenContent): string {
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

function decodeToken(token: string, scope: string): TokenContent | null {
  try {
    const content = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenContent>;
    if (content.scope !== scope || !Number.isInteger(content.offset) || (content.offset ?? -1) < 0)
      return null;
    return content as TokenContent;
  } catch {
    // Not base64url JSON: the same answer as a token for another listing.
    return null;
  }
}

/**
 * Returns the page after `token` (or the first page). `scope` names the listing
 * (operation, account, region, filter); `invalidToken` builds the service's own error.
 * `pageSize` may depend on where the page starts (a page limited by the tags it holds).
 */
export function paginate<T>(
  items: readonly T[],
  options: {
    pageSize: number | ((offset: number) => number);
    token: string | undefined;
    scope: string;
    invalidToken: () => Error;
    expiry?: TokenExpiry;
  },
): Page<T> {
  const { expiry } = options;
  let offset = 0;
  if (options.token !== undefined) {
    const decoded = decodeToken(options.token, options.scope);
    if (decoded === null) throw options.invalidToken();
    if (expiry && (decoded.issuedAt ?? 0) + expiry.afterMs <= expiry.now.getTime()) throw expiry.expired();
    offset = decoded.offset;
  }
  const end = offset + (typeof options.pageSize === 'number' ? options.pageSize : options.pageSize(offset));
  const next: TokenContent = {
    scope: options.scope,
    offset: end,
    ...(expiry ? { issuedAt: expiry.now.getTime() } : {}),
  };
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(next) : undefined,
  };
}
