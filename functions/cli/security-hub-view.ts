/**
 * What the demo shows of Security Hub after each run: the findings that arrived, those
 * archived, and the totals, read back through GetFindings as a console user would see them.
 */
import {
  type AwsSecurityFinding,
  GetFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';

export class SecurityHubView {
  readonly #client: SecurityHubClient;
  /** RecordState by finding Id, as last shown. */
  readonly #shown = new Map<string, string>();

  constructor(client: SecurityHubClient) {
    this.#client = client;
  }

  /** Lines telling what changed in Security Hub since the last call. */
  async changes(): Promise<string[]> {
    const findings = await this.#all();
    const arrived = findings.filter((f) => !this.#shown.has(f.Id!));
    const archived = findings.filter(
      (f) => f.RecordState === 'ARCHIVED' && this.#shown.get(f.Id!) === 'ACTIVE',
    );
    for (const f of findings) this.#shown.set(f.Id!, f.RecordState ?? 'ACTIVE');
    const active = findings.filter((f) => f.RecordState !== 'ARCHIVED').length;
    const lines = [
      `Security Hub: ${arrived.length} finding${arrived.length === 1 ? '' : 's'} arrived, ${archived.length} archived; ${active} active, ${findings.length - active} archived in all`,
    ];
    for (const f of archived)
      lines.push(`  archived (${f.Compliance?.Status}): ${f.Title}: ${resourceOf(f)}`);
    return lines;
  }

  async #all(): Promise<AwsSecurityFinding[]> {
    const all: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const out = await this.#client.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      all.push(...(out.Findings ?? []));
      token = out.NextToken;
    } while (token);
    return all;
  }
}

function resourceOf(finding: AwsSecurityFinding): string {
  const resource = finding.Resources?.[0];
  return resource?.Type === 'Other' ? `registry ${resource.Id}/${resource.Region}` : (resource?.Id ?? '');
}
