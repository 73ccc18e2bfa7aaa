import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DetectorEnv } from '../../functions/config/detector-environment.js';
import { DetectorStack } from '../../infra/lib/detector-stack.js';
import { MissingLambdaAssetError } from '../../infra/lib/lambda-assets.js';
import {
  allowedActions,
  contextFrom,
  fakeLambdaAssetRoot,
  logicalIdOf,
  logicalIds,
  MINIMAL_CONTEXT,
  OWN_ACCOUNT_REPOSITORIES_ARN,
  roleStatements,
  statementsAllowing,
  synthDetector,
  unacknowledgedNagFindings,
} from './fixtures.js';

const AUDIT_ROLE_ARN = 'arn:aws:iam::999988887777:role/SecurityAuditor';

// Explicit accounts, every default.
const explicit = synthDetector(MINIMAL_CONTEXT);
// Organization discovery with every optional setting.
const discovery = synthDetector({
  regions: 'us-east-1,eu-west-1',
  orgDiscovery: 'true',
  organizationalUnitId: 'ou-ab12-cdefgh34',
  organizationId: 'o-a1b2c3d4e5',
  excludeAccounts: '555555555555',
  externalId: 'ecr-sign-drift-test',
  memberRoleName: 'CustomReadRole',
  remediationMode: 'apply',
  remediationAccounts: '111122223333',
  maxRemediations: '3',
  schedule: 'cron(15 * * * ? *)',
  alertEmail: 'platform@example.com',
  auditRoleArn: AUDIT_ROLE_ARN,
});

const explicitRole = logicalIdOf(explicit.stack.scannerRole);
const explicitStatements = roleStatements(explicit.template, explicitRole);
const discoveryStatements = roleStatements(discovery.template, logicalIdOf(discovery.stack.scannerRole));

describe('detector stack: schedule', () => {
  it('runs the detector on the default hourly schedule with a run payload', () => {
    explicit.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(explicit.stack.entryFunction), 'Arn'] },
        Input: JSON.stringify({ source: 'aws.scheduler', scheduledTime: '<aws.scheduler.scheduled-time>' }),
      },
    });
  });

  it('uses the schedule expression from context', () => {
    discovery.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
    });
  });

  it('retries a failed invocation twice within an hour, then dead-letters it', () => {
    explicit.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(explicit.stack.scheduleDeadLetterQueue), 'Arn'] },
        },
      },
    });
  });

  it('encrypts the schedule dead-letter queue and denies it to non-TLS requests', () => {
    const queue = logicalIdOf(explicit.stack.scheduleDeadLetterQueue);
    expect(logicalIds(explicit.template, 'AWS::SQS::Queue', { SqsManagedSseEnabled: true })).toContain(queue);
    explicit.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the scheduler role invoke only the detector function and send only to its dead-letter queue', () => {
    const scheduleRole = explicit.template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'scheduler.amazonaws.com' } }] },
      },
    });
    const [roleId] = Object.keys(scheduleRole);
    const statements = roleStatements(explicit.template, roleId!);
    expect(allowedActions(statements)).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    const fn = logicalIdOf(explicit.stack.entryFunction);
    expect(statementsAllowing(statements, 'lambda:InvokeFunction')[0]!.Resource[0]).toEqual({
      'Fn::GetAtt': [fn, 'Arn'],
    });
  });
});

