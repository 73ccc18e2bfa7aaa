/**
 * Real-time drift in the CDK app: a central bus only the organization (or the listed
 * accounts) can put to, rules that invoke the detector with ECR's signing-configuration
 * writes, and the member stack that forwards them with a role allowed only that bus.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MemberEventsStack } from '../../infra/lib/member-events-stack.js';
import {
  logicalIdOf,
  logicalIds,
  MINIMAL_CONTEXT,
  roleStatements,
  synthDetector,
  unacknowledgedNagFindings,
} from './fixtures.js';

const PATTERN = {
  source: ['aws.ecr'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['ecr.amazonaws.com'],
    eventName: ['PutSigningConfiguration', 'DeleteSigningConfiguration'],
  },
};

describe('the detector stack with realtime (the default)', () => {
  const org = synthDetector({
    regions: 'us-east-1',
    orgDiscovery: 'true',
    organizationId: 'o-a1b2c3d4e5',
    externalId: 'ecr-sign-drift-test',
  });
  const explicit = synthDetector(MINIMAL_CONTEXT);

  it('lets only the organization put events on the central bus', () => {
    org.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
    });
  });

  it('lets only the configured accounts put events when there is no organization id', () => {
    const policies = explicit.template.findResources('AWS::Events::EventBusPolicy');
    const principals = Object.values(policies).map(
      (p) =>
        (p as { Properties: { Statement: { Principal: { AWS: unknown } } } }).Properties.Statement.Principal
          .AWS,
    );
    expect(JSON.stringify(principals)).toContain('111122223333');
    expect(JSON.stringify(principals)).toContain('444455556666');
    expect(JSON.stringify(principals)).not.toContain('"*"');
  });

  it('invokes the detector for signing-configuration writes on the central bus and on its own default bus', () => {
    const fn = logicalIdOf(explicit.stack.entryFunction);
    const rules = explicit.template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: PATTERN },
    });
    expect(Object.keys(rules)).toHaveLength(2);
    const buses = Object.values(rules).map(
      (r) => (r as { Properties: { EventBusName?: unknown } }).Properties.EventBusName,
    );
    expect(buses.filter((b) => b === undefined)).toHaveLength(1);
    for (const rule of Object.values(rules) as Array<{
      Properties: { Targets: Array<Record<string, unknown>> };
    }>) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: expect.anything(),
        }),
      ]);
    }
    explicit.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
    });
    expect(explicit.template.toJSON().Outputs).toHaveProperty('SigningChangeBusArn');
  });

  it('has no bus and no rules with realtime=false', () => {
    const off = synthDetector({ ...MINIMAL_CONTEXT, realtime: 'false' });
    expect(logicalIds(off.template, 'AWS::Events::EventBus')).toEqual([]);
    expect(
      off.template.findResources('AWS::Events::Rule', { Properties: { EventPattern: PATTERN } }),
    ).toEqual({});
  });

  it.each([
    ['explicit accounts', explicit],
    ['an organization', org],
  ])('passes the cdk-nag AwsSolutions checks with %s', (_, { stack }) => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('the member events stack', () => {
  const stack = new MemberEventsStack(new App(), 'MemberEvents');
  const template = Template.fromStack(stack);

  it('forwards signing-configuration writes to the bus given as a parameter, through its role', () => {
    const role = logicalIdOf(stack.forwardingRole);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: PATTERN,
      Targets: [
        Match.objectLike({ Arn: { Ref: 'SigningChangeBusArn' }, RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } }),
      ],
    });
    expect(template.toJSON().Parameters).toMatchObject({ SigningChangeBusArn: { Type: 'String' } });
  });

  it('lets its role put events on that bus and nothing else, assumed only by EventBridge of its account', () => {
    const role = logicalIdOf(stack.forwardingRole);
    expect(roleStatements(template, role)).toEqual([
      { Action: ['events:PutEvents'], Effect: 'Allow', Resource: [{ Ref: 'SigningChangeBusArn' }] },
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
