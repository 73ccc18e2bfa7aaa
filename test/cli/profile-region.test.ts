/** `--profile` takes the profile's region from the shared config file, as the AWS CLI does. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../functions/core/types.js';
import { temporaryDirectory, useExampleWorld } from '../integration/run/helpers.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);

/** A config file whose profile `europe` says eu-west-1, and its credentials. */
async function sharedFiles(): Promise<{ directory: string; env: Record<string, string> }> {
  const directory = await temporaryDirectory('cli-profile-');
  await writeFile(
    join(directory, 'config'),
    '[default]\nregion = us-east-1\n\n[profile europe]\nregion = eu-west-1\n',
  );
  await writeFile(
    join(directory, 'credentials'),
    '[europe]\naws_access_key_id = AKIDEUROPE\naws_secret_access_key = local\n',
  );
  return {
    directory,
    env: {
      AWS_CONFIG_FILE: join(directory, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(directory, 'credentials'),
    },
  };
}

async function snapshotRegions(args: string[], env: Record<string, string>, directory: string) {
  const out = join(directory, 'snapshot.json');
  const result = await runCliAsync(
    ['snapshot', '--endpoint-url', localAws.current.url, '--out', out, ...args],
    {
      env,
    },
  );
  expect(result.code, result.stderr).toBe(0);
  const snapshot = JSON.parse(await readFile(out, 'utf8')) as Snapshot;
  return snapshot.registries.map((r) => r.region);
}

describe('--profile', () => {
  it("reads the profile's region from the config file when no region is given", async () => {
    const { directory, env } = await sharedFiles();
    expect(await snapshotRegions(['--profile', 'europe'], env, directory)).toEqual(['eu-west-1']);
  });

  it('takes the profile from AWS_PROFILE the same way', async () => {
    const { directory, env } = await sharedFiles();
    expect(await snapshotRegions([], { ...env, AWS_PROFILE: 'europe' }, directory)).toEqual(['eu-west-1']);
  });

  it("yields to AWS_REGION and --region, which come before the profile's region", async () => {
    const { directory, env } = await sharedFiles();
    expect(
      await snapshotRegions(['--profile', 'europe'], { ...env, AWS_REGION: 'us-east-1' }, directory),
    ).toEqual(['us-east-1']);
    expect(await snapshotRegions(['--profile', 'europe', '--region', 'us-east-1'], env, directory)).toEqual([
      'us-east-1',
    ]);
  });
});
