/**
 * kill -9 at seeded random points of `ecr-sign-drift run`, twenty times, then a run that
 * completes. What the README promises: every alert is delivered at least once, the same
 * transitions always carry the same alertId (so a subscriber that deduplicates on it sees
 * each once), and a dead run's leases stall nobody.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../functions/local-aws/faults.js';
import {
  ALERTED_TARGETS,
  createTopic,
  machineBody,
  targetOf,
  temporaryDirectory,
  useExampleWorld,
} from '../integration/run/helpers.js';
import { assertCliBuilt, CLI, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);

const ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCRASH', AWS_SECRET_ACCESS_KEY: 'local', NO_COLOR: '1' };
const KILLS = 20;

/** Starts a run and kills it with SIGKILL after `afterMs` (or lets it finish if it is faster). */
async function killedRun(args: string[], afterMs: number): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], { env: ENV, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([sleep(afterMs), exited]);
  child.kill('SIGKILL');
  await exited;
}

describe('runs killed at random points', () => {
  it('deliver every alert, give the same transitions one alertId, and never stall the next run', async () => {
    const aws = localAws.current;
    const topicArn = await createTopic(aws, 'crash-alerts');
    const directory = await temporaryDirectory('cli-crash-');
    // Latency spreads the run over time, so kills land in scanning, recording and publishing.
    aws.setFaults({
      rules: [
        { service: 'ecr', latencyMs: 15 },
        { service: 'sns', operation: 'Publish', latencyMs: 40 },
      ],
    });
    const args = ['run', '--endpoint-url', aws.url, '--org', '--regions', 'us-east-1,eu-west-1'];
    const run = [...args, '--store', `file:${directory}`, '--topic-arn', topicArn, '--concurrency', '2'];
    const random = seededRandom(20261203);

    for (let kill = 0; kill < KILLS; kill++) await killedRun(run, 150 + Math.floor(random() * 900));
    const completed = await runCliAsync([...run, '--format', 'json'], { env: ENV });

    expect(completed.code, completed.stderr).toBe(3); // the example world's denied account
    const summary = JSON.parse(completed.stdout).summary as { targets: { skipped: number } };
    expect(summary.targets.skipped).toBe(0);
    const messages = aws.messages().filter((m) => m.topicArn === topicArn);
    // At least once: every target with something to say was told.
    expect([...new Set(messages.map(targetOf))].sort()).toEqual([...ALERTED_TARGETS].sort());
    // Exactly once per alertId: a transition told twice was told under the same id.
    const idsByTransition = new Map<string, Set<string>>();
    for (const message of messages) {
      const body = machineBody(message);
      expect(message.messageAttributes['alertId']?.StringValue).toBe(body.alertId);
      for (const event of body.events) {
        const fingerprint = 'fingerprint' in event ? event.fingerprint : '';
        const transition = `${targetOf(message)} ${event.type} ${fingerprint}`;
        idsByTransition.set(transition, (idsByTransition.get(transition) ?? new Set()).add(body.alertId));
      }
    }
    const toldUnderSeveralIds = [...idsByTransition].filter(([, ids]) => ids.size > 1).map(([t]) => t);
    expect(toldUnderSeveralIds).toEqual([]);
  }, 180_000);
});
