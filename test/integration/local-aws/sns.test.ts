import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  paginateListTopics,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { CALLER, clientConfig, getJson, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const ALERTS = `arn:aws:sns:us-east-1:${CALLER}:drift-alerts`;
const localAws = useLocalAws(worldWith([], { callerAccountId: CALLER, snsTopicArns: [ALERTS] }));

function sns(region = 'us-east-1'): SNSClient {
  return new SNSClient(clientConfig(localAws.current, { region }));
}

describe('SNS', () => {
  it('creates a topic once and lists it with the topics the world starts with', async () => {
    const first = await sns().send(new CreateTopicCommand({ Name: 'ops' }));
    const second = await sns().send(new CreateTopicCommand({ Name: 'ops' }));
    expect(first.TopicArn).toBe(`arn:aws:sns:us-east-1:${CALLER}:ops`);
    expect(second.TopicArn).toBe(first.TopicArn);
    const listed = await sns().send(new ListTopicsCommand({}));
    expect(listed.Topics?.map((t) => t.TopicArn)).toEqual([ALERTS, first.TopicArn]);
  });

  it('pages ListTopics 100 topics at a time', async () => {
    const client = sns();
    await Promise.all(
      Array.from({ length: 149 }, (_, i) => client.send(new CreateTopicCommand({ Name: `topic-${i}` }))),
    );
    const pageSizes: number[] = [];
    for await (const page of paginateListTopics({ client: sns() }, {}))
      pageSizes.push(page.Topics?.length ?? 0);
    expect(pageSizes).toEqual([100, 50]);
  });

  it('records a publish with its subject, structure and message attributes in /_local/sns/messages', async () => {
    const message = JSON.stringify({ default: 'drift found', email: 'drift found in 2 registries' });
    const out = await sns().send(
      new PublishCommand({
        TopicArn: ALERTS,
        Subject: 'ECR signing drift',
        Message: message,
        MessageStructure: 'json',
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'high' },
          findings: { DataType: 'Number', StringValue: '2' },
        },
      }),
    );
    const body = (await getJson(`${localAws.current.url}/_local/sns/messages`)) as { messages: unknown[] };
    expect(body.messages).toEqual([
      {
        messageId: out.MessageId,
        topicArn: ALERTS,
        subject: 'ECR signing drift',
        message,
        messageStructure: 'json',
        messageAttributes: {
          severity: { DataType: 'String', StringValue: 'high' },
          findings: { DataType: 'Number', StringValue: '2' },
        },
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
  });

  it('answers NotFound (404) to a publish to a topic that does not exist', async () => {
    const error = await rejectionOf(
      sns().send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${CALLER}:missing`, Message: 'x' })),
    );
    expect(error.name).toBe('NotFoundException');
    expect((error as unknown as { Code: string }).Code).toBe('NotFound');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(localAws.current.messages()).toEqual([]);
  });

  it('rejects a message over 256 KB with InvalidParameter', async () => {
    const error = await rejectionOf(
      sns().send(new PublishCommand({ TopicArn: ALERTS, Message: 'x'.repeat(262_145) })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe('Invalid parameter: Message too long');
  });

  it('accepts a message of exactly 256 KB', async () => {
    await sns().send(new PublishCommand({ TopicArn: ALERTS, Message: 'x'.repeat(262_144) }));
    expect(localAws.current.messages()).toHaveLength(1);
  });

  it('rejects a subject over 100 characters and a json structure without a default entry', async () => {
    const longSubject = await rejectionOf(
      sns().send(new PublishCommand({ TopicArn: ALERTS, Message: 'x', Subject: 's'.repeat(101) })),
    );
    expect(longSubject.message).toBe('Invalid parameter: Subject');
    const noDefault = await rejectionOf(
      sns().send(
        new PublishCommand({ TopicArn: ALERTS, Message: '{"email":"x"}', MessageStructure: 'json' }),
      ),
    );
    expect(noDefault.name).toBe('InvalidParameterException');
  });

  it('rejects a topic ARN of another region with InvalidParameter', async () => {
    const error = await rejectionOf(
      sns('eu-west-1').send(new PublishCommand({ TopicArn: ALERTS, Message: 'x' })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('subscribes an endpoint and lists the subscription', async () => {
    const out = await sns().send(
      new SubscribeCommand({
        TopicArn: ALERTS,
        Protocol: 'https',
        Endpoint: 'https://example.com/hook',
        ReturnSubscriptionArn: true,
      }),
    );
    expect(out.SubscriptionArn).toMatch(new RegExp(`^${ALERTS}:`));
    const listed = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: ALERTS }));
    expect(listed.Subscriptions).toEqual([
      {
        SubscriptionArn: out.SubscriptionArn,
        Owner: CALLER,
        Protocol: 'https',
        Endpoint: 'https://example.com/hook',
        TopicArn: ALERTS,
      },
    ]);
  });
});
