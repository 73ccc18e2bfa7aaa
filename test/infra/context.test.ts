import { describe, expect, it } from 'vitest';
import { ContextError, parseContextArguments } from '../../infra/lib/context.js';
import { contextFrom, MINIMAL_CONTEXT, type RawContext } from './fixtures.js';

function errorFor(raw: RawContext): ContextError {
  try {
    contextFrom(raw);
  } catch (error) {
    if (error instanceof ContextError) return error;
    throw error;
  }
  throw new Error('the context was accepted');
}

describe('detector context', () => {
  it('fills every default from the minimal context', () => {
    expect(contextFrom(MINIMAL_CONTEXT)).toEqual({
      schedule: 'rate(1 hour)',
      regions: ['us-east-1', 'eu-west-1'],
      accounts: ['111122223333', '444455556666'],
      orgDiscovery: false,
      excludeAccounts: [],
      memberRoleName: 'EcrSignDriftReadRole',
      externalId: 'ecr-sign-drift-test',
      remediationMode: 'off',
      remediationAccounts: [],
      maxRemediations: 5,
      reminderHours: 24,
      concurrency: 16,
      runHistoryDays: 90,
      imageSamples: 3,
      imageMaxAgeDays: 30,
      imageStatusCallsPerTarget: 200,
      imageStatusCallsPerRun: 20_000,
      scaleOut: false,
      workerConcurrency: 10,
      realtime: true,
      securityHub: false,
    });
  });

  it('reads JSON values from cdk.json and strings from the command line alike', () => {
    const fromJson = contextFrom({
      ...MINIMAL_CONTEXT,
      regions: ['us-east-1'],
      scaleOut: true,
      maxRemediations: 7,
    });
    const fromCommandLine = contextFrom({
      ...MINIMAL_CONTEXT,
      regions: ' us-east-1 ',
      scaleOut: 'true',
      maxRemediations: '7',
    });
    expect(fromCommandLine).toEqual(fromJson);
    expect(fromJson).toMatchObject({ regions: ['us-east-1'], scaleOut: true, maxRemediations: 7 });
  });

  it('reads organization discovery with an organizational unit and organization id', () => {
    const context = contextFrom({
      regions: 'us-east-1',
      orgDiscovery: 'true',
      organizationalUnitId: 'ou-ab12-cdefgh34',
      organizationId: 'o-a1b2c3d4e5',
      externalId: 'x1',
    });
    expect(context).toMatchObject({
      accounts: [],
      orgDiscovery: true,
      organizationalUnitId: 'ou-ab12-cdefgh34',
      organizationId: 'o-a1b2c3d4e5',
    });
  });

  it.each([
    [{ regions: undefined }, "context 'regions' is required (expected comma-separated region names)"],
    [{ regions: 'us-east' }, "context 'regions' has the invalid item 'us-east'"],
    [{ accounts: '' }, "context 'accounts' is required unless orgDiscovery=true"],
    [{ accounts: '1234' }, "context 'accounts' has the invalid item '1234'"],
    [{ orgDiscovery: 'true' }, "context 'accounts' cannot be combined with orgDiscovery=true"],
    [{ orgDiscovery: 'yes' }, 'context \'orgDiscovery\' has the unusable value "yes"'],
    [{ organizationalUnitId: 'ou-ab12-cdefgh34' }, "context 'organizationalUnitId' needs orgDiscovery=true"],
    [{ organizationId: 'org-1' }, "context 'organizationId' has the invalid value 'org-1'"],
    [{ externalId: undefined }, "context 'externalId' is required"],
    [{ externalId: 'a' }, "context 'externalId' has the invalid value 'a'"],
    [{ memberRoleName: 'bad role' }, "context 'memberRoleName' has the invalid value 'bad role'"],
    [
      { remediationMode: 'force' },
      'context \'remediationMode\' has the unusable value "force" (expected off | plan | apply)',
    ],
    [
      { remediationMode: 'apply' },
      "context 'remediationAccounts' is required when remediationMode is 'apply'",
    ],
    [{ maxRemediations: '2.5' }, 'context \'maxRemediations\' is "2.5", not an integer between 0 and 1000'],
    [{ concurrency: 0 }, "context 'concurrency' is 0, not an integer between 1 and 256"],
    [{ workerConcurrency: 1 }, "context 'workerConcurrency' is 1, not an integer between 2 and 1000"],
    [
      { schedule: 'rate(1 hours)' },
      "context 'schedule' has the value 'rate(1 hours)', which needs a singular unit",
    ],
    [{ schedule: 'rate(5 minute)' }, 'needs a singular unit for 1 and a plural one otherwise'],
    [{ schedule: 'cron(0 * * * *)' }, 'is not a rate or six-field cron expression'],
    [{ schedule: 'every hour' }, 'is not a rate or six-field cron expression'],
    [{ alertEmail: 'ops' }, "context 'alertEmail' has the invalid value 'ops'"],
    [{ auditRoleArn: 'arn:aws:iam::111122223333:user/me' }, "context 'auditRoleArn' has the invalid value"],
  ])('rejects %j with a one-line error naming the option', (override, message) => {
    const error = errorFor({ ...MINIMAL_CONTEXT, ...override });
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  it('accepts rate and six-field cron schedules', () => {
    for (const schedule of ['rate(1 minute)', 'rate(15 minutes)', 'rate(1 day)', 'cron(0 6 * * ? *)']) {
      expect(contextFrom({ ...MINIMAL_CONTEXT, schedule }).schedule).toBe(schedule);
    }
  });

  it('treats an empty value as unset so the command line can clear a cdk.json option', () => {
    expect(contextFrom({ ...MINIMAL_CONTEXT, alertEmail: '', schedule: ' ' })).toMatchObject({
      schedule: 'rate(1 hour)',
    });
    expect(contextFrom({ ...MINIMAL_CONTEXT, alertEmail: '' })).not.toHaveProperty('alertEmail');
  });
});

describe('context arguments', () => {
  it('reads -c and --context pairs, keeping any = after the first in the value', () => {
    expect(parseContextArguments(['-c', 'regions=us-east-1', '--context', 'externalId=a=b'])).toEqual({
      regions: 'us-east-1',
      externalId: 'a=b',
    });
  });

  it.each([[['--regions', 'us-east-1']], [['-c']], [['-c', 'regions']]])(
    'rejects %j with a one-line error',
    (args) => {
      expect(() => parseContextArguments(args)).toThrow(/pass context as -c key=value$/);
    },
  );
});
