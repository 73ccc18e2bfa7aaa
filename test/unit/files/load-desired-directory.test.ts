import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveDesired } from '../../../functions/core/drift/index.js';
import { DesiredConfigurationError } from '../../../functions/core/errors.js';
import {
  DEFAULT_DESIRED_DIRECTORY,
  loadDesiredDirectory,
} from '../../../functions/files/load-desired-directory.js';

const arn = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing';
const valid = { rules: [{ signingProfileArn: arn }] };

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'desired-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<void> {
  await writeFile(join(directory, name), typeof content === 'string' ? content : JSON.stringify(content));
}

async function loadError(): Promise<DesiredConfigurationError> {
  const error = await loadDesiredDirectory(directory).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DesiredConfigurationError);
  return error as DesiredConfigurationError;
}

describe('loadDesiredDirectory', () => {
  it('loads every desired-configuration file by name', async () => {
    await write('default.json', valid);
    await write('111122223333.json', { rules: [] });
    await write('111122223333.eu-west-1.json', {
      rules: [{ signingProfileArn: arn.replace('us-east-1', 'eu-west-1') }],
    });
    expect(Object.keys(await loadDesiredDirectory(directory)).sort()).toEqual([
      '111122223333.eu-west-1.json',
      '111122223333.json',
      'default.json',
    ]);
  });

  it('gives an empty set for a missing directory', async () => {
    expect(await loadDesiredDirectory(join(directory, 'absent'))).toEqual({});
  });

  it('refuses any other file name, naming it', async () => {
    await write('default.json', valid);
    await write('prod.json', valid);
    expect((await loadError()).message).toBe(
      `${join(directory, 'prod.json')}: not a desired-configuration file; name files default.json, <accountId>.json or <accountId>.<region>.json`,
    );
  });

  it('refuses a subdirectory', async () => {
    await mkdir(join(directory, '111122223333.json'));
    expect((await loadError()).message).toMatch(/111122223333\.json: not a desired-configuration file/);
  });

  it('names the file that is not JSON', async () => {
    await write('default.json', '{ "rules": [ }');
    expect((await loadError()).message).toMatch(
      new RegExp(`^${join(directory, 'default.json')}: not valid JSON: `),
    );
  });

  it('names the file and the field that breaks a model constraint, as one line', async () => {
    await write('default.json', valid);
    await write('111122223333.json', {
      rules: [
        {
          signingProfileArn: arn,
          repositoryFilters: [{ filter: 'Payments/*', filterType: 'WILDCARD_MATCH' }],
        },
      ],
    });
    const { message } = await loadError();
    expect(message).toBe(
      `${join(directory, '111122223333.json')}: signingConfiguration.rules.1.repositoryFilters.1.filter 'Payments/*' is not a valid repository filter`,
    );
    expect(message).not.toContain('\n');
  });

  it('counts the further violations of a file', async () => {
    await write('default.json', { rules: [{ signingProfileArn: 'x' }, { signingProfileArn: 'y' }] });
    expect((await loadError()).message).toMatch(
      /rules\.1\.signingProfileArn 'x' is not a valid .* \(and 1 more\)$/,
    );
  });

  it('quotes a bad profile ARN as written, ${region} included', async () => {
    await write('111122223333.eu-west-1.json', {
      rules: [{ signingProfileArn: 'arn:aws:signer:${region}:999988887777:/signing-profiles/x' }],
    });
    expect((await loadError()).message).toMatch(
      /signingConfiguration\.rules\.1\.signingProfileArn 'arn:aws:signer:\$\{region\}:999988887777:\/signing-profiles\/x' is not/,
    );
  });
});

describe('the shipped desired configuration', () => {
  it('signs production repositories with the release profile of the registry region', async () => {
    const set = await loadDesiredDirectory(DEFAULT_DESIRED_DIRECTORY);
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(resolveDesired(set, '111122223333', region)).toEqual({
        source: 'default.json',
        severity: 'medium',
        configuration: {
          rules: [
            {
              signingProfileArn: `arn:aws:signer:${region}:999988887777:/signing-profiles/ecr_release_signing`,
              repositoryFilters: [
                { filter: '*prod*', filterType: 'WILDCARD_MATCH' },
                { filter: 'platform/*', filterType: 'WILDCARD_MATCH' },
              ],
            },
          ],
        },
      });
    }
  });
});
