/**
 * `ecr-sign-drift demo` (what `npm start` runs): the main job on the embedded default.
 * Starts the local AWS endpoint with the bundled example organization and runs, through
 * the real SDK clients and the production code path, a live audit and then the scheduled
 * job's lifecycle: findings opened -> alerted -> a change made through the API -> remediated -> resolved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ECRClient, PutSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultStateDirectory } from '../../config/state-directory.js';
import { auditRegistries, auditRegistriesWithCoverage } from '../../core/audit.js';
import { renderReport, runTrend } from '../../core/report/index.js';
import { writeFileAtomically } from '../../files/write-file-atomically.js';
import { exampleWorld } from '../../local-aws/example-world.js';
import { startLocalAws } from '../../local-aws/server.js';
import { loadWorldFile } from '../../local-aws/world.js';
import { FileDriftStore } from '../../records/file-drift-store.js';
import { runDetector } from '../../run/detector.js';
import { newRunId } from '../../run/run-id.js';
import type { RunSummary, TargetResult } from '../../run/run-types.js';
import { runSigningChange } from '../../run/signing-change-coalescing.js';
import { parseSigningChangeEvent } from '../../run/signing-change-event.js';
import { compiledSigningChangeEventValidator } from '../../run/signing-change-event-validator.js';
import { silentTelemetry } from '../../run/telemetry.js';
import { SCAN_DEFAULTS, type ScanConfig, ScanSession } from '../../scan/scan-session.js';
import { loadAuditInputs } from '../audit-inputs.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from '../flags.js';
import { renderRunSummary, scanErrorKey } from '../run-summary-text.js';
import { SecurityHubView } from '../security-hub-view.js';
import { subscriberView } from '../subscriber-view.js';
import { TOOL_VERSION } from '../version.js';
import { outputWidth, wrapText } from '../wrap-text.js';

const usage = `Usage: ecr-sign-drift demo [--world FILE] [--policies DIR]

Runs the main job on the embedded default: starts the local AWS endpoint on 127.0.0.1
with the bundled example organization (or --world FILE), audits every account and region
live through the AWS SDK, then runs the scheduled job five times to show the alert
lifecycle: findings opened and alerted, a quiet second run, a change made through the
ECR API, remediation applied, findings resolved. The runs import their findings into the
local Security Hub too (--security-hub): they arrive, and are archived once resolved. Then
it writes the HTML report of the audit and those runs (audit --format html) and prints its
path. No AWS account and no network are used.`;

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alerts';
const DRIFTING_ACCOUNT = '222222222222';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('demo', args, { world: { type: 'string' }, policies: { type: 'string' } });
  const inputs = await loadAuditInputs({
    cwd: io.cwd,
    ...(values.policies ? { policies: values.policies } : {}),
  });
  const world = values.world ? await loadWorldFile(values.world) : exampleWorld();
  // The SDK's default chain reads these; the local endpoint accepts any key as the management account.
  process.env['AWS_ACCESS_KEY_ID'] ??= LOCAL_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] ??= LOCAL_CREDENTIALS.secretAccessKey;
  const localAws = await startLocalAws({ world });
  const records = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-demo-'));
  // Wrapped to the terminal (or COLUMNS): the alerts' long lines otherwise run off the screen.
  const width = outputWidth(io.stdout, io.env);
  const write = (text: string) => io.stdout.write(width ? wrapText(text, width) : text);
  const say = (text: string) => write(`${text}\n`);
  // A failure told once (the denied account, every run) is named in short after that.
  const shownErrors = new Set<string>();
  const heading = (text: string) => say(`\n=== ${text} ${'='.repeat(Math.max(0, 74 - text.length))}\n`);
  try {
    const scan: ScanConfig = {
      organization: {},
      regions: ['us-east-1', 'eu-west-1'],
      roleName: SCAN_DEFAULTS.roleName,
      sessionName: SCAN_DEFAULTS.sessionName,
      homeRegion: 'us-east-1',
      endpoint: localAws.url,
      concurrency: 8,
      maxAttempts: 3,
      assumeRoleRatePerSecond: SCAN_DEFAULTS.assumeRoleRatePerSecond,
      requestTimeoutMs: 10_000,
      readRepositoryTags: inputs.readsRepositoryTags,
      accountMetadata: inputs.accountMetadata,
    };
    say(
      `ecr-sign-drift ${TOOL_VERSION}: local AWS endpoint at ${localAws.url} (example organization, no AWS account)`,
    );

    heading('1. Live audit of every account and region (ecr-sign-drift audit)');
    const session = new ScanSession(scan);
    const scanned = await session.scan().finally(() => session.close());
    const report = auditRegistries({
      ...scanned,
      imagesSkippedByBudget: scanned.images.skippedByBudget,
      policySet: inputs.policySet,
      desired: inputs.desired,
      strategy: 'merge',
      generatedAt: new Date().toISOString(),
    });
    for (const error of report.errors) shownErrors.add(scanErrorKey(error));
    write(
      renderReport(report, 'table', {
        colour: Boolean(io.stdout.isTTY) && !io.env['NO_COLOR'],
        policies: inputs.policySet.policies,
        toolVersion: TOOL_VERSION,
      }),
    );

    const store = new FileDriftStore({ directory: records });
    const securityHub = new SecurityHubView(
      new SecurityHubClient({ endpoint: localAws.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
    );
    const runConfig = (remediation: 'plan' | 'apply', targetScan: ScanConfig = scan, trigger = 'demo') => ({
      runId: newRunId(new Date()),
      trigger,
      scan: targetScan,
      store,
      topicArn: TOPIC,
      securityHub: true,
      audit: { policySet: inputs.policySet, desired: inputs.desired, strategy: 'merge' as const },
      remediation: { mode: remediation, accounts: [DRIFTING_ACCOUNT], maxPerRun: 2 },
      reminderIntervalMs: 24 * 3_600_000,
      telemetry: silentTelemetry,
    });
    const showRun = async (seen: number, outcome: { summary: RunSummary; results: TargetResult[] }) => {
      const { summary, results } = outcome;
      write(renderRunSummary(summary, results, { shownErrors }));
      for (const line of await securityHub.changes()) say(line);
      const published = localAws.messages().slice(seen);
      say(
        published.length === 0
          ? '\nNo alert: nothing changed since the last run.'
          : `\nAlerts as an email subscriber receives them (${published.length}):`,
      );
      for (const message of published) write(subscriberView(message));
    };
    const runOnce = async (title: string, remediation: 'plan' | 'apply') => {
      heading(title);
      const seen = localAws.messages().length;
      await showRun(seen, await runDetector(runConfig(remediation)));
    };

    await runOnce('2. Scheduled run: findings opened and alerted (remediation: plan)', 'plan');
    await runOnce('3. Scheduled run again: nothing changed, nothing sent', 'plan');

    heading(`4. Someone removes the release rule in ${DRIFTING_ACCOUNT}/us-east-1 through the ECR API`);
    await changeRegistry(localAws.url, 'someone', TEAM_RULE_ONLY);
    say('PutSigningConfiguration { rules: [ team profile for payments/* only ] }');
    await runOnce('5. Scheduled run: the change is detected and alerted', 'plan');
    await runOnce(`6. Scheduled run with remediation apply (allowed in ${DRIFTING_ACCOUNT} only)`, 'apply');
    await runOnce('7. Scheduled run: findings resolved', 'plan');

    heading(
      `8. Real time: alice narrows the release rule in ${DRIFTING_ACCOUNT}/us-east-1; its CloudTrail event runs that registry alone`,
    );
    await changeRegistry(localAws.url, 'alice', NARROWED_RELEASE_RULE);
    say(
      'PutSigningConfiguration { rules: [ release profile for payments/* only ] } as assumed-role/Admin/alice',
    );
    const event = parseSigningChangeEvent(
      await latestEvent(localAws.url),
      compiledSigningChangeEventValidator(),
    );
    say(
      `EventBridge delivers ${event.eventName} (${event.target.accountId}/${event.target.region}) to the detector (ecr-sign-drift run --event)`,
    );
    const arrived = performance.now();
    const seen = localAws.messages().length;
    const { organization: _everyAccount, ...scanSettings } = scan;
    const targetScan: ScanConfig = {
      ...scanSettings,
      accounts: [{ accountId: event.target.accountId }],
      regions: [event.target.region],
    };
    const outcome = await runSigningChange(event, runConfig('plan', targetScan, 'signing-change'));
    if (outcome.coalesced) say('Coalesced: a read after the write was already recorded.');
    else await showRun(seen, outcome);
    say(
      `Alerted ${((performance.now() - arrived) / 1000).toFixed(1)} s after the event arrived (up to 2.5 s of it letting the write settle: CloudTrail times have whole seconds), without a scheduled run.`,
    );

    heading(
      `9. A change while real-time delivery was off: bob removes the release rule; the scheduled run names him from CloudTrail`,
    );
    await changeRegistry(localAws.url, 'bob', TEAM_RULE_ONLY);
    say(
      'PutSigningConfiguration { rules: [ team profile for payments/* only ] } as assumed-role/Admin/bob (no event delivered)',
    );
    await runOnce('9b. Scheduled run: the change is found, and LookupEvents says who made it', 'plan');

    heading('10. The HTML report: coverage now, and the trend of these runs (audit --format html)');
    const finalSession = new ScanSession(scan);
    const final = auditRegistriesWithCoverage({
      ...(await finalSession.scan().finally(() => finalSession.close())),
      policySet: inputs.policySet,
      desired: inputs.desired,
      strategy: 'merge',
      generatedAt: new Date().toISOString(),
    });
    const html = renderReport(final.report, 'html', {
      colour: false,
      policies: inputs.policySet.policies,
      toolVersion: TOOL_VERSION,
      coverage: final.coverage,
      trend: { runs: runTrend(await store.listRuns(new Date())), source: `file:${records}` },
    });
    // In the per-user state directory, not the working directory: a stable place to open it again.
    const reportPath = join(defaultStateDirectory(io.env), 'demo', 'report.html');
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFileAtomically(reportPath, html);
    say(`HTML report (one self-contained file, open it in a browser): ${reportPath}`);
    say(`\nRecords of these runs: ${records} (removed on exit). Try: ecr-sign-drift --help`);
    return ExitCode.Ok;
  } finally {
    await localAws.close();
    rmSync(records, { recursive: true, force: true });
  }
}

/** The release rule, kept but narrowed to payments/* (what alice does in the real-time step). */
const NARROWED_RELEASE_RULE = {
  rules: [
    {
      signingProfileArn: 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing',
      repositoryFilters: [{ filter: 'payments/*', filterType: 'WILDCARD_MATCH' as const }],
    },
  ],
};

