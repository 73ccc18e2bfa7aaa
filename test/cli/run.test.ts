import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALERTED_TARGETS,
  ALL_TARGETS,
  countsByTarget,
  createTopic,
  key,
  temporaryDirectory,
  useExampleWorld,
} from '../integration/run/helpers.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'local' };

interface RunOutput {
  summary: {
    runId: string;
    trigger: string;
    targets: Record<string, number>;
    findings: Record<string, number>;
    findingChanges: Record<string, number>;
    drift: Record<string, number>;
    remediation: Record<string, number>;
    alerts: Record<string, number>;
    errors: { accountId: string; region: string; operation: string; errorName: string }[];
  };
  targets: { accountId: string; region: string; status: string; events: string[] }[];
}

describe('ecr-sign-drift run', () => {
  it('runs the job over the organization, exits 3 for the denied account, and is silent the second time', async () => {
    const aws = localAws.current;
    const directory = await temporaryDirectory('cli-run-');
    const topicArn = await createTopic(aws, 'cli-alerts');
    const args = [
      'run',
      '--endpoint-url',
      aws.url,
      '--org',
      '--regions',
      'us-east-1,eu-west-1',
      '--store',
      `file:${directory}`,
      '--topic-arn',
      topicArn,
      '--format',
      'json',
    ];

    const first = await runCliAsync(args, { env: CREDENTIALS });

    expect(first.code, first.stderr).toBe(3);
    const output = JSON.parse(first.stdout) as RunOutput;
    expect(output.summary).toEqual({
      runId: expect.stringMatching(/^run-\d{8}T\d{4}Z-[0-9a-f]{6}$/),
      trigger: 'cli',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      targets: { scanned: 8, failed: 2, skipped: 0, heldByAnotherRun: 0, heldLongerThanLeaseTime: 0 },
      discoveryFailed: false,
      // Image findings included: a signing failed by the revoked profile, one stuck IN_PROGRESS.
      findings: { critical: 4, high: 8, medium: 7, low: 7, info: 4 },
      findingChanges: { opened: 6, resolved: 0 },
      drift: { drifted: 6 },
      coverage: { repositories: 16, coveredRepositories: 9 },
      remediation: { planned: 0, applied: 0, failed: 0, skipped: 0 },
      alerts: { enqueued: 10, published: 10, failed: 0, pending: 0 },
      imagesSampled: 6,
      imagesSkippedByBudget: 0,
      errors: [
        expect.objectContaining({
          accountId: '555555555555',
          region: 'eu-west-1',
          errorName: 'AccessDenied',
        }),
        expect.objectContaining({
          accountId: '555555555555',
          region: 'us-east-1',
          errorName: 'AccessDenied',
        }),
      ],
      warnings: [],
    });
    expect(output.targets.map(key).sort()).toEqual(ALL_TARGETS);
    expect(
      output.targets
        .filter((t) => t.events.length > 0)
        .map(key)
        .sort(),
    ).toEqual(ALERTED_TARGETS);
    expect(countsByTarget(aws.messages())).toEqual(Object.fromEntries(ALERTED_TARGETS.map((t) => [t, 1])));
    expect((await readdir(join(directory, 'targets'))).length).toBe(ALL_TARGETS.length);

    const second = await runCliAsync(args, { env: CREDENTIALS });

    expect(second.code).toBe(3);
    const again = JSON.parse(second.stdout) as RunOutput;
    expect(again.summary.runId).not.toBe(output.summary.runId);
    expect(again.summary.alerts).toEqual({ enqueued: 0, published: 0, failed: 0, pending: 0 });
    expect(again.targets.every((t) => t.events.length === 0)).toBe(true);
    expect(aws.messages()).toHaveLength(ALERTED_TARGETS.length);
  });

  it('refuses apply without the accounts where it may write, exiting 2 before any AWS call', async () => {
    const aws = localAws.current;
    const directory = await temporaryDirectory('cli-run-');

    const { code, stdout, stderr } = await runCliAsync(
      ['run', '--endpoint-url', aws.url, '--org', '--store', `file:${directory}`, '--remediation', 'apply'],
      { env: CREDENTIALS },
    );

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--remediation apply needs --remediation-accounts');
    expect(aws.calls()).toEqual([]);
    expect(await readdir(directory)).toEqual([]);
  });
});
