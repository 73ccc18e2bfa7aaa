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
import { isAccessRefusal, runOperation } from './aws-error.js';

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

/** One account's assumption: shared while in flight, and its credentials once they arrive. */
interface Assumption {
  pending: Promise<AwsCredentialIdentity>;
  credentials?: AwsCredentialIdentity;
}

function expiresSoon(credentials: AwsCredentialIdentity): boolean {
  return (
    credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < RENEW_BEFORE_MS
  );
}

export class RoleCredentials {
  readonly client: STSClient;
  readonly #options: RoleCredentialsOptions;
  readonly #assumptions = new Map<string, Assumption>();
  #callerIdentity: Promise<{ account: string; arn: string | undefined }> | undefined;

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

  /**
   * The account's temporary credentials. Concurrent callers share one AssumeRole, and
   * one renewal near expiry; a refusal (AccessDenied) is remembered for the run, other
   * failures (throttling, network) let the next caller try again.
   */
  credentialsFor(accountId: string): Promise<AwsCredentialIdentity> {
    const current = this.#assumptions.get(accountId);
    if (current && !(current.credentials && expiresSoon(current.credentials))) return current.pending;
    return this.#assume(accountId).pending;
  }

  /**
   * Forgets the account's credentials if they are still `expired` ones (AWS answered them as
   * expired before their stated expiry: a revoked session, a clock ahead), so the next caller
   * assumes the role again. Callers that saw the same credentials expire share one new AssumeRole.
   */
  forgetExpired(accountId: string, expired: AwsCredentialIdentity): void {
    const current = this.#assumptions.get(accountId);
    if (current?.credentials?.accessKeyId === expired.accessKeyId) this.#assumptions.delete(accountId);
  }

  /** The caller's own account (to scan it with its own credentials); failures name GetCallerIdentity. */
  async callerAccountId(): Promise<string> {
    return (await this.#identity()).account;
  }

  /**
   * The principal ARN CloudTrail records for calls made in `accountId`: the scan role's
   * session there, or the caller's own identity in its own account.
   */
  async principalArnFor(accountId: string): Promise<string> {
    const caller = await this.#identity();
    if (caller.account === accountId) {
      if (!caller.arn) throw new Error('GetCallerIdentity returned no ARN');
      return caller.arn;
    }
    const partition = this.#options.partition ?? 'aws';
    return `arn:${partition}:sts::${accountId}:assumed-role/${this.#options.roleName}/${this.#options.sessionName}`;
  }

  #identity(): Promise<{ account: string; arn: string | undefined }> {
    this.#callerIdentity ??= runOperation('GetCallerIdentity', async () => {
      const out = await this.client.send(new GetCallerIdentityCommand({}));
      if (!out.Account) throw new Error('GetCallerIdentity returned no account');
      return { account: out.Account, arn: out.Arn };
    });
    return this.#callerIdentity;
  }

  #assume(accountId: string): Assumption {
    const assumption: Assumption = {
      pending: (async () => {
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
      })(),
    };
    this.#assumptions.set(accountId, assumption);
    assumption.pending.then(
      (credentials) => {
        assumption.credentials = credentials;
      },
      (error: unknown) => {
        if (!isAccessRefusal(error) && this.#assumptions.get(accountId) === assumption) {
          this.#assumptions.delete(accountId);
        }
      },
    );
    return assumption;
  }
}
