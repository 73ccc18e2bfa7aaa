/**
 * The CLI at its edges, as a process: every bad flag is one line and exit 2 before anything
 * is read or written; a run that cannot start, cannot list the accounts, or waits on a slow
 * call says so in one line or one error and exits 3.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../integration/records/dynalite-server.js';
import { createTopic, machineBody, temporaryDirectory, useExampleWorld } from '../integration/run/helpers.js';
import { assertCliBuilt, runCli, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'local' };

describe('bad flags', () => {
  it.each([
    [['audit', '--regions', ',,,'], "--regions lists no region, got ',,,'"],
    [['audit', '--target-timeout', '2147483648'], '--target-timeout must be at most 2147483647'],
    [
      ['audit', '--request-timeout', '1e3'],
      "--request-timeout must be a whole number from 1 in decimal digits, got '1e3'",
    ],
    [
      ['audit', '--concurrency', '0x10'],
      "--concurrency must be a whole number from 1 in decimal digits, got '0x10'",
    ],
    [['audit', '--external-id', 'x'], '--external-id must be 2-1224 of letters, digits and +=,.@:/_- (STS)'],
    [
      ['audit', '--role-name', 'scan role'],
      "--role-name must be an IAM role name (1-64 of letters, digits and +=,.@_-), got 'scan role'",
    ],
    [
      ['audit', '--org', '--ou', 'ou-1'],
      "--ou must be an organizational unit id like ou-ab12-cd34ef56, got 'ou-1'",
    ],
    [['audit', '--endpoint-url', 'localhost:4599'], '--endpoint-url must be an http or https URL'],
    [
      ['audit', '--endpoint-url', 'not a url'],
      "--endpoint-url must be a URL like http://127.0.0.1:4599, got 'not a url'",
    ],
    [
      ['run', '--reminder-hours', '0'],
      "--reminder-hours must be a whole number from 1 in decimal digits, got '0'",
    ],
    [
      ['run', '--max-remediations', '1e3'],
      "--max-remediations must be a whole number (0 or more) in decimal digits, got '1e3'",
    ],
    [
      ['run', '--topic-arn', 'alerts'],
      "--topic-arn must be an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:alerts, got 'alerts'",
    ],
    [
      ['run', '--desired', 'no-such-directory'],
      'no-such-directory: no such directory (given as the desired configurations)',
    ],
  ])('%j is refused in one line with exit 2', (args, words) => {
    const result = runCli(args, { env: CREDENTIALS });
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(words);
    expect(result.stdout).toBe('');
  });
});

describe('a run that cannot go as asked', () => {
  it('says in one line that it cannot start without credentials, exit 3', async () => {
    const result = await runCliAsync(['run', '--endpoint-url', localAws.current.url], {
      env: { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^ecr-sign-drift: cannot start the run: GetCallerIdentity failed: /),
    ]);
  });

  it('fails the run and alerts when the organization cannot be listed', async () => {
    const aws = localAws.current;
    aws.setFaults({ rules: [{ service: 'organizations', error: 'throttling' }] });
    const topicArn = await createTopic(aws, 'edges');
    const directory = await temporaryDirectory('cli-edges-');

    const result = await runCliAsync(
      [
        'run',
        '--endpoint-url',
        aws.url,
        '--org',
        '--max-attempts',
        '1',
        '--store',
        `file:${directory}`,
        '--topic-arn',
        topicArn,
      ],
      { env: CREDENTIALS },
    );

    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toMatch(
      /account discovery failed: List\w+: TooManyRequestsException: Rate exceeded/,
    );
    const messages = aws.messages().filter((m) => m.topicArn === topicArn);
    expect(messages).toHaveLength(1);
    const body = machineBody(messages[0]!);
    expect(body.eventTypes).toEqual(['discovery.failed']);
    expect(body.severity).toBe('high');
    expect(messages[0]!.subject).toContain('account discovery failed');
    expect(await readdir(directory)).toContain('runs');
  });

  it('gives up on a call slower than --request-timeout instead of waiting for it', async () => {
    const aws = localAws.current;
    aws.setFaults({ rules: [{ service: 'ecr', operation: 'GetSigningConfiguration', latencyMs: 4000 }] });
    const started = Date.now();

    const result = await runCliAsync(
      [
        'audit',
        '--endpoint-url',
        aws.url,
        '--request-timeout',
        '300',
        '--max-attempts',
        '1',
        '--format',
        'json',
      ],
      { env: CREDENTIALS },
    );

    expect(Date.now() - started).toBeLessThan(3500);
    expect(result.code, result.stderr).toBe(3);
    const output = JSON.parse(result.stdout) as { errors: { operation: string; errorName: string }[] };
    expect(output.errors).toEqual([
      expect.objectContaining({ operation: 'GetSigningConfiguration', errorName: 'TimeoutError' }),
    ]);
  });
});

describe('where the output or the records cannot go', () => {
  let dynamoDb: LocalDynamoDb;
  beforeAll(async () => {
    dynamoDb = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamoDb?.close();
  });

  it('refuses audit --out to a directory or under a file before reading anything', async () => {
    const directory = await temporaryDirectory('cli-out-');
    const file = join(directory, 'snapshot.json');
    await writeFile(file, JSON.stringify({ snapshotVersion: 1, registries: [] }));

    const toDirectory = runCli(['audit', '--snapshot', file, '--out', directory]);
    const underFile = runCli(['audit', '--snapshot', file, '--out', join(file, 'report.json')]);

    expect([toDirectory.code, underFile.code]).toEqual([2, 2]);
    expect(toDirectory.stderr).toBe(`ecr-sign-drift: audit: --out ${directory} is a directory\n`);
    expect(underFile.stderr).toBe(
      `ecr-sign-drift: audit: --out ${join(file, 'report.json')} cannot be created: ${file} is not a directory\n`,
    );
  });

  it.each([
    ['under a file', (file: string) => join(file, 'store'), (file: string) => `${file} is not a directory`],
    ['under /proc', () => '/proc/1/no-such-store', () => 'cannot write to /proc/1/no-such-store'],
  ])('refuses a file store %s at once, with one line and exit 2', async (_name, storeOf, words) => {
    const directory = await temporaryDirectory('cli-store-');
    const file = join(directory, 'plain-file');
    await writeFile(file, '');
    const started = Date.now();

    const result = await runCliAsync(
      ['run', '--endpoint-url', localAws.current.url, '--store', `file:${storeOf(file)}`],
      {
        env: CREDENTIALS,
      },
    );

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(words(file))]);
    expect(localAws.current.calls()).toEqual([]);
  });

  it('says in one line that a DynamoDB table is missing, exit 3', async () => {
    const result = await runCliAsync(['run', '--store', 'dynamodb:no-such-table'], {
      env: {
        ...CREDENTIALS,
        AWS_ENDPOINT_URL: localAws.current.url,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      },
    });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^ecr-sign-drift: the records could not be used: .*ResourceNotFoundException/),
    ]);
  });
});
