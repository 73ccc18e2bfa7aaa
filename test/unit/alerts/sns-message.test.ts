import { describe, expect, it } from 'vitest';
import { ALERT_EVENT_TYPES, type AlertEvent } from '../../../functions/core/alerts/alert-event.js';
import { type ComposedAlert, composeAlertMessage } from '../../../functions/core/alerts/index.js';
import type { AlertMessageBody } from '../../../functions/core/alerts/machine-body.js';
import { MAX_PUBLISH_BYTES, publishSizeBytes } from '../../../functions/core/alerts/sns-publish-limits.js';
import { severityRank } from '../../../functions/core/severity.js';
import { eventOf, manyDetected, target } from './alert-fixtures.js';

const runId = 'run-2026-03-02T08:00:00Z';

interface Bodies {
  default: string;
  email: string;
  sqs: string;
  lambda: string;
  https: string;
}

function bodiesOf(alert: ComposedAlert): Bodies {
  return JSON.parse(alert.message) as Bodies;
}

function machineBodyOf(alert: ComposedAlert): AlertMessageBody {
  return JSON.parse(bodiesOf(alert).sqs) as AlertMessageBody;
}

describe('composeAlertMessage', () => {
  const events: AlertEvent[] = [
    eventOf('finding.opened'),
    eventOf('finding.resolved'),
    eventOf('config.changed'),
  ];

  it('publishes a json message with plain-text default and email bodies and one machine body for sqs, lambda and https', () => {
    const alert = composeAlertMessage({ runId, target, events, accountName: 'payments-prod' });
    expect(alert.messageStructure).toBe('json');
    const bodies = bodiesOf(alert);
    expect(Object.keys(bodies).sort()).toEqual(['default', 'email', 'https', 'lambda', 'sqs']);
    expect(bodies.lambda).toBe(bodies.sqs);
    expect(bodies.https).toBe(bodies.sqs);
    expect(JSON.parse(bodies.sqs)).toEqual({
      schemaVersion: 1,
      alertId: alert.alertId,
      runId,
      accountId: '111122223333',
      region: 'us-east-1',
      accountName: 'payments-prod',
      severity: 'high',
      eventTypes: ['config.changed', 'finding.opened', 'finding.resolved'],
      policyIds: ['repository-covered'],
      events: [eventOf('config.changed'), eventOf('finding.opened'), eventOf('finding.resolved')],
    });
  });

  it('sets the attributes subscription filter policies match on', () => {
    const alert = composeAlertMessage({ runId, target, events });
    expect(alert.messageAttributes).toEqual({
      alertId: { dataType: 'String', value: expect.stringMatching(/^alert-[0-9a-f]{32}$/) },
      eventType: {
        dataType: 'String.Array',
        value: ['config.changed', 'finding.opened', 'finding.resolved'],
      },
      severity: { dataType: 'String', value: 'high' },
      accountId: { dataType: 'String', value: '111122223333' },
      region: { dataType: 'String', value: 'us-east-1' },
      policyIds: { dataType: 'String.Array', value: ['repository-covered'] },
    });
  });

  it('gives the same transitions of a target the same alertId in any run and order, and others another', () => {
    const id = (runIdOf: string, list: readonly AlertEvent[], at = target) =>
      composeAlertMessage({ runId: runIdOf, target: at, events: list }).alertId;
    const findingEvents = events.filter((e) => e.type.startsWith('finding.'));
    const reversed = [...findingEvents].reverse();
    expect(id('run-a', findingEvents)).toBe(id('run-b', reversed));
    expect(machineBodyOf(composeAlertMessage({ runId, target, events })).alertId).toBe(id(runId, events));
    expect(id('run-a', findingEvents)).not.toBe(id('run-a', findingEvents.slice(1)));
    expect(id('run-a', findingEvents)).not.toBe(
      id('run-a', findingEvents, { ...target, region: 'eu-west-1' }),
    );
    // Events whose bookkeeping is committed with the record are told once by the run that planned them.
    expect(id('run-a', [eventOf('scan.failed')])).not.toBe(id('run-b', [eventOf('scan.failed')]));
  });

  it('leaves policyIds out when no event is about a policy, since SNS refuses empty values', () => {
    const alert = composeAlertMessage({ runId, target, events: [eventOf('scan.failed')] });
    expect(Object.keys(alert.messageAttributes)).toEqual([
      'alertId',
      'eventType',
      'severity',
      'accountId',
      'region',
    ]);
    expect(machineBodyOf(alert).policyIds).toEqual([]);
  });

  it('collects policy ids from signing.not-configured as well as from finding events', () => {
    const notConfigured = { ...eventOf('signing.not-configured') } as Extract<
      AlertEvent,
      { type: 'signing.not-configured' }
    >;
    notConfigured.policies = [
      {
        policyId: 'signing-configured',
        policyTitle: 'Registry signing is configured',
        severity: 'critical',
        findingCount: 1,
      },
    ];
    const alert = composeAlertMessage({
      runId,
      target,
      events: [notConfigured, eventOf('finding.resolved')],
    });
    expect(alert.messageAttributes['policyIds']).toEqual({
      dataType: 'String.Array',
      value: ['repository-covered', 'signing-configured'],
    });
  });

  it('writes an email that says what happened, where, which repositories and what to do', () => {
    const alert = composeAlertMessage({
      runId,
      target,
      accountName: 'payments-prod',
      events: [...events, eventOf('scan.failed')],
    });
    const email = bodiesOf(alert).email;
    expect(email.split('\n').slice(0, 6)).toEqual([
      alert.subject,
      '',
      'Account: 111122223333 (payments-prod)',
      'Region: us-east-1',
      `Run: ${runId}`,
      'Repositories: team/api',
    ]);
    expect(email).toContain(
      "New findings (1)\n- [HIGH] team/api: Every repository is covered by a signing rule (repository-covered)\n  Repository 'team/api' is not covered by any signing rule",
    );
    expect(email).toContain('Resolved (1)\n');
    expect(email).toContain(
      'Signing configuration changed (1)\n- The signing configuration changed: rule 2 removed\n',
    );
    expect(email).toContain('Scan failed (1)\n- GetSigningConfiguration failed: AccessDeniedException');
    const advice = email.slice(email.indexOf('What to do'));
    expect(advice).toContain(
      'Bring the registry signing configuration in account 111122223333, region us-east-1',
    );
    expect(advice).toContain('CloudTrail');
    expect(advice).toContain('assume its role');
  });

  it('writes a default text with a line per event under its group', () => {
    const text = bodiesOf(composeAlertMessage({ runId, target, events })).default;
    expect(text).toBe(
      [
        '[HIGH] ECR signing in 111122223333/us-east-1: 1 new finding, 1 resolved, config changed',
        `Run: ${runId}`,
        '',
        'Signing configuration changed (1)',
        '- The signing configuration changed: rule 2 removed',
        '',
        'New findings (1)',
        '- [HIGH] team/api: Every repository is covered by a signing rule (repository-covered)',
        '',
        'Resolved (1)',
        '- [HIGH] team/api: Every repository is covered by a signing rule (repository-covered)',
      ].join('\n'),
    );
  });

  it('tells a reader of a message that is only good news that there is nothing to do', () => {
    const email = bodiesOf(composeAlertMessage({ runId, target, events: [eventOf('scan.recovered')] })).email;
    expect(
      email.endsWith(
        'What to do\n- Nothing: this message reports that earlier alerts are over or work done.',
      ),
    ).toBe(true);
  });

  it('refuses to compose a message without events', () => {
    expect(() => composeAlertMessage({ runId, target, events: [] })).toThrow(RangeError);
  });
});

