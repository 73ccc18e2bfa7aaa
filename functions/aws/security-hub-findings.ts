/**
 * Security Hub adapter: imports ASFF findings with BatchImportFindings, at most 100 a call
 * (the API's limit). A finding Security Hub refuses (a FailedFindings entry) is sent again,
 * alone with the other refused ones, up to `retries` times: Security Hub also answers a
 * momentary problem that way. What is still refused after that is returned, not thrown;
 * a failed call (throttled past the SDK's retries, a server error) throws, and the caller
 * sends the whole import again later (Ids are stable, so a repeat updates, never duplicates).
 */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  SecurityHubClient,
  type SecurityHubClientConfig,
} from '@aws-sdk/client-securityhub';

/** BatchImportFindingsRequestFindingList allows 1-100 findings. */
export const MAX_FINDINGS_PER_IMPORT = 100;
const DEFAULT_RETRIES = 2;

export interface SecurityHubFindingsOptions {
  client?: SecurityHubClient;
  clientConfig?: SecurityHubClientConfig;
  /** How many times refused findings are sent again (default 2). */
  retries?: number;
}

/** A finding Security Hub still refused after the retries. */
export interface RefusedFinding {
  id: string;
  errorCode: string;
  errorMessage: string;
}

export interface FindingImportResult {
  imported: number;
  refused: RefusedFinding[];
}

export class SecurityHubFindings {
  readonly client: SecurityHubClient;
  readonly #retries: number;

  constructor(options: SecurityHubFindingsOptions = {}) {
    this.client = options.client ?? new SecurityHubClient(options.clientConfig ?? {});
    this.#retries = options.retries ?? DEFAULT_RETRIES;
  }

  async importFindings(findings: readonly Record<string, unknown>[]): Promise<FindingImportResult> {
    let pending = findings as unknown as readonly AwsSecurityFinding[];
    let refused: RefusedFinding[] = [];
    for (let attempt = 0; attempt <= this.#retries && pending.length > 0; attempt++) {
      refused = [];
      for (let start = 0; start < pending.length; start += MAX_FINDINGS_PER_IMPORT) {
        const batch = pending.slice(start, start + MAX_FINDINGS_PER_IMPORT);
        const out = await this.client.send(new BatchImportFindingsCommand({ Findings: [...batch] }));
        for (const failed of out.FailedFindings ?? []) {
          refused.push({
            id: failed.Id ?? '',
            errorCode: failed.ErrorCode ?? 'Unknown',
            errorMessage: failed.ErrorMessage ?? '',
          });
        }
      }
      const again = new Set(refused.map((r) => r.id));
      pending = pending.filter((f) => again.has(f.Id ?? ''));
    }
    return { imported: findings.length - refused.length, refused };
  }
}
