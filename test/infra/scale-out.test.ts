import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DetectorEnv } from '../../functions/config/detector-environment.js';
import {
  allowedActions,
  logicalIdOf,
  logicalIds,
  MINIMAL_CONTEXT,
  roleStatements,
  statementsAllowing,
  synthDetector,
  unacknowledgedNagFindings,
} from './fixtures.js';

const AUDIT_ROLE_ARN = 'arn:aws:iam::999988887777:role/SecurityAuditor';
const { stack, template } = synthDetector({
  ...MINIMAL_CONTEXT,
  scaleOut: 'true',
  workerConcurrency: '20',
  auditRoleArn: AUDIT_ROLE_ARN,
});
const fanOut = stack.fanOut!;
const resources = template.toJSON().Resources;
const schedulerFn = logicalIdOf(fanOut.scheduler.function);
const workerFn = logicalIdOf(fanOut.worker.function);
const targetQueue = logicalIdOf(fanOut.targetQueue);
const deadLetterQueue = logicalIdOf(fanOut.deadLetterQueue);
const schedulerStatements = roleStatements(template, logicalIdOf(fanOut.scheduler.role));
const workerStatements = roleStatements(template, logicalIdOf(fanOut.worker.role));

describe('scale-out mode', () => {
  it('builds the scheduler and the worker from their own bundles and no single detector', () => {
    expect(logicalIds(template, 'AWS::Lambda::Function').sort()).toEqual([schedulerFn, workerFn].sort());
    for (const fn of [schedulerFn, workerFn]) {
      expect(resources[fn].Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
    expect(resources[schedulerFn].Properties.Code).not.toEqual(resources[workerFn].Properties.Code);
  });

  it('schedules the scheduler function, not the worker', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: {
        Arn: { 'Fn::GetAtt': [schedulerFn, 'Arn'] },
        Input: JSON.stringify({ source: 'aws.scheduler', scheduledTime: '<aws.scheduler.scheduled-time>' }),
      },
    });
    expect(stack.entryFunction).toBe(fanOut.scheduler.function);
  });

  it('gives both functions the same environment and the scheduler the queue URL', () => {
    const schedulerVariables = resources[schedulerFn].Properties.Environment.Variables;
    const workerVariables = resources[workerFn].Properties.Environment.Variables;
    const { [DetectorEnv.queueUrl]: queueUrl, ...shared } = schedulerVariables;
    expect(queueUrl).toEqual({ Ref: targetQueue });
    expect(workerVariables).toEqual(shared);
    expect(workerVariables).not.toHaveProperty(DetectorEnv.queueUrl);
    expect(shared).toMatchObject({
      [DetectorEnv.accounts]: '111122223333,444455556666',
      [DetectorEnv.regions]: 'us-east-1,eu-west-1',
    });
  });

  it('keeps the target queue encrypted, TLS-only, invisible for six worker timeouts and redriven after three receives', () => {
    const workerTimeout = resources[workerFn].Properties.Timeout as number;
    expect(resources[targetQueue].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: workerTimeout * 6,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(resources[deadLetterQueue].Properties).toMatchObject({ SqsManagedSseEnabled: true });
    for (const queue of [targetQueue, deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('feeds the worker from the target queue in batches of ten, reporting item failures, with bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: workerFn },
      EventSourceArn: { 'Fn::GetAtt': [targetQueue, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });

  it('runs one enumeration at a time and leaves the worker unreserved', () => {
    expect(resources[schedulerFn].Properties.ReservedConcurrentExecutions).toBe(1);
    expect(resources[workerFn].Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('lets only the worker assume member roles, publish alerts and read registries', () => {
    for (const action of [
      'sts:AssumeRole',
      'sns:Publish',
      'ecr:GetSigningConfiguration',
      'tag:GetResources',
      'signer:GetSigningProfile',
    ]) {
      expect(statementsAllowing(workerStatements, action)).not.toEqual([]);
      expect(statementsAllowing(schedulerStatements, action)).toEqual([]);
    }
  });

  it('gives the scheduler no DynamoDB access: it only enumerates and enqueues', () => {
    expect(allowedActions(schedulerStatements).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(allowedActions(workerStatements)).toContain('dynamodb:PutItem');
  });

  it('lets the scheduler send to the target queue and the worker consume it', () => {
    expect(statementsAllowing(schedulerStatements, 'sqs:SendMessage').flatMap((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [targetQueue, 'Arn'] },
    ]);
    expect(statementsAllowing(workerStatements, 'sqs:DeleteMessage').flatMap((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [targetQueue, 'Arn'] },
    ]);
    expect(allowedActions(workerStatements)).not.toContain('sqs:SendMessage');
  });

  it('outputs the worker role as the role member accounts trust', () => {
    expect(template.toJSON().Outputs.DetectorRoleArn.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(fanOut.worker.role), 'Arn'],
    });
  });

  it('lets the audit role invoke the scheduler function', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: AUDIT_ROLE_ARN,
      FunctionName: { 'Fn::GetAtt': [schedulerFn, 'Arn'] },
    });
  });

  it('alarms on errors of both functions and on the target dead-letter queue', () => {
    for (const fn of [schedulerFn, workerFn]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueue, 'QueueName'] } }],
      AlarmActions: [{ Ref: logicalIdOf(stack.alerts.topic) }],
    });
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
