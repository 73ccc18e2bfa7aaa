/** `ecr-sign-drift rollback`: puts back the configuration a remediation replaced. */
import { ClientConfigFactory } from '../../aws/client-config.js';
import { rollbackTarget } from '../../run/rollback-target.js';
import { newRunId } from '../../run/run-id.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from '../flags.js';
import { DEFAULT_STORE, defaultStore, openStore } from '../store-option.js';
import { accessOptionSpec, accessOptionsHelp, scanConfigFromOptions } from '../target-options.js';
import { parseTargetRef } from '../target-ref.js';

const usage = `Usage: ecr-sign-drift rollback --target ACCOUNT/REGION [--to RUN_ID] [options]

Puts back the configuration a remediation replaced, through the same checks as a
remediation: the registry is read again and must still hold what the remediation wrote
(a later change is never overwritten), then the old configuration is put (or deleted when
the registry had never been configured), read back and journaled.

Options:
  --target ACCOUNT/REGION  The registry to roll back (required)
  --to RUN_ID              The remediation's run (default: the newest applied one; see
                           'ecr-sign-drift history --target ACCOUNT/REGION')
  --store SPEC             file:DIR or dynamodb:TABLE (default ${DEFAULT_STORE})
  --format FORMAT          text (default) or json

${accessOptionsHelp}

Exit codes: 0 rolled back, 1 the rollback was refused or failed, 2 bad usage or nothing to roll back.`;

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('rollback', args, ROLLBACK_OPTIONS);
  const target = parseTargetRef(values.target);
  const scan = await scanConfigFromOptions({ ...values, regions: target.region }, io.env, false);
  const store = await openStore(values.store ?? defaultStore(io.env), io.cwd, () =>
    new ClientConfigFactory({ ...scan, region: scan.homeRegion, maxSockets: 8 }).home(),
  );
  const outcome = await rollbackTarget({
    scan,
    store,
    runId: newRunId(new Date()),
    target,
    ...(values.to ? { toRunId: values.to } : {}),
  });
  if (values.format === 'json') io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else
    io.stdout.write(
      `${target.accountId}/${target.region}: ${rollbackWords(outcome.status)}: ${outcome.reason}\n`,
    );
  return outcome.status === 'applied' ? ExitCode.Ok : ExitCode.Findings;
}

/** The outcome's status as a rollback's: `applied` means the old configuration is back. */
function rollbackWords(status: string): string {
  if (status === 'applied') return 'rolled back';
  if (status === 'failed') return 'rollback failed';
  return `rollback ${status}`;
}

const ROLLBACK_OPTIONS = {
  ...accessOptionSpec,
  target: { type: 'string' },
  to: { type: 'string' },
  store: { type: 'string' },
  format: { type: 'string' },
} as const;

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Put back the configuration a remediation replaced',
  usage,
  run,
};
