/**
 * `ecr-sign-drift run`: the scheduled job, run locally: scan, evaluate, record,
 * alert and (when allowed) remediate, through exactly the code the Lambda runs.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ClientConfigFactory } from '../../aws/client-config.js';
import { REMEDIATION_MODES, type RemediationMode } from '../../config/detector-environment.js';
import { DEFAULT_REMINDER_INTERVAL_MS } from '../../core/alerts/index.js';
import { ACCOUNT_ID_PATTERN } from '../../core/api-constraints.js';
import { ConfigurationError } from '../../core/errors.js';
import { REMEDIATION_STRATEGIES, type RemediationStrategy } from '../../core/planning/index.js';
import { runDetector } from '../../run/detector.js';
import { newRunId } from '../../run/run-id.js';
import { runSigningChange } from '../../run/signing-change-coalescing.js';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  InvalidSigningChangeEventError,
  isCloudTrailEvent,
  parseSigningChangeEvent,
  type SigningChangeRequest,
} from '../../run/signing-change-event.js';
import { compiledSigningChangeEventValidator } from '../../run/signing-change-event-validator.js';
import { silentTelemetry } from '../../run/telemetry.js';
import { loadAuditInputs } from '../audit-inputs.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { choiceFlag, parseFlags, wholeNumberFlag } from '../flags.js';
import { renderRunSummary } from '../run-summary-text.js';
import { DEFAULT_STORE, defaultStore, openStore } from '../store-option.js';
import {
  scanConfigFromOptions,
  type TargetOptionValues,
  targetOptionSpec,
  targetOptionsHelp,
} from '../target-options.js';

const usage = `Usage: ecr-sign-drift run [target options] [options]

Runs the scheduled job once: scans the targets, evaluates policies and drift, updates
the records, publishes alerts (one SNS message per target with a change) and plans or
applies remediation. The Lambda runs exactly this code.

Real time:
  --event FILE             Run on one EventBridge CloudTrail event (PutSigningConfiguration or
                           DeleteSigningConfiguration from aws.ecr; FILE or - for stdin), as the
                           Lambda does: exactly that account and region, read once the write has
                           settled (1.5 s); a failed call, or a write a recorded read already saw, is
                           ignored (exit 0, nothing changed); a bad or foreign event exits 2

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
  const flags = parseFlags('run', args, RUN_OPTIONS);
  const event = flags.event === undefined ? null : await readSigningChangeEvent(flags.event, io.cwd);
  if (event?.errorCode) {
    io.stdout.write(
      `ignored: ${event.eventName} on ${event.target.accountId}/${event.target.region} failed (${event.errorCode}): nothing changed\n`,
    );
    return ExitCode.Ok;
  }
  const values = event ? eventTargetOptions(flags, event) : flags;
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
  const runConfig = {
    runId: newRunId(new Date()),
    trigger: event ? 'signing-change' : 'cli',
    scan,
    store,
    topicArn: topicArn(values['topic-arn']),
    securityHub: values['security-hub'] === true,
    audit: { policySet: inputs.policySet, desired: inputs.desired, strategy },
    remediation: { mode, accounts, maxPerRun },
    reminderIntervalMs,
    telemetry: silentTelemetry,
  };
  // As the Lambda does: a burst settles first, and a write a recorded read already saw is not read again.
  const outcome = event
    ? await runSigningChange(event, runConfig)
    : { coalesced: false as const, ...(await runDetector(runConfig)) };
  if (outcome.coalesced) {
    io.stdout.write(
      `coalesced: ${event!.eventName} on ${event!.target.accountId}/${event!.target.region} at ${event!.eventTime} was seen by the read recorded at ${outcome.recordedReadStartedAt}\n`,
    );
    return ExitCode.Ok;
  }
  const { summary, results } = outcome;
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

/**
 * `--event FILE|-`: the EventBridge CloudTrail event, validated as the Lambda validates it;
 * bad JSON or a refused event is one line naming the file (exit 2).
 */
async function readSigningChangeEvent(path: string, cwd: string): Promise<SigningChangeRequest> {
  const name = path === '-' ? 'stdin' : path;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `--event ${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
      {
        cause: error,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`--event ${name}: not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isCloudTrailEvent(parsed)) {
    throw new ConfigurationError(
      `--event ${name}: not an EventBridge CloudTrail event (detail-type must be "${CLOUDTRAIL_DETAIL_TYPE}")`,
    );
  }
  try {
    return parseSigningChangeEvent(parsed, compiledSigningChangeEventValidator());
  } catch (error) {
    if (!(error instanceof InvalidSigningChangeEventError)) throw error;
    throw new ConfigurationError(`--event ${name}: ${error.message}`, { cause: error });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The target options of a run of exactly the event's target; other target choices are refused. */
function eventTargetOptions<T extends TargetOptionValues>(values: T, event: SigningChangeRequest): T {
  const chosen = (['accounts', 'org', 'ou', 'regions'] as const).filter((name) => values[name] !== undefined);
  if (chosen.length > 0) {
    throw new ConfigurationError(
      `--event runs exactly the event's target (${event.target.accountId}/${event.target.region}): leave out --${chosen[0]}`,
    );
  }
  const excluded = (values['exclude-accounts'] ?? '').split(',').map((id) => id.trim());
  if (excluded.includes(event.target.accountId)) {
    throw new ConfigurationError(
      `--event: account ${event.target.accountId} is in --exclude-accounts: the event is refused`,
    );
  }
  return { ...values, accounts: event.target.accountId, regions: event.target.region };
}

const RUN_OPTIONS = {
  ...targetOptionSpec,
  event: { type: 'string' },
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
