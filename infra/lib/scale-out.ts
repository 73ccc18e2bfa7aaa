/**
 * Scale-out mode: a scheduler function enumerates targets into a queue, one message per
 * target, and a worker function scans them in batches, reporting the failed items so that
 * only those are retried (and dead-lettered after three receives).
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DetectorEnv } from '../../functions/config/detector-environment.js';
import { DetectorFunction } from './detector-function.js';
import { deadLetterQueue, encryptedQueue } from './queues.js';

export interface ScanFanOutProps {
  lambdaAssetRoot: string;
  /** The detector environment both functions share (the scheduler also gets the queue URL). */
  environment: Record<string, string>;
  /** The most worker instances the queue drives at once. */
  workerConcurrency: number;
}

const WORKER_TIMEOUT = Duration.minutes(5);
/** AWS's guidance for Lambda-driven queues: at least six times the function timeout. */
const TARGET_VISIBILITY_TIMEOUT = Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6);
const MAX_RECEIVES_BEFORE_DEAD_LETTER = 3;
const WORKER_BATCH_SIZE = 10;

export class ScanFanOut extends Construct {
  readonly targetQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly scheduler: DetectorFunction;
  readonly worker: DetectorFunction;

  constructor(scope: Construct, id: string, props: ScanFanOutProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.targetQueue = encryptedQueue(this, 'TargetQueue', {
      visibilityTimeout: TARGET_VISIBILITY_TIMEOUT,
      // A newer run enqueues every target again; older messages are not worth keeping.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES_BEFORE_DEAD_LETTER },
    });

    this.scheduler = new DetectorFunction(this, 'Scheduler', {
      lambdaAssetRoot: props.lambdaAssetRoot,
      assetName: 'scan-scheduler',
      description: 'ecr-sign-drift: enumerates scan targets into the target queue',
      environment: { ...props.environment, [DetectorEnv.queueUrl]: this.targetQueue.queueUrl },
      memorySize: 512,
      timeout: Duration.minutes(5),
      // Overlapping enumerations would only enqueue every target twice.
      reservedConcurrentExecutions: 1,
    });
    this.targetQueue.grantSendMessages(this.scheduler.role);

    this.worker = new DetectorFunction(this, 'Worker', {
      lambdaAssetRoot: props.lambdaAssetRoot,
      assetName: 'scan-worker',
      description: 'ecr-sign-drift: scans a batch of targets from the target queue',
      environment: props.environment,
      memorySize: 512,
      timeout: WORKER_TIMEOUT,
    });
    this.worker.function.addEventSource(
      new SqsEventSource(this.targetQueue, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        // Bounds the parallel AssumeRole and ECR calls across the organization.
        maxConcurrency: props.workerConcurrency,
      }),
    );
  }
}
