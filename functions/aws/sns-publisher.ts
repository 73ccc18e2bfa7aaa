/**
 * SNS adapter: publishes one composed alert. String.Array attributes carry JSON
 * arrays as SNS expects, so subscription filter policies can match any element.
 * To a FIFO topic (`.fifo`), which refuses a publish without them, an alert goes in its
 * target's message group (in order per registry) with its alert id as the deduplication id,
 * so SNS drops a repeated publish of the same alert within its five-minute window.
 */
import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import type { ComposedAlert } from '../core/alerts/index.js';

export interface SnsPublisherOptions {
  client?: SNSClient;
  clientConfig?: SNSClientConfig;
  topicArn: string;
}

export type AlertAttributeValue =
  | { dataType: 'String'; value: string }
  | { dataType: 'String.Array'; value: string[] };

export interface OutgoingAlert {
  subject: string;
  /** With messageStructure `json`: a JSON object of per-protocol bodies, including `default`. */
  message: string;
  messageStructure?: 'json';
  messageAttributes: Record<string, AlertAttributeValue>;
}

export class SnsPublisher {
  readonly client: SNSClient;
  readonly topicArn: string;

  constructor(options: SnsPublisherOptions) {
    this.client = options.client ?? new SNSClient(options.clientConfig ?? {});
    this.topicArn = options.topicArn;
  }

  get destination(): string {
    return `topic ${this.topicArn}`;
  }

  /** Publishes and returns SNS's message id. */
  async publish(alert: ComposedAlert): Promise<string> {
    const out = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        ...(this.topicArn.endsWith('.fifo') ? fifoOrdering(alert) : {}),
        Subject: alert.subject,
        Message: alert.message,
        MessageStructure: alert.messageStructure,
        MessageAttributes: Object.fromEntries(
          Object.entries(alert.messageAttributes).map(([name, attr]) => [
            name,
            {
              DataType: attr.dataType,
              StringValue: attr.dataType === 'String.Array' ? JSON.stringify(attr.value) : attr.value,
            },
          ]),
        ),
      }),
    );
    return out.MessageId ?? '';
  }
}

/** The message group (the alert's target) and deduplication id (the alert id) a FIFO topic needs. */
function fifoOrdering(alert: ComposedAlert): { MessageGroupId: string; MessageDeduplicationId: string } {
  const { accountId, region } = alert.messageAttributes;
  const group =
    accountId?.dataType === 'String' && region?.dataType === 'String'
      ? `${accountId.value}/${region.value}`
      : alert.alertId;
  return { MessageGroupId: group, MessageDeduplicationId: alert.alertId };
}