describe('composeAlertMessage size limit', () => {
  it('keeps a huge event list under 256 KB as valid JSON, with a note that counts what it dropped', () => {
    const huge = manyDetected(20_000, 40);
    const alert = composeAlertMessage({ runId, target, events: huge });

    expect(publishSizeBytes(alert)).toBeLessThanOrEqual(MAX_PUBLISH_BYTES);
    const bodies = bodiesOf(alert);
    const body = JSON.parse(bodies.sqs) as AlertMessageBody;
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.truncated).toEqual({
      runId,
      totalEvents: 20_000,
      includedEvents: body.events.length,
      droppedEvents: 20_000 - body.events.length,
      droppedByType: { 'finding.opened': 20_000 - body.events.length },
      reason: 'the SNS message would exceed 262144 bytes; the least severe events were dropped',
    });
    expect(bodies.default).toContain(`${20_000 - body.events.length} more of 20000 events are not shown`);
    expect(bodies.email).toContain(`The records of run ${runId} hold them all.`);
    // The attributes and subject still speak for every event.
    expect(body.severity).toBe('critical');
    expect(alert.subject).toBe('[CRITICAL] ECR signing in 111122223333/us-east-1: 20000 new findings');
  });

  it('drops the least severe events first', () => {
    const huge = manyDetected(5_000, 40);
    const body = machineBodyOf(composeAlertMessage({ runId, target, events: huge }));
    const kept = new Set(body.events.map((e) => ('fingerprint' in e ? e.fingerprint : '')));
    const dropped = huge.filter((e) => 'fingerprint' in e && !kept.has(e.fingerprint));
    const leastSevereKept = Math.max(...body.events.map((e) => severityRank(e.severity)));
    const mostSevereDropped = Math.min(...dropped.map((e) => severityRank(e.severity)));
    expect(dropped.length).toBeGreaterThan(0);
    expect(mostSevereDropped).toBeGreaterThanOrEqual(leastSevereKept);
  });

  it('keeps a message that is exactly at the limit and drops more events one byte below it', () => {
    const events = ALERT_EVENT_TYPES.map(eventOf);
    const whole = composeAlertMessage({ runId, target, events });
    const trimmed = composeAlertMessage(
      { runId, target, events },
      { maxPublishBytes: publishSizeBytes(whole) - 1 },
    );
    const atItsSize = composeAlertMessage(
      { runId, target, events },
      { maxPublishBytes: publishSizeBytes(trimmed) },
    );
    const belowItsSize = composeAlertMessage(
      { runId, target, events },
      { maxPublishBytes: publishSizeBytes(trimmed) - 1 },
    );
    const kept = (alert: ComposedAlert) => machineBodyOf(alert).events.length;
    expect(kept(whole)).toBe(events.length);
    expect(kept(trimmed)).toBeLessThan(events.length);
    expect(kept(atItsSize)).toBe(kept(trimmed));
    expect(kept(belowItsSize)).toBeLessThan(kept(trimmed));
    // The least important go first: info events, the last types among them.
    expect(machineBodyOf(trimmed).truncated?.droppedByType).toEqual({
      'remediation.planned': 1,
      'signing.configured': 1,
    });
  });

  it('throws when the message does not fit even without events', () => {
    expect(() =>
      composeAlertMessage({ runId, target, events: [eventOf('finding.opened')] }, { maxPublishBytes: 300 }),
    ).toThrow('an alert for 111122223333/us-east-1 exceeds 300 bytes even without events');
  });
});

describe('publishSizeBytes', () => {
  it('counts subject, message and attribute names, types and values in UTF-8 bytes', () => {
    const size = publishSizeBytes({
      subject: 'abc',
      message: 'é€',
      messageAttributes: {
        severity: { dataType: 'String', value: 'high' },
        eventType: { dataType: 'String.Array', value: ['finding.opened'] },
      },
    });
    const expected =
      3 +
      (2 + 3) +
      ('severity'.length + 'String'.length + 4) +
      ('eventType'.length + 'String.Array'.length + '["finding.opened"]'.length);
    expect(size).toBe(expected);
  });
});
