/** Parts of a Signer signing-profile ARN: arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>. */
export interface SigningProfileArnParts {
  partition: string;
  region: string;
  accountId: string;
  profileName: string;
}

const SIGNING_PROFILE_ARN =
  /^arn:(aws(?:-[a-z]+)*):signer:([a-z0-9-]+):([0-9]{12}):\/signing-profiles\/([a-zA-Z0-9_]{2,})$/;

/** Returns the ARN's parts, or null when it is not a signing-profile ARN. */
export function parseSigningProfileArn(arn: string): SigningProfileArnParts | null {
  const m = SIGNING_PROFILE_ARN.exec(arn);
  if (!m) return null;
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, profileName: m[4]! };
}
