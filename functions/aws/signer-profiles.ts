/**
 * Signer adapter: the status and platform of a signing profile, read once per run
 * however many registries reference it, as the account of the first registry that
 * references it (the registry's account must be able to use the profile; the caller's
 * account usually cannot read profiles in member accounts).
 */
import { GetSigningProfileCommand, type SignerClient } from '@aws-sdk/client-signer';
import { parseSigningProfileArn } from '../core/facts/index.js';
import type { SigningProfileSnapshot, SigningProfileStatus } from '../core/types.js';
import { type AwsErrorSummary, isExpiredCredentialsName, summarizeAwsError } from './aws-error.js';

export interface SignerProfilesOptions {
  /** The Signer client for the profile's region, acting as `readerAccountId` (undefined: the caller). */
  clientFor: (region: string, readerAccountId: string | undefined) => SignerClient;
}

/** A profile's state, or why it could not be read (policies then treat its status as unknown). */
export type SigningProfileLookup =
  | { profile: SigningProfileSnapshot }
  | { profile: null; error: AwsErrorSummary };

const STATUSES: readonly string[] = ['Active', 'Canceled', 'Revoked'] satisfies SigningProfileStatus[];

export class SignerProfiles {
  readonly #clientFor: SignerProfilesOptions['clientFor'];
  readonly #cache = new Map<string, Promise<SigningProfileLookup>>();

  constructor(options: SignerProfilesOptions) {
    this.#clientFor = options.clientFor;
  }

  /** The profile's status and platform; the first caller for an ARN reads it, the rest share the answer. */
  describe(profileArn: string, readerAccountId?: string): Promise<SigningProfileLookup> {
    let pending = this.#cache.get(profileArn);
    if (!pending) {
      const read = this.#read(profileArn, readerAccountId);
      this.#cache.set(profileArn, read);
      // Expired credentials say nothing about the profile: the next caller (with new ones) reads it again.
      void read.then((lookup) => {
        if (lookup.profile === null && isExpiredCredentialsName(lookup.error.errorName)) {
          if (this.#cache.get(profileArn) === read) this.#cache.delete(profileArn);
        }
      });
      pending = read;
    }
    return pending;
  }

  async #read(profileArn: string, readerAccountId: string | undefined): Promise<SigningProfileLookup> {
    const parts = parseSigningProfileArn(profileArn);
    if (!parts)
      return {
        profile: null,
        error: { errorName: 'InvalidArn', message: `'${profileArn}' is not a signing profile ARN` },
      };
    try {
      const out = await this.#clientFor(parts.region, readerAccountId).send(
        new GetSigningProfileCommand({ profileName: parts.profileName, profileOwner: parts.accountId }),
      );
      if (!out.status || !STATUSES.includes(out.status)) {
        return {
          profile: null,
          error: { errorName: 'UnknownStatus', message: `status '${out.status}' is not known` },
        };
      }
      const status = out.status as SigningProfileStatus;
      return { profile: { profileArn, status, ...(out.platformId ? { platformId: out.platformId } : {}) } };
    } catch (error) {
      // Status is advisory: an unreadable profile is reported as a warning, not a failed registry.
      return { profile: null, error: summarizeAwsError(error) };
    }
  }
}
