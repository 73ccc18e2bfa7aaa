/**
 * SNS adapter: publishes one composed alert. String.Array attributes carry JSON
 * arrays as SNS expects, so subscription filter policies can match any element.
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
