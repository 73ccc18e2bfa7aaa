/**
 * The lost update a remediation cannot prevent: ECR has no conditional put, so a change
 * someone makes between the run's re-read and its write is replaced. The local endpoint
 * lands such a change just before the run's PutSigningConfiguration is answered and records
 * it in CloudTrail; the run must find it there, journal it, alert who made it, and hold the
 * target until a person releases it.
 */
import { describe, expect, it } from 'vitest';
import type { SigningConfiguration } from '../../../functions/core/types.js';
import type { LocalAws } from '../../../functions/local-aws/server.js';
import { releaseHold } from '../../../functions/remediation/release-hold.js';
import { runDetector } from '../../../functions/run/detector.js';
import {
  key,
  machineBody,
  messagesByTarget,
  NARROWED_222_EU,
  putConfiguration,
  readConfiguration,
  runConfig,
  temporaryFileStore,
  testClock,
  useCallerCredentials,
  useExampleWorld,
  worldConfiguration,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const ALICE = 'arn:aws:sts::222222222222:assumed-role/platform-admin/alice';
const PROFILE = 'arn:aws:signer:eu-west-1:222222222222:/signing-profiles/alice_hotfix';
const ALICE_CONFIGURATION: SigningConfiguration = {
  rules: [
    {
      signingProfileArn: PROFILE,
      repositoryFilters: [{ filter: 'hotfix/*', filterType: 'WILDCARD_MATCH' }],
    },
  ],
};
const remediation = { mode: 'apply' as const, accounts: [NARROWED_222_EU.accountId] };

function putsTo(aws: LocalAws, since: number) {
  return aws
    .calls()
    .slice(since)
    .filter(
      (c) =>
        c.operation === 'PutSigningConfiguration' &&
        c.accountId === NARROWED_222_EU.accountId &&
        c.region === NARROWED_222_EU.region,
    );
}

function raceOnNextPut(aws: LocalAws): void {
  aws.setFaults({
    rules: [
      {
        service: 'ecr',
        operation: 'PutSigningConfiguration',
        accountId: NARROWED_222_EU.accountId,
        region: NARROWED_222_EU.region,
        count: 1,
        concurrentChange: { principalArn: ALICE, signingConfiguration: ALICE_CONFIGURATION },
      },
    ],
  });
}

describe('a change made while a remediation writes', () => {
  it('is found in CloudTrail, journaled as overwritten, alerted with who made it, and holds the target until released', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const clock = testClock();
    raceOnNextPut(aws);

    const first = await runDetector(await runConfig(aws, { runId: 'apply-1', store, clock, remediation }));

    expect(first.results.find((r) => key(r) === key(NARROWED_222_EU))?.remediation).toBe('applied');
    const entry = await store.getJournalEntry(NARROWED_222_EU, 'apply-1');
    expect(entry).toMatchObject({
      status: 'applied',
      before: worldConfiguration(NARROWED_222_EU),
      overwroteConcurrentChange: [
        {
          principal: ALICE,
          eventName: 'PutSigningConfiguration',
          signingConfiguration: ALICE_CONFIGURATION,
        },
      ],
    });
    expect(entry?.reason).toContain(`it replaced a change made meanwhile by ${ALICE}`);
    const [message] = messagesByTarget(aws.messages()).get(key(NARROWED_222_EU)) ?? [];
    const body = machineBody(message!);
    expect(body.severity).toBe('high');
    const conflict = body.events.find((e) => e.type === 'remediation.conflict');
    expect(conflict).toMatchObject({
      status: 'conflict',
      lostChanges: [
        {
          principal: ALICE,
          eventName: 'PutSigningConfiguration',
          configuration: expect.arrayContaining([expect.stringContaining(PROFILE)]),
        },
      ],
      reason: expect.stringContaining('ecr-sign-drift release --target 222222222222/eu-west-1'),
    });
    expect(message!.subject).toContain('remediation overwrote a change');
    expect(message!.message).toContain(`Overwritten: PutSigningConfiguration by ${ALICE}`);

    // Alice's change is back before anyone looked: the next run plans, but does not write.
    aws.setFaults({ rules: [] });
    await putConfiguration(aws, NARROWED_222_EU, ALICE_CONFIGURATION);
    const callsBefore = aws.calls().length;
    clock.advance(3_600_000);
    const held = await runDetector(await runConfig(aws, { runId: 'apply-2', store, clock, remediation }));
    expect(putsTo(aws, callsBefore)).toEqual([]);
    expect(held.results.find((r) => key(r) === key(NARROWED_222_EU))?.remediation).toBe('planned');
    expect((await store.getJournalEntry(NARROWED_222_EU, 'apply-2'))?.reason).toMatch(
      /^remediation of 222222222222\/eu-west-1 is held: run apply-1 replaced a change made meanwhile by/,
    );
    expect(await readConfiguration(aws, NARROWED_222_EU)).toEqual(ALICE_CONFIGURATION);

    // A person releases it: remediation writes again, and with no race there is no conflict.
    await releaseHold({
      store,
      target: NARROWED_222_EU,
      runId: 'release-1',
      reason: 'checked with alice',
      now: clock(),
    });
    clock.advance(3_600_000);
    const released = await runDetector(await runConfig(aws, { runId: 'apply-3', store, clock, remediation }));
    expect(putsTo(aws, callsBefore)).toHaveLength(1);
    expect(released.results.find((r) => key(r) === key(NARROWED_222_EU))?.remediation).toBe('applied');
    const third = await store.getJournalEntry(NARROWED_222_EU, 'apply-3');
    expect(third?.status).toBe('applied');
    expect(third).not.toHaveProperty('overwroteConcurrentChange');
  });

  it("is not the run's own write: a remediation without a race journals no overwritten change", async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();

    await runDetector(await runConfig(aws, { runId: 'apply-1', store, remediation }));

    const entry = await store.getJournalEntry(NARROWED_222_EU, 'apply-1');
    expect(entry?.status).toBe('applied');
    expect(entry).not.toHaveProperty('overwroteConcurrentChange');
    const trail = aws.calls().filter((c) => c.service === 'cloudtrail' && c.operation === 'LookupEvents');
    expect(trail.map((c) => key(c))).toEqual([key(NARROWED_222_EU), key(NARROWED_222_EU)]);
  });

  it('says the check could not be made when CloudTrail refuses it, and keeps the applied change', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    aws.setFaults({ rules: [{ service: 'cloudtrail', operation: 'LookupEvents', error: 'access-denied' }] });

    const { results } = await runDetector(await runConfig(aws, { runId: 'apply-1', store, remediation }));

    expect(results.find((r) => key(r) === key(NARROWED_222_EU))?.remediation).toBe('applied');
    const entry = await store.getJournalEntry(NARROWED_222_EU, 'apply-1');
    expect(entry?.status).toBe('applied');
    expect(entry?.reason).toMatch(
      /whether someone else changed the registry meanwhile is unknown: CloudTrail LookupEvents failed \(AccessDeniedException: /,
    );
  });
});
