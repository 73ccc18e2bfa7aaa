/**
 * Real time: from a signing-configuration write's EventBridge event arriving to its alert
 * published, through the path the Lambda and `run --event` take (settle, coalesce check,
 * one-target run), against the local endpoint with 50 ms added to every call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ECRClient, PutSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { loadDesiredDirectory } from '../../functions/files/load-desired-directory.js';
import { loadPolicySet } from '../../functions/files/load-policy-directory.js';
import { exampleWorld } from '../../functions/local-aws/example-world.js';
import { startLocalAws } from '../../functions/local-aws/server.js';
import { FileDriftStore } from '../../functions/records/file-drift-store.js';
import { runDetector } from '../../functions/run/detector.js';
import { runSigningChange, SETTLE_MS } from '../../functions/run/signing-change-coalescing.js';
import { parseSigningChangeEvent } from '../../functions/run/signing-change-event.js';
import { compiledSigningChangeEventValidator } from '../../functions/run/signing-change-event-validator.js';
import { silentTelemetry } from '../../functions/run/telemetry.js';
import { SCAN_DEFAULTS } from '../../functions/scan/scan-session.js';
import { formatMs, fromTimes } from '../harness.js';
import type { BenchSection } from '../sections.js';

const LATENCY_MS = 50;
const TARGET_MS = 5_000;
const SAMPLES = 5;
const ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alerts';
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
const RELEASE = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing';

export const eventToAlertSection: BenchSection = {
  id: 'event-to-alert',
  title: `Real time: a signing-change event to its published alert, ${LATENCY_MS} ms per AWS call`,
  async run() {
    const world = exampleWorld();
    world.localAws = { ...world.localAws, faults: { rules: [{ latencyMs: LATENCY_MS }] } };
    const localAws = await startLocalAws({ world });
    const records = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-bench-events-'));
    try {
      const { policySet } = await loadPolicySet(resolve('policies'));
      const desired = await loadDesiredDirectory(resolve('policies', 'desired'));
      const config = (runId: string) => ({
        runId,
        trigger: 'signing-change',
        scan: {
          accounts: [{ accountId: ACCOUNT }],
          regions: [REGION],
          roleName: SCAN_DEFAULTS.roleName,
          sessionName: SCAN_DEFAULTS.sessionName,
          homeRegion: REGION,
          callerCredentials: CREDENTIALS,
          endpoint: localAws.url,
          concurrency: 4,
          maxAttempts: SCAN_DEFAULTS.maxAttempts,
          assumeRoleRatePerSecond: SCAN_DEFAULTS.assumeRoleRatePerSecond,
          requestTimeoutMs: 10_000,
          readRepositoryTags: true,
        },
        store: new FileDriftStore({ directory: records }),
        topicArn: TOPIC,
        audit: { policySet, desired, strategy: 'merge' as const },
        remediation: { mode: 'off' as const, accounts: [], maxPerRun: 0 },
        reminderIntervalMs: 24 * 3_600_000,
        telemetry: silentTelemetry,
      });
      await runDetector(config('bench-first'));
      const ecr = await ecrAs(localAws.url, 'alice');
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        // Each write differs from the one before, so each run has a change to alert.
        const filters = [{ filter: `team-${i}/*`, filterType: 'WILDCARD_MATCH' as const }];
        await ecr.send(
          new PutSigningConfigurationCommand({
            signingConfiguration: { rules: [{ signingProfileArn: RELEASE, repositoryFilters: filters }] },
          }),
        );
        const { events } = (await (await fetch(`${localAws.url}/_local/events`)).json()) as {
          events: unknown[];
        };
        const arrived = performance.now();
        const published = localAws.messages().length;
        const request = parseSigningChangeEvent(events.at(-1), compiledSigningChangeEventValidator());
        const outcome = await runSigningChange(request, config(`bench-event-${i}`));
        if (outcome.coalesced || localAws.messages().length === published) {
          throw new Error('event-to-alert bench: the event published no alert');
        }
        times.push(performance.now() - arrived);
      }
      ecr.destroy();
      const measured = fromTimes('event arrives -> alert published (settle included)', times, 'event');
      return {
        measurements: [measured],
        notes: [
          `${SAMPLES} writes through the ECR API as an assumed-role session, each event run as the Lambda runs it; ` +
            `up to ${formatMs(SETTLE_MS + 1_000)} of each is the settling wait (CloudTrail times have whole seconds), the rest the one-target run`,
          `target: under ${formatMs(TARGET_MS)} from arrival to the published alert — ${measured.medianMs < TARGET_MS ? 'met' : 'NOT met'} (median ${formatMs(measured.medianMs)}, p95 ${formatMs(measured.p95Ms)})`,
        ],
      };
    } finally {
      await localAws.close();
      rmSync(records, { recursive: true, force: true });
    }
  },
};

async function ecrAs(endpoint: string, session: string): Promise<ECRClient> {
  const sts = new STSClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, RoleSessionName: session }),
  );
  sts.destroy();
  return new ECRClient({
    endpoint,
    region: REGION,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}