describe('detector stack: function', () => {
  it('runs on Node.js 24 on arm64 with the bundled handler, one run at a time', () => {
    explicit.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      MemorySize: 1024,
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
  });

  it('writes logs to its own log group kept for 90 days', () => {
    const fn = explicit.template.toJSON().Resources[logicalIdOf(explicit.stack.entryFunction)];
    const retained = logicalIds(explicit.template, 'AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(retained.map((id) => ({ Ref: id }))).toContainEqual(fn.Properties.LoggingConfig.LogGroup);
  });

  it('sets every variable the detector reads in explicit-account mode', () => {
    const fn = explicit.template.toJSON().Resources[logicalIdOf(explicit.stack.entryFunction)];
    expect(fn.Properties.Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'ecr-sign-drift',
      POWERTOOLS_METRICS_NAMESPACE: 'EcrSignDrift',
      NODE_OPTIONS: '--enable-source-maps',
      [DetectorEnv.accounts]: '111122223333,444455556666',
      [DetectorEnv.organizationDiscovery]: 'false',
      [DetectorEnv.regions]: 'us-east-1,eu-west-1',
      [DetectorEnv.roleName]: 'EcrSignDriftReadRole',
      [DetectorEnv.externalId]: 'ecr-sign-drift-test',
      [DetectorEnv.topicArn]: { Ref: logicalIdOf(explicit.stack.alerts.topic) },
      [DetectorEnv.tableName]: { Ref: logicalIdOf(explicit.stack.table) },
      [DetectorEnv.remediation]: 'off',
      [DetectorEnv.maxRemediations]: '5',
      [DetectorEnv.reminderHours]: '24',
      [DetectorEnv.concurrency]: '16',
      [DetectorEnv.runHistoryDays]: '90',
      [DetectorEnv.imageSamples]: '3',
      [DetectorEnv.imageMaxAgeDays]: '30',
      [DetectorEnv.imageStatusCallsPerTarget]: '200',
      [DetectorEnv.imageStatusCallsPerRun]: '20000',
    });
  });

  it('sets the discovery, exclusion and remediation variables when the context has them', () => {
    const fn = discovery.template.toJSON().Resources[logicalIdOf(discovery.stack.entryFunction)];
    const variables = fn.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      [DetectorEnv.organizationDiscovery]: 'true',
      [DetectorEnv.organizationalUnitId]: 'ou-ab12-cdefgh34',
      [DetectorEnv.excludeAccounts]: '555555555555',
      [DetectorEnv.roleName]: 'CustomReadRole',
      [DetectorEnv.remediation]: 'apply',
      [DetectorEnv.remediationAccounts]: '111122223333',
      [DetectorEnv.maxRemediations]: '3',
    });
    expect(variables).not.toHaveProperty(DetectorEnv.accounts);
    expect(variables).not.toHaveProperty(DetectorEnv.queueUrl);
  });

  it('fails with an instruction to build when the handler bundle is missing', () => {
    const emptyRoot = fakeLambdaAssetRoot([]);
    const build = () =>
      new DetectorStack(new App(), 'Detector', {
        context: contextFrom(MINIMAL_CONTEXT),
        lambdaAssetRoot: emptyRoot,
      });
    expect(build).toThrow(MissingLambdaAssetError);
    expect(build).toThrow(/detector\/index\.mjs is missing: run `npm run build` first$/);
  });
});

