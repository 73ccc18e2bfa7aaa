/**
 * SNS (awsQuery, XML): topics per account and region, and Publish with the checks SNS
 * makes; every accepted publish is recorded for GET /_local/sns/messages.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import { type QueryParams, readQueryEntries, type XmlObject } from '../protocols/aws-query.js';
import type { MessageAttribute, TopicRecord } from '../state.js';
import type { QueryService, ServiceContext } from './service.js';

/** Topic names: 1-256 letters, digits, `_` and `-`; a FIFO topic's name ends in `.fifo` (within the 256). */
const TOPIC_NAME = /^(?:[A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\.fifo)$/;
const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_.-]+)$/;
/** 256 KB for the message and its attributes together. */
const MAX_MESSAGE_BYTES = 262_144;
const MAX_SUBJECT_LENGTH = 100;
/** Printable ASCII without line breaks, as SNS requires of subjects. */
const SUBJECT = /^[\x20-\x7e]+$/;
const MAX_MESSAGE_ATTRIBUTES = 10;
const PAGE_SIZE = 100;
const PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'];
/** Subscriptions that wait for the endpoint to confirm. */
const CONFIRMED_LATER = ['http', 'https', 'email', 'email-json'];
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
/** What SNS accepts as a Number attribute: an integer or decimal, optionally signed and with an exponent. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** MessageGroupId and MessageDeduplicationId: up to 128 alphanumeric and punctuation characters. */
const MESSAGE_ID_TOKEN = /^[\x21-\x7e]{1,128}$/;

function invalidParameter(detail: string): AwsServiceError {
  return new AwsServiceError('InvalidParameter', `Invalid parameter: ${detail}`);
}

/** The existing topic an ARN names, checked against the request's region like SNS does. */
function existingTopic(ctx: ServiceContext, topicArn: string, parameter: string): TopicRecord {
  const m = TOPIC_ARN.exec(topicArn);
  if (!m || m[1] !== ctx.region) throw invalidParameter(parameter);
  const topic = ctx.state.topics.get(topicArn);
  if (!topic) throw new AwsServiceError('NotFound', 'Topic does not exist', { statusCode: 404 });
  return topic;
}

function invalidParameterValue(message: string): AwsServiceError {
  return new AwsServiceError('ParameterValueInvalid', message);
}

/** CreateTopic's `Attributes` map (`Attributes.entry.N.key` / `.value`). */
function readTopicAttributes(params: QueryParams): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const entry of readQueryEntries(params, 'Attributes.entry')) {
    const key = entry.get('key');
    if (key !== undefined) attributes.set(key, entry.get('value') ?? '');
  }
  return attributes;
}

function invalidNextToken(): AwsServiceError {
  return invalidParameter('NextToken');
}

function createTopic(params: QueryParams, ctx: ServiceContext): XmlObject {
  const name = params.get('Name') ?? '';
  if (!TOPIC_NAME.test(name)) {
    throw invalidParameter('Topic Name');
  }
  const attributes = readTopicAttributes(params);
  const fifo = attributes.get('FifoTopic') === 'true';
  // The `.fifo` suffix and the FifoTopic attribute go together, either way round.
  if (fifo !== name.endsWith('.fifo')) {
    throw invalidParameter(
      fifo
        ? 'Topic Name: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
        : 'Topic Name: A topic name ending in .fifo needs the FifoTopic attribute set to true.',
    );
  }
  const topicArn = `arn:aws:sns:${ctx.region}:${ctx.caller.accountId}:${name}`;
  // Creating an existing topic returns it unchanged.
  if (!ctx.state.topics.has(topicArn)) {
    const contentBasedDeduplication = fifo && attributes.get('ContentBasedDeduplication') === 'true';
    ctx.state.topics.set(topicArn, {
      topicArn,
      subscriptions: [],
      ...(fifo ? { fifo, contentBasedDeduplication } : {}),
    });
  }
  return { TopicArn: topicArn };
}

function listTopics(params: QueryParams, ctx: ServiceContext): XmlObject {
  const own = `arn:aws:sns:${ctx.region}:${ctx.caller.accountId}:`;
  const arns = [...ctx.state.topics.keys()].filter((arn) => arn.startsWith(own));
  const page = paginate(arns, {
    pageSize: PAGE_SIZE,
    token: params.get('NextToken'),
    scope: `sns:ListTopics:${own}`,
    invalidToken: invalidNextToken,
  });
  return { Topics: page.items.map((TopicArn) => ({ TopicArn })), NextToken: page.nextToken };
}

