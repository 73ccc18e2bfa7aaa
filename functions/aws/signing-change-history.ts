/**
 * CloudTrail adapter: who wrote a registry's signing configuration in a time window, from
 * the event history (LookupEvents) of the client's account and region. Built from an
 * injected client or a client config.
 */
import {
  CloudTrailClient,
  type CloudTrailClientConfig,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import type { SigningConfiguration } from '../core/types.js';

export interface SigningChangeHistoryOptions {
  client?: CloudTrailClient;
  clientConfig?: CloudTrailClientConfig;
}

/** The ECR calls that change a registry's signing configuration. */
export const SIGNING_WRITE_EVENTS = ['PutSigningConfiguration', 'DeleteSigningConfiguration'] as const;
export type SigningWriteEventName = (typeof SIGNING_WRITE_EVENTS)[number];

/** One recorded write of the signing configuration. */
export interface SigningConfigurationEvent {
  eventId: string;
  eventName: SigningWriteEventName;
  eventTime: Date;
  /** The principal's ARN (`userIdentity.arn`); the user name when the record carries no ARN. */
  principal: string;
  /** What a put wrote (null for a delete); undefined when the record does not show it. */
  signingConfiguration: SigningConfiguration | null | undefined;
  /** Set when the call failed: it changed nothing. */
  errorCode: string | null;
}

/** LookupEvents' largest page (model: MaxResults 1-50). */
const PAGE_SIZE = 50;

interface CloudTrailRecord {
  userIdentity?: { arn?: string };
  requestParameters?: { signingConfiguration?: SigningConfiguration } | null;
  errorCode?: string;
}

function parseRecord(text: string | undefined): CloudTrailRecord {
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as CloudTrailRecord) : {};
  } catch {
    // A record that is not JSON still tells the event's name, time and user name.
    return {};
  }
}

export class SigningChangeHistory {
  readonly client: CloudTrailClient;

  constructor(options: SigningChangeHistoryOptions = {}) {
    this.client = options.client ?? new CloudTrailClient(options.clientConfig ?? {});
  }

  /**
   * Every signing-configuration write recorded from `from` to `to` (both included), oldest
   * first. LookupEvents takes one attribute, so each event name is its own lookup.
   */
  async writesBetween(from: Date, to: Date): Promise<SigningConfigurationEvent[]> {
    const events: SigningConfigurationEvent[] = [];
    for (const eventName of SIGNING_WRITE_EVENTS) {
      let nextToken: string | undefined;
      do {
        const out = await this.client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
            StartTime: from,
            EndTime: to,
            MaxResults: PAGE_SIZE,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const event of out.Events ?? []) {
          if (event.EventName !== eventName || !event.EventTime) continue;
          const record = parseRecord(event.CloudTrailEvent);
          const put = record.requestParameters?.signingConfiguration;
          events.push({
            eventId: event.EventId ?? '',
            eventName,
            eventTime: event.EventTime,
            principal: record.userIdentity?.arn ?? event.Username ?? 'an unknown principal',
            signingConfiguration: eventName === 'DeleteSigningConfiguration' ? null : put,
            errorCode: record.errorCode ?? null,
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return events.sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  }
}
