/**
 * Who changed a registry's signing configuration, as CloudTrail recorded the write: what
 * alerts about the change say, and what the records keep beside the configuration.
 */

export interface ChangedBy {
  /** `userIdentity.arn`: for an assumed role, the session (`…:assumed-role/<role>/<session>`). */
  principalArn: string;
  /** `userIdentity.type`: AssumedRole, IAMUser, Root, AWSService, FederatedUser, … */
  principalType: string;
  /** For an assumed role: the role the session was issued by. */
  roleArn?: string;
  /** For an assumed role: the session name (often the person's name or the tool's). */
  sessionName?: string;
  eventName: string;
  /** ISO-8601, as CloudTrail recorded it. */
  eventTime: string;
  eventId: string;
  sourceIPAddress?: string;
  userAgent?: string;
  /** The write was this tool's own (its role session): a remediation or rollback. */
  byThisTool: boolean;
}

/** The write found, or null with the reason none is named (never a guess). */
export type ChangeAttribution = { changedBy: ChangedBy } | { changedBy: null; reason: string };

/**
 * The SNS attribute value subscribers filter on (`changedByType`): the principal type,
 * `ecr-sign-drift` for the tool's own writes, `Unknown` when no write was found.
 */
export function changedByTypeOf(changedBy: ChangedBy | null): string {
  if (changedBy === null) return 'Unknown';
  return changedBy.byThisTool ? 'ecr-sign-drift' : changedBy.principalType;
}
