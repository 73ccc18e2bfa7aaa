/** The demo (npm start) shows a change alerted by its CloudTrail event at once, and one found later attributed from CloudTrail. */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

beforeAll(assertCliBuilt);

const section = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));

describe('the demo in real time', () => {
  it("alerts alice's change from its event within seconds, and names bob from CloudTrail in the scheduled run", async () => {
    const result = await runCliAsync(['demo'], { env: { COLUMNS: '200' } });
    expect(result.code, result.stderr).toBe(0);
    const realTime = section(result.stdout, '=== 8.', '=== 9.');
    expect(realTime).toContain('1 scanned, 0 failed');
    expect(realTime).toMatch(/Changed by arn:aws:sts::222222222222:assumed-role\/Admin\/alice at /);
    const seconds = Number(/Alerted ([\d.]+) s after the event arrived/.exec(realTime)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(5);
    const scheduled = section(result.stdout, '=== 9b.', '=== 10.');
    expect(scheduled).toMatch(/Changed by arn:aws:sts::222222222222:assumed-role\/Admin\/bob at /);
  }, 90_000);
});