/** The team profile for payments/* only: the release rule is gone. */
const TEAM_RULE_ONLY = {
  rules: [
    {
      signingProfileArn: `arn:aws:signer:us-east-1:${DRIFTING_ACCOUNT}:/signing-profiles/ecr_signing`,
      repositoryFilters: [{ filter: 'payments/*', filterType: 'WILDCARD_MATCH' as const }],
    },
  ],
};

/** A change made as a person in the account would make it: AssumeRole (session `who`), then PutSigningConfiguration. */
async function changeRegistry(
  endpoint: string,
  who: string,
  signingConfiguration: typeof TEAM_RULE_ONLY,
): Promise<void> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${DRIFTING_ACCOUNT}:role/Admin`,
      RoleSessionName: who,
    }),
  );
  const ecr = new ECRClient({
    endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
  try {
    await ecr.send(new PutSigningConfigurationCommand({ signingConfiguration }));
  } finally {
    ecr.destroy();
    sts.destroy();
  }
}

/** The newest CloudTrail write the endpoint recorded, as EventBridge delivers it (GET /_local/events). */
async function latestEvent(endpoint: string): Promise<unknown> {
  const { events } = (await (await fetch(`${endpoint}/_local/events`)).json()) as { events: unknown[] };
  return events.at(-1);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the main job on the embedded local AWS endpoint (what npm start runs)',
  usage,
  run,
};
