/**
 * Signer (restJson1): GET /signing-profiles/{profileName}?profileOwner=ACCOUNT answers
 * the profile of that owner (default: the caller) in the request's region.
 */
import { createHash } from 'node:crypto';
import { AwsServiceError } from '../errors.js';
import type { JsonObject } from '../protocols/aws-json.js';
import type { RestJsonRequest, RestJsonService, ServiceContext } from './service.js';

const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;
/** The platform ECR managed signing uses, when the world does not name one. */
const DEFAULT_PLATFORM_ID = 'Notation-OCI-SHA384-ECDSA';
/** Profiles in a world carry no dates; revocations happened at this instant. */
const REVOKED_AT = Date.parse('2025-03-01T12:00:00Z') / 1000;

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationException', message);
}

/** A stable 10-character version, as Signer shows for a profile that was never re-versioned. */
function profileVersion(arn: string): string {
  return createHash('sha256').update(arn).digest('hex').slice(0, 10);
}

function getSigningProfile(request: RestJsonRequest, ctx: ServiceContext): JsonObject {
  const profileName = request.pathParams['profileName'] ?? '';
  const owner = request.query.get('profileOwner') ?? ctx.caller.accountId;
  if (!PROFILE_NAME.test(profileName)) {
    throw validationError(
      `1 validation error detected: Value '${profileName}' at 'profileName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_]{2,}`,
    );
  }
  if (!ACCOUNT_ID.test(owner)) {
    throw validationError(
      `1 validation error detected: Value '${owner}' at 'profileOwner' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9]{12}$`,
    );
  }
  const arn = `arn:aws:signer:${ctx.region}:${owner}:/signing-profiles/${profileName}`;
  const profile = ctx.world.signingProfiles.get(arn);
  if (!profile) {
    throw new AwsServiceError('ResourceNotFoundException', `Signing profile ${profileName} does not exist.`, {
      statusCode: 404,
      fields: { code: 'NotFound' },
    });
  }
  const version = profileVersion(arn);
  return {
    profileName,
    profileVersion: version,
    profileVersionArn: `${arn}/${version}`,
    platformId: profile.platformId ?? DEFAULT_PLATFORM_ID,
    platformDisplayName: 'Notation for Container Registries',
    signatureValidityPeriod: { value: 135, type: 'MONTHS' },
    status: profile.status,
    arn,
    tags: {},
    ...(profile.status === 'Revoked'
      ? {
          statusReason: 'Revoked by the profile owner',
          revocationRecord: {
            revocationEffectiveFrom: REVOKED_AT,
            revokedAt: REVOKED_AT,
            revokedBy: `arn:aws:iam::${owner}:root`,
          },
        }
      : {}),
  };
}

export const signerService: RestJsonService = {
  name: 'signer',
  protocol: 'rest-json',
  errors: {
    throttling: { code: 'TooManyRequestsException', statusCode: 429 },
    serverError: 'InternalServiceErrorException',
    accessDenied: { code: 'AccessDeniedException', statusCode: 403 },
  },
  routes: [
    {
      method: 'GET',
      path: /^\/signing-profiles\/(?<profileName>[^/]+)$/,
      operation: 'GetSigningProfile',
      handle: getSigningProfile,
    },
  ],
};
