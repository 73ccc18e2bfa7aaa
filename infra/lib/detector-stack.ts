/**
 * The central stack: the detector (one function, or a scheduler and workers in scale-out
 * mode) run by EventBridge Scheduler, its state table, alert topic and alarms.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ALARM_PERIOD, AlertTopic, detectorMetric } from './alerts.js';
import type { DetectorContext } from './context.js';
import { DetectorFunction } from './detector-function.js';
import { detectorEnvironment } from './environment.js';
import { DEFAULT_LAMBDA_ASSET_ROOT } from './lambda-assets.js';
import { DetectorMetric } from './metrics.js';
import {
  allowMemberRoleAssumption,
  allowOrganizationDiscovery,
  allowOwnRegistryAccess,
  allowSecurityHubImport,
  allowSigningProfileRead,
} from './permissions.js';
import { deadLetterQueue } from './queues.js';
import { ScanFanOut } from './scale-out.js';
import { SigningChangeEvents } from './signing-change-events.js';

export interface DetectorStackProps extends StackProps {
  context: DetectorContext;
  /** Where `npm run build` put the handler bundles; dist/lambda by default. */
  lambdaAssetRoot?: string;
}

/** What the schedule sends: a scheduled run (scan, evaluate, alert, remediate per mode). */
/** What the schedule sends: the handler recognises `source` as a scheduled run (see functions/lambda/invocation.ts). */
export const SCHEDULED_RUN_INPUT = {
  source: 'aws.scheduler',
  scheduledTime: '<aws.scheduler.scheduled-time>',
} as const;
export const SCHEDULE_RETRY_ATTEMPTS = 2;
/** A run not delivered within an hour is superseded by the next hourly one. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

const TABLE_PARTITION_KEY = 'pk';
const TABLE_SORT_KEY = 'sk';
const TABLE_TTL_ATTRIBUTE = 'expiresAt';

export class DetectorStack extends Stack {
  readonly table: dynamodb.Table;
  readonly alerts: AlertTopic;
  /** What the schedule (and a person with the audit role) invokes. */
  readonly entryFunction: lambda.Function;
  /** The role that assumes the member role in each account: the member stack trusts it. */
  readonly scannerRole: iam.Role;
  readonly scheduleDeadLetterQueue: sqs.Queue;
  readonly fanOut?: ScanFanOut;
  /** Present with `realtime` (the default): the central bus and the rules that invoke the detector. */
  readonly signingChanges?: SigningChangeEvents;

  constructor(scope: Construct, id: string, props: DetectorStackProps) {
    const { context, lambdaAssetRoot = DEFAULT_LAMBDA_ASSET_ROOT, ...stackProps } = props;
    super(scope, id, {
      description: 'ecr-sign-drift: keeps ECR registry signing configuration in line with policy',
      ...stackProps,
    });

    this.table = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SORT_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_TTL_ATTRIBUTE,
      // Drift history and remediation records are evidence: keep them if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    this.alerts = new AlertTopic(
      this,
      'Alerts',
      context.alertEmail ? { alertEmail: context.alertEmail } : {},
    );

    const environment = detectorEnvironment(context, {
      topicArn: this.alerts.topic.topicArn,
      tableName: this.table.tableName,
    });
    const functions: DetectorFunction[] = [];
    let scanner: DetectorFunction;
    let entry: DetectorFunction;
    if (context.scaleOut) {
      this.fanOut = new ScanFanOut(this, 'ScaleOut', {
        lambdaAssetRoot,
        environment,
        workerConcurrency: context.workerConcurrency,
      });
      entry = this.fanOut.scheduler;
      scanner = this.fanOut.worker;
      functions.push(entry, scanner);
      // The scheduler only enumerates and enqueues: the workers record what they find.
    } else {
      entry = new DetectorFunction(this, 'Detector', {
        lambdaAssetRoot,
        assetName: 'detector',
        description: 'ecr-sign-drift: scans registries, evaluates policies, alerts and remediates',
        environment,
        // Network-bound, but ~2,000 targets of JSON and the policy engine want some CPU.
        memorySize: 1024,
        timeout: Duration.minutes(15),
        // Runs must not overlap: they would alert and remediate the same drift twice.
        reservedConcurrentExecutions: 1,
      });
      scanner = entry;
      functions.push(entry);
    }
    this.entryFunction = entry.function;
    this.scannerRole = scanner.role;

    // The entry function enumerates targets; the scanner reads registries and reports.
    if (context.orgDiscovery) allowOrganizationDiscovery(entry.role);

    allowMemberRoleAssumption(scanner.role, {
      memberRoleName: context.memberRoleName,
      ...(context.organizationId ? { organizationId: context.organizationId } : {}),
      // Explicit targets name their accounts; discovered ones are known only at run time.
      accounts: context.orgDiscovery
        ? []
        : context.accounts.filter((account) => !context.excludeAccounts.includes(account)),
    });
    allowOwnRegistryAccess(scanner.role, {
      mode: context.remediationMode,
      accounts: context.remediationAccounts,
    });
    allowSigningProfileRead(scanner.role);
    // The scanner flushes the outbox, Security Hub imports included.
    if (context.securityHub) allowSecurityHubImport(scanner.role);
    this.alerts.grantPublish(scanner.role);
    this.table.grantReadWriteData(scanner.role);

    this.scheduleDeadLetterQueue = deadLetterQueue(
      this,
      'ScheduleDeadLetterQueue',
      'the EventBridge Scheduler schedule',
    );
    this.#scheduleRuns(context.schedule);

    if (context.realtime) {
      this.signingChanges = new SigningChangeEvents(this, 'SigningChanges', {
        handler: this.entryFunction,
        ...(context.organizationId ? { organizationId: context.organizationId } : {}),
        accounts: context.accounts.filter((account) => !context.excludeAccounts.includes(account)),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      });
    }

    if (context.auditRoleArn) {
      // A resource-based permission: the audit role is managed elsewhere and is not modified here.
      this.entryFunction.addPermission('AuditRoleInvoke', {
        principal: new iam.ArnPrincipal(context.auditRoleArn),
        action: 'lambda:InvokeFunction',
      });
    }

    this.#addAlarms(functions);
    this.#addOutputs();
  }

  #scheduleRuns(expression: string): void {
    const scheduleGroupArn = `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule-group/default`;
    const role = new iam.Role(this, 'ScheduleRole', {
      description: 'Lets EventBridge Scheduler start ecr-sign-drift runs',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': scheduleGroupArn },
        },
      }),
    });
    new scheduler.Schedule(this, 'RunSchedule', {
      description: 'Runs ecr-sign-drift',
      schedule: scheduler.ScheduleExpression.expression(expression),
      target: new LambdaInvoke(this.entryFunction, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject(SCHEDULED_RUN_INPUT),
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });
    const functionLogicalId = this.resolve(
      (this.entryFunction.node.defaultChild as lambda.CfnFunction).logicalId,
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason:
        "LambdaInvoke grants the function and its versions (':*'); the schedule invokes only the unqualified function.",
    });
  }

  #addAlarms(functions: DetectorFunction[]): void {
    for (const { node, function: fn } of functions) {
      this.alerts.alarm(`${node.id}Errors`, {
        metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
        description: `${fn.node.path}: the function failed (a run or batch did not complete)`,
      });
      this.alerts.alarm(`${node.id}Throttles`, {
        metric: fn.metricThrottles({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
        description: `${fn.node.path}: an invocation was throttled (overlapping runs or account concurrency)`,
      });
    }
    this.alerts.alarm('TargetsFailed', {
      metric: detectorMetric(DetectorMetric.targetsFailed),
      description: 'Some account/region targets could not be scanned',
    });
    this.alerts.alarm('TargetsHeldTooLong', {
      metric: detectorMetric(DetectorMetric.targetsHeldTooLong),
      description: 'A run skipped a target another run has held for longer than the lease time (a stuck run)',
    });
    this.alerts.alarm('DiscoveryFailed', {
      metric: detectorMetric(DetectorMetric.discoveryFailed),
      description: 'Finding the accounts (AWS Organizations) failed: accounts not listed were not scanned',
    });
    this.alerts.alarm('RemediationsFailed', {
      metric: detectorMetric(DetectorMetric.remediationsFailed),
      description: 'A signing configuration remediation failed',
    });
    const deadLetterQueues = [this.scheduleDeadLetterQueue, this.fanOut?.deadLetterQueue];
    for (const queue of deadLetterQueues) {
      if (!queue) continue;
      this.alerts.alarm(`${queue.node.id}NotEmpty`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        description: `${queue.node.path}: undelivered runs or unscanned targets are waiting`,
      });
    }
  }

  #addOutputs(): void {
    new CfnOutput(this, 'FunctionName', {
      description: 'The function the schedule runs; invoke it for a manual audit',
      value: this.entryFunction.functionName,
    });
    new CfnOutput(this, 'TopicArn', { description: 'Alert topic', value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'TableName', { description: 'State table', value: this.table.tableName });
    if (this.signingChanges) {
      new CfnOutput(this, 'SigningChangeBusArn', {
        description:
          'The bus member accounts forward to (SigningChangeBusArn parameter of the member events stack)',
        value: this.signingChanges.bus.eventBusArn,
      });
    }
    new CfnOutput(this, 'DetectorRoleArn', {
      description: 'The role member accounts trust (DetectorRoleArn parameter of the member role stack)',
      value: this.scannerRole.roleArn,
    });
  }
}
