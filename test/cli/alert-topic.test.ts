/** A run whose topic does not exist says so, naming the topic and SNS's error, and exits 3. */
import { describe, expect, it } from 'vitest';
import { temporaryDirectory, useExampleWorld } from '../integration/run/helpers.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDTOPIC', AWS_SECRET_ACCESS_KEY: 'local' };
const MISTYPED = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alert';

async function runWithTopic(format: 'text' | 'json') {
  assertCliBuilt();
  const store = await temporaryDirectory('cli-topic-');
  return runCliAsync(
    [
      'run',
      '--endpoint-url',
      localAws.current.url,
      '--accounts',
      '222222222222',
      '--regions',
      'us-east-1',
      '--store',
      `file:${store}`,
      '--topic-arn',
      MISTYPED,
      '--format',
      format,
    ],
    { env: CREDENTIALS },
  );
}

describe('run --topic-arn naming a topic that does not exist', () => {
  it('lists each failed publish under errors with the topic and the error, and exits 3', async () => {
    const result = await runWithTopic('json');
    expect(result.code, result.stderr).toBe(3);
    const { summary } = JSON.parse(result.stdout) as {
      summary: {
        alerts: { published: number; failed: number };
        errors: {
          accountId: string;
          region: string;
          operation: string;
          errorName: string;
          message: string;
        }[];
      };
    };
    expect(summary.alerts).toMatchObject({ published: 0, failed: 1 });
    expect(summary.errors).toEqual([
      {
        accountId: '222222222222',
        region: 'us-east-1',
        operation: 'Publish',
        errorName: expect.stringMatching(/^NotFound/),
        message: expect.stringContaining(`publishing to topic ${MISTYPED} failed: `),
      },
    ]);
  });

  it('prints the failure in the text summary', async () => {
    const result = await runWithTopic('text');
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      new RegExp(
        `alert publish failed \\(1 alert\\): NotFound\\w*: publishing to topic ${MISTYPED} failed: .+`,
      ),
    );
  });
});
