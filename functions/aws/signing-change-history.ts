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
  /** Awaited before each LookupEvents (CloudTrail allows 2 a second per account and region). */
  beforeCall?: () => Promise<void>;
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
  /** `userIdentity.type` (AssumedRole, IAMUser, Root, AWSService, …); `Unknown` when absent. */
  principalType: string;
  /** For an assumed role: the role that issued the session. */
  roleArn?: string;
  /** For an assumed role: the session name (the last part of the session ARN). */
  sessionName?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  /** What a put wrote (null for a delete); undefined when the record does not show it. */
  signingConfiguration: SigningConfiguration | null | undefined;
  /** Set when the call failed: it changed nothing. */
  errorCode: string | null;
}

/** LookupEvents' largest page (model: MaxResults 1-50). */
const PAGE_SIZE = 50;

interface CloudTrailRecord {
  userIdentity?: { arn?: string; type?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
  sourceIPAddress?: string;
  userAgent?: string;
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
  readonly #beforeCall: () => Promise<void>;

  constructor(options: SigningChangeHistoryOptions = {}) {
    this.client = options.client ?? new CloudTrailClient(options.clientConfig ?? {});
    this.#beforeCall = options.beforeCall ?? (() => Promise.resolve());
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
        await this.#beforeCall();
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
          const identity = record.userIdentity;
          const roleArn = identity?.sessionContext?.sessionIssuer?.arn;
          const principal = identity?.arn ?? event.Username ?? 'an unknown principal';
          events.push({
            eventId: event.EventId ?? '',
            eventName,
            eventTime: event.EventTime,
            principal,
            principalType: identity?.type ?? 'Unknown',
            ...(roleArn ? { roleArn } : {}),
            ...(identity?.type === 'AssumedRole' ? { sessionName: principal.split('/').pop() ?? '' } : {}),
            ...(record.sourceIPAddress ? { sourceIPAddress: record.sourceIPAddress } : {}),
            ...(record.userAgent ? { userAgent: record.userAgent } : {}),
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
