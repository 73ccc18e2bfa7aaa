/**
 * `ecr-sign-drift run`: the scheduled job, run locally: scan, evaluate, record,
 * alert and (when allowed) remediate, through exactly the code the Lambda runs.
 */
import { ClientConfigFactory } from '../../aws/client-config.js';
import { REMEDIATION_MODES, type RemediationMode } from '../../config/detector-environment.js';
import { DEFAULT_REMINDER_INTERVAL_MS } from '../../core/alerts/index.js';
import { ACCOUNT_ID_PATTERN } from '../../core/api-constraints.js';
import { ConfigurationError } from '../../core/errors.js';
import { REMEDIATION_STRATEGIES, type RemediationStrategy } from '../../core/planning/index.js';
import { runDetector } from '../../run/detector.js';
import { newRunId } from '../../run/run-id.js';
import { silentTelemetry } from '../../run/telemetry.js';
import { loadAuditInputs } from '../audit-inputs.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { choiceFlag, parseFlags, wholeNumberFlag } from '../flags.js';
import { renderRunSummary } from '../run-summary-text.js';
import { DEFAULT_STORE, defaultStore, openStore } from '../store-option.js';
import { scanConfigFromOptions, targetOptionSpec, targetOptionsHelp } from '../target-options.js';

const usage = `Usage: ecr-sign-drift run [target options] [options]

Runs the scheduled job once: scans the targets, evaluates policies and drift, updates
the records, publishes alerts (one SNS message per target with a change) and plans or
applies remediation. The Lambda runs exactly this code.

Records and alerts:
  --store SPEC             file:DIR or dynamodb:TABLE (default ${DEFAULT_STORE})
  --topic-arn ARN          SNS topic for alerts (without it alerts stay in the outbox)
  --reminder-hours N       Remind about open findings after N hours (default 24)
  --security-hub           Import findings into Security Hub (ASFF, BatchImportFindings) in the
                           caller's account and home region: new and changed ones ACTIVE, resolved
                           ones ARCHIVED; through the outbox, like alerts

Remediation (off unless asked):
  --remediation MODE       off (default), plan (record and alert plans) or apply
  --remediation-accounts LIST  Accounts where apply may write (required for apply)
  --max-remediations N     Targets remediated per run at most (default 5)
  --strategy STRATEGY      merge (default: never reduces coverage) or enforce

Policies:
  --policies DIR           Policy directory (default: policies)
  --desired DIR            Desired configurations (default: <policies>/desired)

Output:
  --format FORMAT          text (default) or json

${targetOptionsHelp}

Exit codes: 0 the run completed, 2 bad usage or input, 3 a target could not be scanned, the
accounts could not be listed (discovery failed), every alert failed to publish, Security Hub
refused a finding, or a target was skipped because another run has held it for longer than the
lease time (60 s).`;

/** SNS topic ARNs: topic names of 1-256 letters, digits, - and _, `.fifo` for FIFO topics. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

function topicArn(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!TOPIC_ARN.test(value)) {
    throw new ConfigurationError(
      `--topic-arn must be an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:alerts, got '${value}'`,
    );
  }
  return value;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('run', args, RUN_OPTIONS);
  const mode = choiceFlag<RemediationMode>('remediation', values.remediation, REMEDIATION_MODES, 'off');
  const strategy = choiceFlag<RemediationStrategy>(
    'strategy',
    values.strategy,
    REMEDIATION_STRATEGIES,
    'merge',
  );
  const accounts = (values['remediation-accounts'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const badAccount = accounts.find((a) => !ACCOUNT_ID_PATTERN.test(a));
  if (badAccount)
    throw new ConfigurationError(`--remediation-accounts: '${badAccount}' is not a 12-digit account id`);
  if (mode === 'apply' && accounts.length === 0) {
    throw new ConfigurationError(
      '--remediation apply needs --remediation-accounts (the accounts where it may write)',
    );
  }
  const format = choiceFlag('format', values.format, ['text', 'json'] as const, 'text');
  const maxPerRun = wholeNumberFlag('max-remediations', values['max-remediations'], 5, { min: 0 });
  const reminderIntervalMs =
    wholeNumberFlag('reminder-hours', values['reminder-hours'], DEFAULT_REMINDER_INTERVAL_MS / 3_600_000, {
      max: 24 * 365,
    }) * 3_600_000;

  const inputs = await loadAuditInputs({
    cwd: io.cwd,
    ...(values.policies ? { policies: values.policies } : {}),
    ...(values.desired ? { desired: values.desired } : {}),
  });
  const scan = await scanConfigFromOptions(
    values,
    io.env,
    inputs.readsRepositoryTags,
    inputs.accountMetadata,
  );
  const store = await openStore(values.store ?? defaultStore(io.env), io.cwd, () =>
    new ClientConfigFactory({ ...scan, region: scan.homeRegion, maxSockets: 50 }).home(),
  );
  const runId = newRunId(new Date());
  const { summary, results } = await runDetector({
    runId,
    trigger: 'cli',
    scan,
    store,
    topicArn: topicArn(values['topic-arn']),
    securityHub: values['security-hub'] === true,
    audit: { policySet: inputs.policySet, desired: inputs.desired, strategy },
    remediation: { mode, accounts, maxPerRun },
    reminderIntervalMs,
    telemetry: silentTelemetry,
  });
  io.stdout.write(
    format === 'json'
      ? `${JSON.stringify({ summary, targets: results }, null, 2)}\n`
      : renderRunSummary(summary, results),
  );
  // Alerts that all failed (a wrong topic, no permission) leave nobody told: a failed run.
  const alertsFailed = summary.alerts.failed > 0 && summary.alerts.published === 0;
  const incomplete =
    summary.targets.failed > 0 ||
    summary.discoveryFailed ||
    alertsFailed ||
    summary.targets.heldLongerThanLeaseTime > 0 ||
    (summary.securityHub?.refused ?? 0) > 0;
  return incomplete ? ExitCode.ScanFailed : ExitCode.Ok;
}

const RUN_OPTIONS = {
  ...targetOptionSpec,
  store: { type: 'string' },
  'topic-arn': { type: 'string' },
  'security-hub': { type: 'boolean' },
  'reminder-hours': { type: 'string' },
  remediation: { type: 'string' },
  'remediation-accounts': { type: 'string' },
  'max-remediations': { type: 'string' },
  strategy: { type: 'string' },
  policies: { type: 'string' },
  desired: { type: 'string' },
  format: { type: 'string' },
} as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the scheduled job once: scan, record, alert and (if allowed) remediate',
  usage,
  run,
};
