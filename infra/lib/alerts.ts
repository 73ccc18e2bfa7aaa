/**
 * The alert topic (KMS-encrypted, TLS-only) and the alarms that publish to it.
 */
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_DIMENSION } from './metrics.js';

export interface AlertTopicProps {
  alertEmail?: string;
}

export class AlertTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly #alarmAction: SnsAction;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts ecr-sign-drift alerts at rest in SNS',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications as itself, so it must be able to use the key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only this account's alarms: the service principal alone would let any account's CloudWatch use the key.
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'ecr-sign-drift alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alertEmail) this.topic.addSubscription(new EmailSubscription(props.alertEmail));
    this.#alarmAction = new SnsAction(this.topic);
  }

  /** Publishing needs the topic and its key (SNS encrypts with the publisher's permissions). */
  grantPublish(role: iam.Role): void {
    this.topic.grantPublish(role);
    this.key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey*');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to an SSE-enabled SNS topic needs kms:GenerateDataKey* (as documented for SNS encryption); ' +
        'the grant is on the topic key only.',
    });
  }

  /** An alarm on any datapoint above the threshold, notifying this topic. */
  alarm(id: string, props: { metric: cloudwatch.IMetric; description: string; threshold?: number }) {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: props.metric,
      alarmDescription: props.description,
      threshold: props.threshold ?? 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No datapoint means no run or nothing failed: neither is an alarm by itself.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.#alarmAction);
    return alarm;
  }
}

/** The period every detector alarm uses: one hourly run per datapoint by default. */
export const ALARM_PERIOD = Duration.hours(1);

/** A detector metric summed over the alarm period. */
export function detectorMetric(metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ...SERVICE_DIMENSION },
    statistic: cloudwatch.Stats.SUM,
    period: ALARM_PERIOD,
  });
}
