/**
 * A scheduled run that finds a configuration change names who made it: the newest write
 * CloudTrail recorded since the previous read, looked up through the target's own
 * credentials. The change is said in words; the principal goes into the alert, its SNS
 * attributes and the record.
 */
import { describe, expect, it } from 'vitest';
import { runDetector } from '../../../functions/run/detector.js';
import {
  attribute,
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  HOUR_MS,
  key,
  machineBody,
  messagesByTarget,
  putConfiguration,
  runConfig,
  temporaryFileStore,
  testClock,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

/** putConfiguration writes as this session (see helpers.ts). */
const SESSION_ARN = 'arn:aws:sts::222222222222:assumed-role/platform-admin/someone-else';

async function changedRun(options: { cloudTrailDenied?: boolean } = {}) {
  const aws = localAws.current;
  const store = await temporaryFileStore();
  const clock = testClock();
  await runDetector(await runConfig(aws, { runId: 'run-1', store, clock }));
  await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
  if (options.cloudTrailDenied) {
    aws.setFaults({ rules: [{ service: 'cloudtrail', error: 'access-denied' }] });
  }
  const published = aws.messages().length;
  clock.advance(HOUR_MS);
  await runDetector(await runConfig(aws, { runId: 'run-2', store, clock }));
  const [message] = messagesByTarget(aws.messages().slice(published)).get(key(COMPLIANT_222_US)) ?? [];
  return { message: message!, store, aws };
}

describe('attribution of a configuration change', () => {
  it('names the session that wrote it on config.changed and finding.opened, in words, attributes and the record', async () => {
    const { message, store } = await changedRun();

    const body = machineBody(message);
    const changedBy = {
      principalArn: SESSION_ARN,
      principalType: 'AssumedRole',
      roleArn: 'arn:aws:iam::222222222222:role/platform-admin',
      sessionName: 'someone-else',
      eventName: 'PutSigningConfiguration',
      eventId: expect.any(String),
      eventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      sourceIPAddress: '127.0.0.1',
      byThisTool: false,
    };
    const attributed = body.events.filter((e) => e.type === 'config.changed' || e.type === 'finding.opened');
    expect(attributed.length).toBeGreaterThan(1);
    for (const event of attributed) expect(event).toMatchObject({ changedBy });
    expect(attribute(message, 'changedByType')).toBe('AssumedRole');

    const email = (JSON.parse(message.message) as { email: string }).email;
    expect(email).toMatch(
      new RegExp(
        `Changed by ${SESSION_ARN.replaceAll('/', '\\/')} at \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z from 127\\.0\\.0\\.1`,
      ),
    );
    expect(email).toMatch(
      /The signing configuration changed: rule for profile .*ecr_release_signing lost filter '\*prod\*'/,
    );
    expect(email).not.toMatch(/Hash [0-9a-f]{12} is now/);

    const record = await store.getTarget(COMPLIANT_222_US);
    expect(record?.state.configuration?.changedBy).toMatchObject({ principalArn: SESSION_ARN });
  });

  it('says nobody is named, and why, when CloudTrail cannot be asked; the run goes on', async () => {
    const { message } = await changedRun({ cloudTrailDenied: true });

    const body = machineBody(message);
    const configChanged = body.events.find((e) => e.type === 'config.changed');
    expect(configChanged).toMatchObject({
      changedBy: null,
      changedByReason: expect.stringMatching(/^CloudTrail LookupEvents failed: AccessDeniedException: /),
    });
    expect(attribute(message, 'changedByType')).toBe('Unknown');
    expect(body.eventTypes).toContain('finding.opened');
  });

  it('looks nothing up when nothing changed', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const clock = testClock();
    await runDetector(await runConfig(aws, { runId: 'run-1', store, clock }));
    clock.advance(HOUR_MS);
    await runDetector(await runConfig(aws, { runId: 'run-2', store, clock }));
    expect(aws.calls().filter((c) => c.service === 'cloudtrail')).toEqual([]);
  });
});
