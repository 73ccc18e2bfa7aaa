import { GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer';
import { describe, expect, it } from 'vitest';
import { SignerProfiles } from '../../../functions/aws/signer-profiles.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { clientConfig, rejectionOf, useLocalAws } from './helpers.js';

const localAws = useLocalAws(exampleWorld());

function signer(region = 'us-east-1'): SignerClient {
  return new SignerClient(clientConfig(localAws.current, { region }));
}

describe('Signer GetSigningProfile', () => {
  it("returns an Active profile owned by the caller in the request's region", async () => {
    const out = await signer().send(new GetSigningProfileCommand({ profileName: 'ecr_signing' }));
    expect(out).toMatchObject({
      profileName: 'ecr_signing',
      status: 'Active',
      platformId: 'Notation-OCI-SHA384-ECDSA',
      arn: 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ecr_signing',
    });
  });

  it('returns the Revoked status and revocation record of a revoked profile', async () => {
    const out = await signer().send(new GetSigningProfileCommand({ profileName: 'ecr_signing_legacy' }));
    expect(out.status).toBe('Revoked');
    expect(out.revocationRecord?.revokedAt).toBeInstanceOf(Date);
  });

  it('returns the profile of the account named by profileOwner', async () => {
    const out = await signer('eu-west-1').send(
      new GetSigningProfileCommand({ profileName: 'ecr_signing', profileOwner: '222222222222' }),
    );
    expect(out.arn).toBe('arn:aws:signer:eu-west-1:222222222222:/signing-profiles/ecr_signing');
  });

  it('returns ResourceNotFoundException (404) for a profile that does not exist', async () => {
    const error = await rejectionOf(
      signer().send(new GetSigningProfileCommand({ profileName: 'no_such_profile' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('does not find a profile in a region other than the one in its ARN', async () => {
    const error = await rejectionOf(
      signer('eu-west-1').send(new GetSigningProfileCommand({ profileName: 'ecr_signing_legacy' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it("answers the scanner's SignerProfiles adapter with each profile's status", async () => {
    const profiles = new SignerProfiles({ clientFor: (region) => signer(region) });
    const revoked = await profiles.describe(
      'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ecr_signing_legacy',
    );
    const missing = await profiles.describe('arn:aws:signer:us-east-1:111111111111:/signing-profiles/gone');
    expect(revoked.profile?.status).toBe('Revoked');
    expect(missing).toMatchObject({ profile: null, error: { errorName: 'ResourceNotFoundException' } });
  });
});

describe('Signer request validation', () => {
  it('answers a profile name with a malformed escape with ValidationException', async () => {
    const response = await fetch(`${localAws.current.url}/signing-profiles/bad%E0name`, {
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/signer/aws4_request, Signature=x',
      },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });
});
