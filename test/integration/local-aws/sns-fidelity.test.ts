import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { SnsPublisher } from '../../../functions/aws/sns-publisher.js';
import { composeAlertMessage } from '../../../functions/core/alerts/index.js';
import { eventOf, target } from '../../unit/alerts/alert-fixtures.js';
import { CALLER, clientConfig, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const ALERTS = `arn:aws:sns:us-east-1:${CALLER}:drift-alerts`;
const FIFO_ALERTS = `arn:aws:sns:us-east-1:${CALLER}:drift-alerts.fifo`;
const localAws = useLocalAws(worldWith([], { callerAccountId: CALLER, snsTopicArns: [ALERTS, FIFO_ALERTS] }));

function sns(): SNSClient {
  return new SNSClient(clientConfig(localAws.current));
}

describe('SNS message attributes', () => {
  it.each(['12', '-3.5', '1e10', '.5'])('accepts %s as a Number', async (value) => {
    await expect(
      sns().send(
        new PublishCommand({
          TopicArn: ALERTS,
          Message: 'drift',
          MessageAttributes: { findings: { DataType: 'Number', StringValue: value } },
        }),
      ),
    ).resolves.toMatchObject({ MessageId: expect.any(String) });
  });

  it.each(['two', '1,5', '0x10', 'Infinity', '1e999'])(
    'rejects %s as a Number with ParameterValueInvalid',
    async (value) => {
      const error = await rejectionOf(
        sns().send(
          new PublishCommand({
            TopicArn: ALERTS,
            Message: 'drift',
            MessageAttributes: { findings: { DataType: 'Number.count', StringValue: value } },
          }),
        ),
      );
      expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
        'InvalidParameterValueException',
        400,
        "Could not cast message attribute 'findings' value to number.",
      ]);
      expect(localAws.current.messages()).toEqual([]);
    },
  );

  it('rejects a data type outside String, Number and Binary with ParameterValueInvalid', async () => {
    const error = await rejectionOf(
      sns().send(
        new PublishCommand({
          TopicArn: ALERTS,
          Message: 'drift',
          MessageAttributes: { findings: { DataType: 'Integer', StringValue: '2' } },
        }),
      ),
    );
    expect([error.name, error.message]).toEqual([
      'InvalidParameterValueException',
      "The message attribute 'findings' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    ]);
  });
});

describe('SNS FIFO topics', () => {
  it('refuses a publish to a FIFO topic without a MessageGroupId', async () => {
    const error = await rejectionOf(
      sns().send(
        new PublishCommand({ TopicArn: FIFO_ALERTS, Message: 'drift', MessageDeduplicationId: 'd-1' }),
      ),
    );
    expect([error.name, error.message]).toEqual([
      'InvalidParameterException',
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    ]);
  });

  it('refuses a publish to a FIFO topic without deduplication, and a deduplication id on a standard topic', async () => {
    const fifo = await rejectionOf(
      sns().send(new PublishCommand({ TopicArn: FIFO_ALERTS, Message: 'drift', MessageGroupId: 'g' })),
    );
    expect(fifo.message).toBe(
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const standard = await rejectionOf(
      sns().send(new PublishCommand({ TopicArn: ALERTS, Message: 'drift', MessageDeduplicationId: 'd-1' })),
    );
    expect(standard.name).toBe('InvalidParameterException');
  });

  it('records the message group and deduplication id of an accepted FIFO publish', async () => {
    await sns().send(
      new PublishCommand({
        TopicArn: FIFO_ALERTS,
        Message: 'drift',
        MessageGroupId: '111122223333/us-east-1',
        MessageDeduplicationId: 'alert-1',
      }),
    );
    expect(localAws.current.messages()).toEqual([
      expect.objectContaining({
        messageGroupId: '111122223333/us-east-1',
        messageDeduplicationId: 'alert-1',
      }),
    ]);
  });

  it('creates a .fifo topic only with the FifoTopic attribute, and FifoTopic only for a .fifo name', async () => {
    const withoutAttribute = await rejectionOf(sns().send(new CreateTopicCommand({ Name: 'ops.fifo' })));
    expect(withoutAttribute.name).toBe('InvalidParameterException');
    const withoutSuffix = await rejectionOf(
      sns().send(new CreateTopicCommand({ Name: 'ops', Attributes: { FifoTopic: 'true' } })),
    );
    expect(withoutSuffix.name).toBe('InvalidParameterException');
    const created = await sns().send(
      new CreateTopicCommand({
        Name: 'ops.fifo',
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    expect(created.TopicArn).toBe(`arn:aws:sns:us-east-1:${CALLER}:ops.fifo`);
    // Content-based deduplication: a group id is enough.
    await expect(
      sns().send(new PublishCommand({ TopicArn: created.TopicArn, Message: 'drift', MessageGroupId: 'g' })),
    ).resolves.toMatchObject({ MessageId: expect.any(String) });
  });

  it("publishes the product's alert to a FIFO topic in its target's group, deduplicated by alert id", async () => {
    const alert = composeAlertMessage({ runId: 'run-1', target, events: [eventOf('finding.opened')] });
    await new SnsPublisher({ client: sns(), topicArn: FIFO_ALERTS }).publish(alert);
    expect(localAws.current.messages()).toEqual([
      expect.objectContaining({
        topicArn: FIFO_ALERTS,
        messageGroupId: `${target.accountId}/${target.region}`,
        messageDeduplicationId: alert.alertId,
      }),
    ]);
  });
});

describe('SNS topic names', () => {
  it('creates a topic with a 256-character name and refuses 257 characters', async () => {
    const longest = 'a'.repeat(256);
    const created = await sns().send(new CreateTopicCommand({ Name: longest }));
    expect(created.TopicArn).toBe(`arn:aws:sns:us-east-1:${CALLER}:${longest}`);
    const error = await rejectionOf(sns().send(new CreateTopicCommand({ Name: 'a'.repeat(257) })));
    expect([error.name, error.message]).toEqual([
      'InvalidParameterException',
      'Invalid parameter: Topic Name',
    ]);
  });

  it('counts the .fifo suffix within the 256 characters', async () => {
    const attributes = { FifoTopic: 'true' };
    await expect(
      sns().send(new CreateTopicCommand({ Name: `${'a'.repeat(251)}.fifo`, Attributes: attributes })),
    ).resolves.toMatchObject({ TopicArn: expect.stringMatching(/\.fifo$/) });
    const error = await rejectionOf(
      sns().send(new CreateTopicCommand({ Name: `${'a'.repeat(252)}.fifo`, Attributes: attributes })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });
});
