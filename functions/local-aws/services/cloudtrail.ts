/**
 * CloudTrail (awsJson1_1, target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101):
 * LookupEvents over the management events the local world recorded (ECR signing writes),
 * per account and region, newest first, with the model's constraints: one lookup
 * attribute, MaxResults 1-50 (50 by default), StartTime not after EndTime, at most 90 days back.
 */
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import { type JsonObject, readInteger, readString } from '../protocols/aws-json.js';
import { type TrailEvent, trailRecord, trailUsername } from '../trail.js';
import type { JsonService, ServiceContext } from './service.js';

const MAX_RESULTS = 50;
const MAX_ATTRIBUTE_VALUE_LENGTH = 2000;
const LOOKBACK_MS = 90 * 24 * 3_600_000;
const LOOKUP_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type LookupKey = (typeof LOOKUP_KEYS)[number];

/** awsJson timestamps are epoch seconds (fractions allowed). */
function readTime(input: JsonObject, key: string): Date | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AwsServiceError('SerializationException', `Member '${key}' must be a timestamp`);
  }
  return new Date(value * 1000);
}

function readLookupAttribute(input: JsonObject): { key: LookupKey; value: string } | null {
  const list = input['LookupAttributes'];
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list)) {
    throw new AwsServiceError('SerializationException', "Member 'LookupAttributes' must be a list");
  }
  if (list.length === 0) return null;
  if (list.length > 1) {
    throw new AwsServiceError(
      'InvalidLookupAttributesException',
      'You cannot specify more than one lookup attribute.',
    );
  }
  const [attribute] = list as JsonObject[];
  const key = attribute?.['AttributeKey'];
  const value = attribute?.['AttributeValue'];
  if (typeof key !== 'string' || !(LOOKUP_KEYS as readonly string[]).includes(key)) {
    throw new AwsServiceError(
      'InvalidLookupAttributesException',
      `The attribute key ${String(key)} is not valid. Valid keys: ${LOOKUP_KEYS.join(', ')}.`,
    );
  }
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    throw new AwsServiceError(
      'InvalidLookupAttributesException',
      `The attribute value must be 1 to ${MAX_ATTRIBUTE_VALUE_LENGTH} characters long.`,
    );
  }
  return { key: key as LookupKey, value };
}

function attributeOf(event: TrailEvent, key: LookupKey): string | null {
  switch (key) {
    case 'EventId':
      return event.eventId;
    case 'EventName':
      return event.eventName;
    case 'ReadOnly':
      return 'false';
    case 'Username':
      return trailUsername(event);
    case 'ResourceType':
    case 'ResourceName':
      // Registry-level ECR calls name no resource in CloudTrail.
      return null;
    case 'EventSource':
      return event.eventSource;
    case 'AccessKeyId':
      return event.accessKeyId;
  }
}

function lookupEvents(input: JsonObject, ctx: ServiceContext): JsonObject {
  const attribute = readLookupAttribute(input);
  const start = readTime(input, 'StartTime');
  const end = readTime(input, 'EndTime');
  const maxResults = readInteger(input, 'MaxResults');
  const nextToken = readString(input, 'NextToken');
  const category = readString(input, 'EventCategory');
  if (category !== undefined && category !== 'insight') {
    throw new AwsServiceError(
      'InvalidEventCategoryException',
      `The event category ${category} is not valid.`,
    );
  }
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_RESULTS)) {
    throw new AwsServiceError(
      'InvalidMaxResultsException',
      `MaxResults must be between 1 and ${MAX_RESULTS}.`,
    );
  }
  if (start && end && start.getTime() > end.getTime()) {
    throw new AwsServiceError('InvalidTimeRangeException', 'Start time must be before or equal to end time.');
  }
  if (end && end.getTime() < ctx.now.getTime() - LOOKBACK_MS) {
    throw new AwsServiceError(
      'InvalidTimeRangeException',
      'The time range is outside the 90 days CloudTrail event history keeps.',
    );
  }
  // No trails with Insights here: the insight category has no events.
  const events =
    category === 'insight'
      ? []
      : ctx.state.trailEvents
          .filter(
            (e) =>
              e.accountId === ctx.caller.accountId &&
              e.region === ctx.region &&
              (!start || e.eventTime.getTime() >= start.getTime()) &&
              (!end || e.eventTime.getTime() <= end.getTime()) &&
              (!attribute || attributeOf(e, attribute.key) === attribute.value),
          )
          .reverse();
  const scope = [
    'cloudtrail:LookupEvents',
    ctx.caller.accountId,
    ctx.region,
    attribute ? `${attribute.key}=${attribute.value}` : '',
    start?.toISOString() ?? '',
    end?.toISOString() ?? '',
  ].join(':');
  const page = paginate(events, {
    pageSize: maxResults ?? MAX_RESULTS,
    token: nextToken,
    scope,
    invalidToken: () =>
      new AwsServiceError(
        'InvalidNextTokenException',
        'The token is not valid, or was used in a request with different parameters.',
      ),
  });
  return {
    Events: page.items.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: 'false',
      AccessKeyId: e.accessKeyId,
      EventTime: e.eventTime.getTime() / 1000,
      EventSource: e.eventSource,
      Username: trailUsername(e),
      Resources: [],
      CloudTrailEvent: JSON.stringify(trailRecord(e)),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export const cloudTrailService: JsonService = {
  name: 'cloudtrail',
  protocol: 'json',
  // The model's metadata prefix, which the AWS CLI v1 sends; SDK v3 sends the service shape's name.
  targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
  targetPrefixAliases: ['CloudTrail_20131101'],
  messageKey: 'Message',
  errors: {
    throttling: { code: 'ThrottlingException', statusCode: 400 },
    serverError: 'InternalFailure',
    accessDenied: { code: 'AccessDeniedException', statusCode: 400 },
  },
  operations: { LookupEvents: lookupEvents },
};
