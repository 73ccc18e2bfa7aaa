/** `run --event`: one EventBridge CloudTrail event, run as the Lambda runs it, through the CLI process. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  createTopic,
  key,
  machineBody,
  messagesByTarget,
  putConfiguration,
  temporaryDirectory,
  useCallerCredentials,
  useExampleWorld,
} from '../integration/run/helpers.js';
import { signingChange } from '../support/signing-change-event.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
useCallerCredentials();
beforeAll(assertCliBuilt);

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'local' };
const ecrTargets = () => [
  ...new Set(
    localAws.current
      .calls()
      .filter((c) => c.service === 'ecr')
      .map((c) => `${c.accountId}/${c.region}`),
  ),
];

async function runEvent(event: unknown, extra: string[] = [], viaStdin = false) {
  const directory = await temporaryDirectory('cli-run-event-');
  const file = join(directory, 'event.json');
  await writeFile(file, typeof event === 'string' ? event : JSON.stringify(event));
  const args = [
    'run',
    '--endpoint-url',
    localAws.current.url,
    '--store',
    `file:${directory}/records`,
    '--format',
    'json',
  ];
  const result = await runCliAsync([...args, '--event', viaStdin ? '-' : file, ...extra], {
    env: CREDENTIALS,
    ...(viaStdin ? { input: typeof event === 'string' ? event : JSON.stringify(event) } : {}),
  });
  return { ...result, file };
}

describe('ecr-sign-drift run --event', () => {
  it('runs exactly the target of the event, read from a file or stdin, as a signing-change run', async () => {
    for (const viaStdin of [false, true]) {
      localAws.current.reset();
      const { code, stdout, stderr } = await runEvent(signingChange(), [], viaStdin);
      expect(code, stderr).toBe(0);
      const output = JSON.parse(stdout) as {
        summary: { trigger: string };
        targets: { accountId: string; region: string }[];
      };
      expect(output.summary.trigger).toBe('signing-change');
      expect(output.targets.map((t) => `${t.accountId}/${t.region}`)).toEqual(['222222222222/us-east-1']);
      expect(ecrTargets()).toEqual(['222222222222/us-east-1']);
    }
  });

  it('ignores a call that failed: exit 0, no AWS call', async () => {
    localAws.current.reset();
    const { code, stdout } = await runEvent(signingChange({ detail: { errorCode: 'AccessDenied' } }));
    expect(code).toBe(0);
    expect(stdout).toBe(
      'ignored: PutSigningConfiguration on 222222222222/us-east-1 failed (AccessDenied): nothing changed\n',
    );
    expect(localAws.current.calls()).toEqual([]);
  });

  it.each([
    ['bad JSON', '{"detail-type":', /--event .*event\.json: not valid JSON/],
    [
      'a foreign event',
      { 'detail-type': 'Scheduled Event', source: 'aws.events' },
      /not an EventBridge CloudTrail event/,
    ],
    [
      'an event from another service',
      { ...signingChange(), source: 'aws.s3' },
      /--event .*event\.json: refused event: \/source: must be equal to constant/,
    ],
    [
      'an account that differs from the call',
      signingChange({ account: '222222222222', detail: { recipientAccountId: '111111111111' } }),
      /differ from the call's 111111111111\/us-east-1/,
    ],
  ])('refuses %s in one line, exit 2, with no AWS call', async (_, event, message) => {
    localAws.current.reset();
    const { code, stdout, stderr } = await runEvent(event);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(localAws.current.calls()).toEqual([]);
  });

  it('refuses target options beside --event, and an event for an excluded account', async () => {
    const withRegions = await runEvent(signingChange(), ['--regions', 'eu-west-1']);
    expect(withRegions.code).toBe(2);
    expect(withRegions.stderr).toContain(
      "--event runs exactly the event's target (222222222222/us-east-1): leave out --regions",
    );
    const excluded = await runEvent(signingChange(), ['--exclude-accounts', '222222222222']);
    expect(excluded.code).toBe(2);
    expect(excluded.stderr).toContain('account 222222222222 is in --exclude-accounts: the event is refused');
  });

  it('alerts a write the local endpoint recorded, from its EventBridge form (GET /_local/events), naming the session', async () => {
    const aws = localAws.current;
    const directory = await temporaryDirectory('cli-run-event-e2e-');
    const topicArn = await createTopic(aws, 'cli-event-alerts');
    const common = ['--endpoint-url', aws.url, '--store', `file:${directory}`, '--topic-arn', topicArn];
    const first = await runCliAsync(
      ['run', ...common, '--accounts', '222222222222', '--regions', 'us-east-1'],
      {
        env: CREDENTIALS,
      },
    );
    expect(first.code, first.stderr).toBe(0);

    await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
    const { events } = (await (await fetch(`${aws.url}/_local/events`)).json()) as { events: unknown[] };
    const event = events.at(-1) as {
      source: string;
      detail: { eventName: string; userIdentity: { arn: string } };
    };
    expect(event).toMatchObject({ source: 'aws.ecr', account: '222222222222', region: 'us-east-1' });
    expect(event.detail.eventName).toBe('PutSigningConfiguration');

    const published = aws.messages().length;
    const second = await runCliAsync(['run', ...common, '--event', '-'], {
      env: CREDENTIALS,
      input: JSON.stringify(event),
    });
    expect(second.code, second.stderr).toBe(0);
    const [message] = messagesByTarget(aws.messages().slice(published)).get(key(COMPLIANT_222_US)) ?? [];
    const body = machineBody(message!);
    expect(body.eventTypes).toContain('config.changed');
    expect(body.events.find((e) => e.type === 'config.changed')).toMatchObject({
      changedBy: { principalArn: event.detail.userIdentity.arn },
    });
  });
});
