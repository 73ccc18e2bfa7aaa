/** The markdown report shows names and filters literally: nothing in them becomes emphasis, links or HTML. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './run-cli.js';

let scratch: string;
beforeAll(() => {
  assertCliBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-markdown-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PROFILE = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing';

/** A registry whose only rule signs `team_a/*`: the shipped desired configuration wants `*prod*` too. */
function snapshot(): string {
  const path = join(scratch, 'snapshot.json');
  writeFileSync(
    path,
    JSON.stringify({
      snapshotVersion: 1,
      registries: [
        {
          accountId: '111122223333',
          region: 'us-east-1',
          account: { name: '*prod* <b>team</b>' },
          signingConfiguration: {
            rules: [
              {
                signingProfileArn: PROFILE,
                repositoryFilters: [{ filter: 'team_a/*', filterType: 'WILDCARD_MATCH' }],
              },
            ],
          },
          repositories: [{ repositoryName: 'team_b/web_prod' }],
          signingProfiles: [
            { profileArn: PROFILE, status: 'Active', platformId: 'Notation-OCI-SHA384-ECDSA' },
          ],
        },
      ],
    }),
  );
  return path;
}

/** The text outside code spans (where CommonMark would interpret `*`, `_`, `<` …). */
function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(`+)[^`]*?\1/g, '');
}

describe('audit --format markdown', () => {
  const render = () =>
    runCli(['audit', '--snapshot', snapshot(), '--format', 'markdown', '--fail-on', 'critical']);

  it('escapes the wildcards of filters, so *prod* is not rendered italic', () => {
    const result = render();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("missing filter '\\*prod\\*'");
    expect(result.stdout).not.toMatch(/(?<!\\)\*prod(?<!\\)\*/);
  });

  it('escapes underscores, angle brackets and the account name, and keeps repository names in code spans', () => {
    const { stdout } = render();
    expect(stdout).toContain('## 111122223333/us-east-1 (\\*prod\\* \\<b\\>team\\</b\\>)');
    expect(stdout).toContain('| `team_b/web_prod` |');
    expect(stdout).toContain('ecr\\_release\\_signing');
    // No special character is left unescaped outside code spans, apart from the table's own pipes and the bold markers.
    const prose = outsideCodeSpans(stdout).replace(/\*\*[A-Za-z ()]+:?\*\*/g, '');
    expect(prose).not.toMatch(/(?<!\\)[*_<>[\]~]/);
  });
});
