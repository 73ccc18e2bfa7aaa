/**
 * SQS adapter for scale-out: the scheduler function puts one message per target on the
 * queue, ten to a SendMessageBatch; entries SQS did not take are sent again once, then reported.
 */
import { SendMessageBatchCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { RemediationMode } from '../config/detector-environment.js';
import type { AccountMetadata } from '../core/types.js';

export interface TargetQueueOptions {
  client?: SQSClient;
  clientConfig?: SQSClientConfig;
  queueUrl: string;
}

/** What the run was asked to do, carried by each of its targets so the worker does exactly that. */
export interface QueuedRequest {
  /** `audit` reads and evaluates only: nothing recorded, nothing alerted, nothing remediated. */
  action: 'audit' | 'run';
  /** Recorded as the run's trigger: `schedule`, `manual-run`, `manual-remediate`, `manual-audit`. */
  trigger: string;
  remediation: RemediationMode;
  /** The policy ids to evaluate; absent: every bundled policy. */
  policies?: string[];
}

/** One target to scan, as the worker reads it from the queue. */
export interface QueuedTarget {
  runId: string;
  accountId: string;
  region: string;
  account?: AccountMetadata;
  request: QueuedRequest;
}

const BATCH = 10;

export class TargetQueue {
  readonly client: SQSClient;
  readonly queueUrl: string;

  constructor(options: TargetQueueOptions) {
    this.client = options.client ?? new SQSClient(options.clientConfig ?? {});
    this.queueUrl = options.queueUrl;
  }

  /** Sends every target; returns how many were sent and the ones SQS refused twice. */
  async send(
    targets: AsyncIterable<QueuedTarget> | Iterable<QueuedTarget>,
  ): Promise<{ sent: number; refused: QueuedTarget[] }> {
    let batch: QueuedTarget[] = [];
    let sent = 0;
    const refused: QueuedTarget[] = [];
    const flush = async () => {
      let pending = batch;
      batch = [];
      for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
        const out = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: pending.map((t, i) => ({ Id: String(i), MessageBody: JSON.stringify(t) })),
          }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => Number(f.Id)));
        sent += pending.length - failed.size;
        pending = pending.filter((_, i) => failed.has(i));
      }
      refused.push(...pending);
    };
    for await (const target of targets) {
      batch.push(target);
      if (batch.length === BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    return { sent, refused };
  }
}