describe('detector stack: permissions', () => {
  it('assumes only the member role, by name, in the listed accounts when the targets are explicit', () => {
    const assume = statementsAllowing(explicitStatements, 'sts:AssumeRole');
    expect(assume).toHaveLength(1);
    expect(assume[0]!.Action).toEqual(['sts:AssumeRole']);
    expect(assume[0]!.Resource).toEqual(
      ['111122223333', '444455556666'].map((account) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/EcrSignDriftReadRole`]],
      })),
    );
    expect(assume[0]!.Condition).toBeUndefined();
  });

  it('leaves excluded accounts out of the AssumeRole grant', () => {
    const { stack, template } = synthDetector({ ...MINIMAL_CONTEXT, excludeAccounts: '444455556666' });
    const [assume] = statementsAllowing(
      roleStatements(template, logicalIdOf(stack.scannerRole)),
      'sts:AssumeRole',
    );
    expect(assume!.Resource).toEqual([
      {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/EcrSignDriftReadRole']],
      },
    ]);
  });

  it('limits AssumeRole to the organization and the configured role name when both are set', () => {
    const [assume] = statementsAllowing(discoveryStatements, 'sts:AssumeRole');
    expect(assume!.Resource).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/CustomReadRole']] },
    ]);
    expect(assume!.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } });
  });

  it('has no Organizations actions without discovery', () => {
    expect(allowedActions(explicitStatements).filter((a) => a.startsWith('organizations:'))).toEqual([]);
  });

  it('has exactly the read-only Organizations actions with discovery', () => {
    expect(allowedActions(discoveryStatements).filter((a) => a.startsWith('organizations:'))).toEqual([
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListParents',
      'organizations:ListRoots',
      'organizations:ListTagsForResource',
    ]);
  });

  it('publishes only to its own topic, encrypting with the topic key', () => {
    const publish = statementsAllowing(explicitStatements, 'sns:Publish');
    expect(publish.flatMap((s) => s.Resource)).toEqual([{ Ref: logicalIdOf(explicit.stack.alerts.topic) }]);
    const kms = statementsAllowing(explicitStatements, 'kms:GenerateDataKey*');
    expect(kms.flatMap((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(explicit.stack.alerts.key), 'Arn'] },
    ]);
    expect(kms[0]!.Action.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('reads and writes only its own table', () => {
    const table = { 'Fn::GetAtt': [logicalIdOf(explicit.stack.table), 'Arn'] };
    const dynamo = explicitStatements.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']),
    );
    for (const statement of dynamo) expect(statement.Resource).toEqual([table]);
  });

  it('writes its own registry signing configuration only when remediation is apply', () => {
    expect(statementsAllowing(explicitStatements, 'ecr:PutSigningConfiguration')).toEqual([]);
    expect(statementsAllowing(discoveryStatements, 'ecr:PutSigningConfiguration')).toHaveLength(1);
    expect(statementsAllowing(discoveryStatements, 'ecr:DeleteSigningConfiguration')).toEqual(
      statementsAllowing(discoveryStatements, 'ecr:PutSigningConfiguration'),
    );
    for (const statements of [explicitStatements, discoveryStatements]) {
      expect(statementsAllowing(statements, 'ecr:GetSigningConfiguration')).toHaveLength(1);
    }
  });

  it('writes its own registry only when its own account is on the remediation allow-list', () => {
    const inAccount = (account: string, remediationAccounts: string) => {
      const app = new App();
      const stack = new DetectorStack(app, 'Detector', {
        env: { account, region: 'us-east-1' },
        context: contextFrom({ ...MINIMAL_CONTEXT, remediationMode: 'apply', remediationAccounts }),
        lambdaAssetRoot: fakeLambdaAssetRoot(),
      });
      return roleStatements(Template.fromStack(stack), logicalIdOf(stack.scannerRole));
    };
    expect(
      statementsAllowing(inAccount('111122223333', '444455556666'), 'ecr:PutSigningConfiguration'),
    ).toEqual([]);
    expect(
      statementsAllowing(
        inAccount('111122223333', '444455556666,111122223333'),
        'ecr:PutSigningConfiguration',
      ),
    ).toHaveLength(1);
  });

  it('makes its own-registry write conditional on AWS::AccountId being allow-listed when the account is known only at deploy', () => {
    const json = discovery.template.toJSON();
    const [writePolicy] = Object.values(json.Resources as Record<string, Record<string, unknown>>).filter(
      (resource) =>
        resource['Type'] === 'AWS::IAM::Policy' &&
        JSON.stringify(resource).includes('ecr:PutSigningConfiguration'),
    );
    expect(writePolicy?.['Condition']).toBeDefined();
    expect(json.Conditions[writePolicy!['Condition'] as string]).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '111122223333'],
    });
  });

  it('lists repositories only in its own account', () => {
    const [describe] = statementsAllowing(explicitStatements, 'ecr:DescribeRepositories');
    expect(describe!.Resource).toEqual([OWN_ACCOUNT_REPOSITORIES_ARN]);
  });

  it("reads images and their signing status in its own account's repositories", () => {
    for (const statements of [explicitStatements, discoveryStatements]) {
      const [images] = statementsAllowing(statements, 'ecr:DescribeImageSigningStatus');
      expect(images).toMatchObject({
        Action: ['ecr:DescribeImages', 'ecr:DescribeImageSigningStatus'],
        Resource: [OWN_ACCOUNT_REPOSITORIES_ARN],
      });
    }
  });

  it('allows no other actions than the ones the detector uses', () => {
    expect(allowedActions(explicitStatements).filter((a) => !a.startsWith('dynamodb:'))).toEqual([
      'cloudtrail:LookupEvents',
      'ecr:DescribeImageSigningStatus',
      'ecr:DescribeImages',
      'ecr:DescribeRepositories',
      'ecr:GetSigningConfiguration',
      'ecr:ListTagsForResource',
      'kms:Decrypt',
      'kms:GenerateDataKey*',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'signer:GetSigningProfile',
      'sns:Publish',
      'sts:AssumeRole',
      'tag:GetResources',
    ]);
  });

  it("reads the tags of its own account's repositories in bulk with tag:GetResources", () => {
    for (const statements of [explicitStatements, discoveryStatements]) {
      expect(statementsAllowing(statements, 'tag:GetResources')).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: ['tag:GetResources'], Resource: ['*'] }),
      ]);
    }
  });

  it('attaches no AWS managed policies to any role', () => {
    for (const { template } of [explicit, discovery]) {
      expect(logicalIds(template, 'AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() })).toEqual([]);
    }
  });

  it('lets the audit role invoke the detector when one is configured', () => {
    discovery.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: AUDIT_ROLE_ARN,
      FunctionName: { 'Fn::GetAtt': [logicalIdOf(discovery.stack.entryFunction), 'Arn'] },
    });
    expect(logicalIds(explicit.template, 'AWS::Lambda::Permission', { Principal: AUDIT_ROLE_ARN })).toEqual(
      [],
    );
  });
});

describe('detector stack: alert topic', () => {
  it('encrypts the topic with a rotating customer managed key', () => {
    explicit.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(explicit.stack.alerts.key), 'Arn'] },
    });
    explicit.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it("lets only this account's CloudWatch alarms use the topic key", () => {
    explicit.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudwatch:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':alarm:*',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('denies publishing without TLS', () => {
    explicit.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalIdOf(explicit.stack.alerts.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes the alert email only when one is given', () => {
    discovery.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform@example.com',
    });
    expect(logicalIds(explicit.template, 'AWS::SNS::Subscription')).toEqual([]);
  });
});

describe('detector stack: state table', () => {
  it('keys items by pk and sk, expires them on expiresAt, bills on demand', () => {
    explicit.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('is encrypted, recoverable to a point in time and retained on stack deletion', () => {
    explicit.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });
});

describe('detector stack: alarms', () => {
  const topicRef = () => ({ Ref: logicalIdOf(explicit.stack.alerts.topic) });

  it.each(['Errors', 'Throttles'])('alarms on any function %s and notifies the topic', (metricName) => {
    explicit.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(explicit.stack.entryFunction) } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef()],
    });
  });

  it.each(['TargetsFailed', 'TargetsHeldTooLong', 'DiscoveryFailed', 'RemediationsFailed'])(
    'alarms when %s is above zero and notifies the topic',
    (metricName) => {
      explicit.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'EcrSignDrift',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: 'ecr-sign-drift' }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef()],
      });
    },
  );

  it('alarms when the schedule dead-letter queue holds a message', () => {
    explicit.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(explicit.stack.scheduleDeadLetterQueue), 'QueueName'] },
        },
      ],
      AlarmActions: [topicRef()],
    });
  });
});

describe('detector stack: single-function mode', () => {
  it('has no target queue and no event source', () => {
    expect(logicalIds(explicit.template, 'AWS::SQS::Queue')).toEqual([
      logicalIdOf(explicit.stack.scheduleDeadLetterQueue),
    ]);
    expect(logicalIds(explicit.template, 'AWS::Lambda::EventSourceMapping')).toEqual([]);
    expect(logicalIds(explicit.template, 'AWS::Lambda::Function')).toEqual([
      logicalIdOf(explicit.stack.entryFunction),
    ]);
  });
});

describe('detector stack: outputs and checks', () => {
  it('outputs the function name, topic ARN, table name and the role member accounts trust', () => {
    const outputs = explicit.template.toJSON().Outputs;
    expect(outputs.FunctionName.Value).toEqual({ Ref: logicalIdOf(explicit.stack.entryFunction) });
    expect(outputs.TopicArn.Value).toEqual({ Ref: logicalIdOf(explicit.stack.alerts.topic) });
    expect(outputs.TableName.Value).toEqual({ Ref: logicalIdOf(explicit.stack.table) });
    expect(outputs.DetectorRoleArn.Value).toEqual({ 'Fn::GetAtt': [explicitRole, 'Arn'] });
  });

  it('names no resource physically', () => {
    const named = Object.entries(
      explicit.template.toJSON().Resources as Record<string, { Type: string; Properties?: object }>,
    )
      // An event bus must have a name: CDK makes a unique one from the construct path.
      .filter(([, resource]) => !resource.Type.startsWith('AWS::Events::EventBus'))
      // A literal name; a reference to another resource (a permission's FunctionName) is not one.
      .filter(([, resource]) =>
        Object.entries(resource.Properties ?? {}).some(
          ([key, value]) =>
            typeof value === 'string' &&
            [
              'FunctionName',
              'RoleName',
              'TableName',
              'TopicName',
              'QueueName',
              'LogGroupName',
              'Name',
            ].includes(key),
        ),
      )
      .map(([id]) => id);
    expect(named).toEqual([]);
  });

  it.each([
    ['explicit accounts', explicit],
    ['organization discovery', discovery],
  ])('passes the cdk-nag AwsSolutions checks with %s', (_, { stack }) => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
