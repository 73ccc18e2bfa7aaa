/** The demo (npm start) shows the findings arriving in the local Security Hub and archived once resolved. */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

beforeAll(assertCliBuilt);

describe('the demo with Security Hub', () => {
  it('shows findings arriving in Security Hub, none for the quiet run, and archived ones after remediation', async () => {
    const result = await runCliAsync(['demo'], { env: { COLUMNS: '200' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('Security Hub: '));
    expect(lines).toHaveLength(5);
    const [first, quiet, , , resolved] = lines;
    expect(first).toMatch(/^Security Hub: [1-9]\d* findings arrived, 0 archived/);
    expect(quiet).toMatch(/^Security Hub: 0 findings arrived, 0 archived/);
    expect(resolved).toMatch(/^Security Hub: 0 findings arrived, [1-9]\d* archived/);
    const afterRemediation = result.stdout.slice(result.stdout.indexOf('=== 7.'));
    expect(afterRemediation).toMatch(
      / {2}archived \(PASSED\): .+ arn:aws:ecr:us-east-1:222222222222:repository\//,
    );
  }, 90_000);
});
