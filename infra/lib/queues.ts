/** SQS queues the detector uses: encrypted at rest with SQS-managed keys and TLS-only. */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The longest SQS keeps a message, so a failure can be inspected and redriven for two weeks. */
const DEAD_LETTER_RETENTION = Duration.days(14);

export function encryptedQueue(scope: Construct, id: string, props: sqs.QueueProps = {}): sqs.Queue {
  return new sqs.Queue(scope, id, {
    ...props,
    // SQS-managed keys: EventBridge Scheduler and Lambda need no KMS grants to use the queue.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
}

/**
 * A dead-letter queue. `redriveSource` says what feeds it, for the cdk-nag suppression when
 * it is not an SQS redrive target (cdk-nag only recognises queues named in a redrive policy).
 */
export function deadLetterQueue(scope: Construct, id: string, redriveSource?: string): sqs.Queue {
  const queue = encryptedQueue(scope, id, { retentionPeriod: DEAD_LETTER_RETENTION });
  if (redriveSource) {
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${redriveSource}, which is not declared through an SQS redrive policy.`,
    });
  }
  return queue;
}
