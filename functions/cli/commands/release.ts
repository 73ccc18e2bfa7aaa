/** `ecr-sign-drift release`: lets remediation write again to a target held after a concurrent change. */
import { userInfo } from 'node:os';
import { releaseHold } from '../../remediation/release-hold.js';
import { newRunId } from '../../run/run-id.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from '../flags.js';
import { DEFAULT_STORE, defaultStore, openStoreWithAccessOptions } from '../store-option.js';
import { recordsAccessOptionSpec, recordsAccessOptionsHelp } from '../target-options.js';
import { parseTargetRef } from '../target-ref.js';

const usage = `Usage: ecr-sign-drift release --target ACCOUNT/REGION [--reason TEXT] [options]

When a remediation replaced a change someone else made to the registry while it was being
written (CloudTrail shows who), the target is held: later runs plan but do not write there,
and the alert remediation.conflict names the lost change. After deciding which
configuration is right, release the hold so remediation may write again. The release is
journaled with who ran it and the reason.

Options:
  --target ACCOUNT/REGION  The held registry (required)
  --reason TEXT            Why, for the journal (default: released by the current user)
  --store SPEC             file:DIR or dynamodb:TABLE (default ${DEFAULT_STORE})
  --format FORMAT          text (default) or json

${recordsAccessOptionsHelp}

Exit codes: 0 released, 2 bad usage or the target is not held.`;

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('release', args, RELEASE_OPTIONS);
  const target = parseTargetRef(values.target);
  const store = await openStoreWithAccessOptions(values.store ?? defaultStore(io.env), values, io);
  const runId = newRunId(new Date());
  const reason = values.reason ?? `released by ${userInfo().username}`;
  const hold = await releaseHold({ store, target, runId, reason, now: new Date() });
  const released = { accountId: target.accountId, region: target.region, runId, heldBy: hold.runId, reason };
  if (values.format === 'json') io.stdout.write(`${JSON.stringify(released, null, 2)}\n`);
  else {
    io.stdout.write(
      `${target.accountId}/${target.region}: released (held since run ${hold.runId}); remediation may write again\n`,
    );
  }
  return ExitCode.Ok;
}

const RELEASE_OPTIONS = {
  ...recordsAccessOptionSpec,
  target: { type: 'string' },
  reason: { type: 'string' },
  store: { type: 'string' },
  format: { type: 'string' },
} as const;

export const releaseCommand: Command = {
  name: 'release',
  summary: 'Let remediation write again to a target held after a concurrent change',
  usage,
  run,
};
