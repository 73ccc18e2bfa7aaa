/**
 * Who is calling: the SigV4 credential scope names the access key, region and service;
 * the access key names the account. Keys issued by AssumeRole map to their account
 * here, server-side; any other key is the world's caller account. Signatures are not verified.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** `Credential=AKID/DATE/REGION/SERVICE/aws4_request`, from the Authorization header or a presigned URL. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export interface AssumedSession {
  accountId: string;
  roleName: string;
  sessionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** `AROA…:session`, as STS reports it. */
  assumedRoleId: string;
  arn: string;
}

export interface Caller {
  accountId: string;
  accessKeyId: string;
  /** The caller's principal ARN (an assumed-role session or a local IAM user). */
  arn: string;
  userId: string;
}

const CREDENTIAL = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** The user any non-session key acts as. */
const LOCAL_USER_NAME = 'local-aws';

/** Reads the credential scope of a SigV4 request; null when the request carries none. */
export function readCredentialScope(headers: IncomingHttpHeaders, url: URL): CredentialScope | null {
  const fromHeader = typeof headers.authorization === 'string' ? headers.authorization : undefined;
  const presigned = url.searchParams.get('X-Amz-Credential');
  const text = fromHeader ?? (presigned ? `Credential=${presigned}` : undefined);
  const m = text ? CREDENTIAL.exec(text) : null;
  if (!m) return null;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}

function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const b of bytes) id += UPPER_ALPHANUMERIC[b % UPPER_ALPHANUMERIC.length];
  return id;
}

export class IdentityStore {
  readonly #sessions = new Map<string, AssumedSession>();
  readonly #callerAccountId: string;

  constructor(callerAccountId: string) {
    this.#callerAccountId = callerAccountId;
  }

  /**
   * The caller behind an access key. Sessions outlive `reset()` on purpose: a client
   * holding credentials keeps its account across a reset of the world.
   */
  resolve(accessKeyId: string): Caller {
    const session = this.#sessions.get(accessKeyId);
    if (!session) {
      return {
        accountId: this.#callerAccountId,
        accessKeyId,
        arn: `arn:aws:iam::${this.#callerAccountId}:user/${LOCAL_USER_NAME}`,
        userId: `AIDA${this.#callerAccountId}LOCAL`,
      };
    }
    return { accountId: session.accountId, accessKeyId, arn: session.arn, userId: session.assumedRoleId };
  }

  /** True when the key is a role session that has expired (keys that are not sessions never expire). */
  isExpired(accessKeyId: string, now: Date): boolean {
    const session = this.#sessions.get(accessKeyId);
    return session !== undefined && session.expiration.getTime() <= now.getTime();
  }

  /** Ends the key's role session now (a session revoked or expired early); other keys are unaffected. */
  expire(accessKeyId: string, now: Date): void {
    const session = this.#sessions.get(accessKeyId);
    if (session && session.expiration.getTime() > now.getTime()) session.expiration = new Date(now.getTime());
  }

  /** Issues temporary credentials for a role session in `accountId`. */
  issue(request: {
    accountId: string;
    roleName: string;
    sessionName: string;
    durationSeconds: number;
    now: Date;
  }): AssumedSession {
    const accessKeyId = randomId('ASIA', 16);
    const session: AssumedSession = {
      accountId: request.accountId,
      roleName: request.roleName,
      sessionName: request.sessionName,
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `LOCAL${randomBytes(96).toString('base64')}`,
      expiration: new Date(request.now.getTime() + request.durationSeconds * 1000),
      assumedRoleId: `${roleIdFor(request.accountId, request.roleName)}:${request.sessionName}`,
      arn: `arn:aws:sts::${request.accountId}:assumed-role/${request.roleName}/${request.sessionName}`,
    };
    this.#sessions.set(accessKeyId, session);
    return session;
  }
}

/** A role id that stays the same for the same role, as IAM's does. */
function roleIdFor(accountId: string, roleName: string): string {
  let hash = 0;
  for (const ch of `${accountId}/${roleName}`) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return `AROA${hash.toString(36).toUpperCase().padStart(8, '0')}${accountId.slice(0, 9)}`;
}
