/**
 * STS adapter: assumes the scan role in each target account once and hands out the
 * temporary credentials to every client of that account (all its regions), renewing
 * them shortly before they expire. AssumeRole calls go through a pacer.
 */
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface RoleCredentialsOptions {
  client?: STSClient;
  clientConfig?: STSClientConfig;
  /** The role's name in every member account. */
  roleName: string;
  externalId?: string;
  /** Identifies the tool in CloudTrail. */
  sessionName: string;
  /** Partition for role ARNs. */
  partition?: string;
  durationSeconds?: number;
  /** Called before each AssumeRole (pacing). */
  beforeAssumeRole?: () => Promise<void>;
}

/** Renew this long before expiry so a call in flight never carries expired credentials. */
const RENEW_BEFORE_MS = 5 * 60_000;

export class RoleCredentials {
  readonly client: STSClient;
  readonly #options: RoleCredentialsOptions;
  readonly #cache = new Map<string, Promise<AwsCredentialIdentity>>();
  #callerAccountId: Promise<string> | undefined;

  constructor(options: RoleCredentialsOptions) {
    this.client = options.client ?? new STSClient(options.clientConfig ?? {});
    this.#options = options;
  }

  roleArn(accountId: string): string {
    return `arn:${this.#options.partition ?? 'aws'}:iam::${accountId}:role/${this.#options.roleName}`;
  }

  /** A credentials provider for the account; the first call assumes the role. */
  providerFor(accountId: string): AwsCredentialIdentityProvider {
    return () => this.credentialsFor(accountId);
  }

  /** The account's temporary credentials (shared by concurrent callers; renewed near expiry). */
  credentialsFor(accountId: string): Promise<AwsCredentialIdentity> {
    const cached = this.#cache.get(accountId);
    if (cached) {
      return cached.then((creds) =>
        creds.expiration && creds.expiration.getTime() - Date.now() < RENEW_BEFORE_MS
          ? this.#assume(accountId)
          : creds,
      );
    }
    return this.#assume(accountId);
  }

  /** The caller's own account (to scan it with its own credentials). */
  callerAccountId(): Promise<string> {
    this.#callerAccountId ??= this.client.send(new GetCallerIdentityCommand({})).then((out) => {
      if (!out.Account) throw new Error('GetCallerIdentity returned no account');
      return out.Account;
    });
    return this.#callerAccountId;
  }

  #assume(accountId: string): Promise<AwsCredentialIdentity> {
    const pending = (async () => {
      await this.#options.beforeAssumeRole?.();
      const out = await this.client.send(
        new AssumeRoleCommand({
          RoleArn: this.roleArn(accountId),
          RoleSessionName: this.#options.sessionName,
          ...(this.#options.externalId ? { ExternalId: this.#options.externalId } : {}),
          ...(this.#options.durationSeconds ? { DurationSeconds: this.#options.durationSeconds } : {}),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
        accountId,
      };
    })();
    this.#cache.set(accountId, pending);
    // A failed assumption is not cached: the next target of that account tries again.
    pending.catch(() => {
      if (this.#cache.get(accountId) === pending) this.#cache.delete(accountId);
    });
    return pending;
  }
}
