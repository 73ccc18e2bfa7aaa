/**
 * The region the SDK's own chain gives when no region is named: the environment, then the
 * profile's `region` in the shared config file (AWS_CONFIG_FILE, default ~/.aws/config), so
 * `--profile` means what it means to the AWS CLI. Nothing is sent over the network.
 */
import { STSClient } from '@aws-sdk/client-sts';

/** The chain's region for `profile` (or the default profile), or undefined when it names none. */
export async function regionOfProfile(profile: string | undefined): Promise<string | undefined> {
  const client = new STSClient(profile ? { profile } : {});
  try {
    return await client.config.region();
  } catch {
    // "Region is missing": the chain has none, and the caller's default applies.
    return undefined;
  } finally {
    client.destroy();
  }
}