function readMessageAttributes(params: QueryParams): Record<string, MessageAttribute> {
  const entries = readQueryEntries(params, 'MessageAttributes.entry');
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameter(
      `MessageAttributes: Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, MessageAttribute> = {};
  for (const entry of entries) {
    const name = entry.get('Name');
    const dataType = entry.get('Value.DataType');
    if (!name) throw invalidParameter('MessageAttributes: name must not be empty');
    if (!dataType || !DATA_TYPE.test(dataType)) {
      throw invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const stringValue = entry.get('Value.StringValue');
    const binaryValue = entry.get('Value.BinaryValue');
    const value = dataType.startsWith('Binary') ? binaryValue : stringValue;
    if (value === undefined || value === '') {
      throw invalidParameter(
        `MessageAttributes: message attribute '${name}' must contain a non-empty value of message attribute type '${dataType}'`,
      );
    }
    if (dataType.startsWith('Number') && !(NUMBER.test(value) && Number.isFinite(Number(value)))) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    attributes[name] = {
      DataType: dataType,
      ...(stringValue !== undefined ? { StringValue: stringValue } : {}),
      ...(binaryValue !== undefined ? { BinaryValue: binaryValue } : {}),
    };
  }
  return attributes;
}

function messageBytes(message: string, attributes: Record<string, MessageAttribute>): number {
  let bytes = Buffer.byteLength(message);
  for (const [name, a] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    bytes += Buffer.byteLength(a.StringValue ?? '') + Buffer.byteLength(a.BinaryValue ?? '', 'base64');
  }
  return bytes;
}

function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    // SNS's own wording; the parser's message would not help the caller.
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as Record<string, unknown>)['default'] !== 'string'
  ) {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
}

function publish(params: QueryParams, ctx: ServiceContext): XmlObject {
  if (params.has('PhoneNumber'))
    throw invalidParameter('PhoneNumber: SMS is not supported by the local endpoint');
  const topicArn = params.get('TopicArn') ?? params.get('TargetArn');
  if (!topicArn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  const message = params.get('Message') ?? '';
  const subject = params.get('Subject');
  const messageStructure = params.get('MessageStructure');
  const topic = existingTopic(ctx, topicArn, 'TopicArn');
  if (message === '') throw invalidParameter('Empty message');
  if (subject !== undefined && (subject.length > MAX_SUBJECT_LENGTH || !SUBJECT.test(subject))) {
    throw invalidParameter('Subject');
  }
  if (messageStructure !== undefined) {
    if (messageStructure !== 'json') throw invalidParameter('MessageStructure');
    checkJsonStructure(message);
  }
  const messageAttributes = readMessageAttributes(params);
  if (messageBytes(message, messageAttributes) > MAX_MESSAGE_BYTES)
    throw invalidParameter('Message too long');
  const ordering = fifoOrdering(params, topic, message);
  const messageId = randomUUID();
  ctx.state.messages.push({
    messageId,
    topicArn: topic.topicArn,
    subject: subject ?? null,
    message,
    messageStructure: messageStructure ?? null,
    messageAttributes,
    timestamp: ctx.now.toISOString(),
    ...ordering,
  });
  return { MessageId: messageId };
}

/**
 * FIFO rules: a publish to a FIFO topic names its message group, and a deduplication id unless
 * the topic deduplicates by content; a standard topic takes no deduplication id. A group id
 * given to a standard topic is allowed (fair queues) under the same character rules.
 */
function fifoOrdering(
  params: QueryParams,
  topic: TopicRecord,
  message: string,
): { messageGroupId?: string; messageDeduplicationId?: string } {
  const messageGroupId = params.get('MessageGroupId');
  const deduplicationId = params.get('MessageDeduplicationId');
  for (const [parameter, value] of [
    ['MessageGroupId', messageGroupId],
    ['MessageDeduplicationId', deduplicationId],
  ] as const) {
    if (value !== undefined && !MESSAGE_ID_TOKEN.test(value)) {
      throw invalidParameter(
        `${parameter} Reason: ${parameter} can contain up to 128 alphanumeric and punctuation characters`,
      );
    }
  }
  if (!topic.fifo) {
    if (deduplicationId !== undefined) {
      throw invalidParameter(
        'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    return messageGroupId !== undefined ? { messageGroupId } : {};
  }
  if (messageGroupId === undefined) {
    throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  }
  if (deduplicationId === undefined && !topic.contentBasedDeduplication) {
    throw invalidParameter(
      'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
  const messageDeduplicationId = deduplicationId ?? createHash('sha256').update(message).digest('hex');
  return { messageGroupId, messageDeduplicationId };
}

function subscribe(params: QueryParams, ctx: ServiceContext): XmlObject {
  const topic = existingTopic(ctx, params.get('TopicArn') ?? '', 'TopicArn');
  const protocol = params.get('Protocol') ?? '';
  if (!PROTOCOLS.includes(protocol)) throw invalidParameter(`Invalid protocol type: ${protocol}`);
  const endpoint = params.get('Endpoint') ?? '';
  const subscriptionArn = `${topic.topicArn}:${randomUUID()}`;
  topic.subscriptions.push({ subscriptionArn, protocol, endpoint, owner: ctx.caller.accountId });
  const pending = CONFIRMED_LATER.includes(protocol) && params.get('ReturnSubscriptionArn') !== 'true';
  return { SubscriptionArn: pending ? 'pending confirmation' : subscriptionArn };
}

function listSubscriptionsByTopic(params: QueryParams, ctx: ServiceContext): XmlObject {
  const topic = existingTopic(ctx, params.get('TopicArn') ?? '', 'TopicArn');
  const page = paginate(topic.subscriptions, {
    pageSize: PAGE_SIZE,
    token: params.get('NextToken'),
    scope: `sns:ListSubscriptionsByTopic:${topic.topicArn}`,
    invalidToken: invalidNextToken,
  });
  return {
    Subscriptions: page.items.map((s) => ({
      SubscriptionArn: s.subscriptionArn,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: topic.topicArn,
    })),
    NextToken: page.nextToken,
  };
}

export const snsService: QueryService = {
  name: 'sns',
  protocol: 'query',
  version: '2010-03-31',
  xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  errors: {
    throttling: { code: 'Throttled', statusCode: 429 },
    serverError: 'InternalError',
    accessDenied: { code: 'AuthorizationError', statusCode: 403 },
    // The query protocol's name for it; STS, although also query, uses ExpiredTokenException.
    expiredToken: 'ExpiredToken',
  },
  operations: {
    CreateTopic: createTopic,
    ListTopics: listTopics,
    Publish: publish,
    Subscribe: subscribe,
    ListSubscriptionsByTopic: listSubscriptionsByTopic,
  },
};
