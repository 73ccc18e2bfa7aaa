/**
 * `ecr-sign-drift audit`: evaluates policies and drift for a snapshot file (offline)
 * or for live registries (through the AWS SDK), and prints the report.
 */

import { resolve } from 'node:path';
import { auditRegistries } from '../../core/audit.js';
import { OutputFileError } from '../../core/errors.js';
import { verdict } from '../../core/exit-status.js';
import { REMEDIATION_STRATEGIES, type RemediationStrategy } from '../../core/planning/index.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../../core/report/index.js';
import { SEVERITIES, type Severity } from '../../core/types.js';
import { checkOutputPath } from '../../files/output-path.js';
import { writeFileAtomically } from '../../files/write-file-atomically.js';
import { loadAuditInputs, readSnapshotScan, scanLive } from '../audit-inputs.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { choiceFlag, parseFlags } from '../flags.js';
import { targetOptionSpec, targetOptionsHelp } from '../target-options.js';
import { TOOL_VERSION } from '../version.js';

const usage = `Usage: ecr-sign-drift audit [--snapshot FILE | target options] [options]

Evaluates every policy and the desired configuration against ECR registries and prints
the findings, drift, remediation plans (never applied by audit) and scan errors.

Source:
  --snapshot FILE          Audit a snapshot file offline (as written by 'ecr-sign-drift snapshot')
                           Without it, registries are read live through the AWS SDK.

Policies:
  --policies DIR           Policy directory (default: policies)
  --desired DIR            Desired configurations (default: <policies>/desired)
  --policy ID              Only this policy (repeatable)
  --strategy STRATEGY      Remediation planning: merge (default) or enforce

Output:
  --format FORMAT          table (default), json, sarif or markdown
  --out FILE               Write the report to FILE instead of stdout
  --fail-on SEVERITY       Exit 1 when a finding is at or above it: ${SEVERITIES.join(', ')} (default high)
  --show-waived            table, markdown: list the waived findings (policies/waivers/), not only their count

${targetOptionsHelp}

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
            2 bad usage or input, 3 a target could not be scanned (before 1).`;

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('audit', args, AUDIT_OPTIONS);
  const format = choiceFlag<ReportFormat>('format', values.format, REPORT_FORMATS, 'table');
  const strategy = choiceFlag<RemediationStrategy>(
    'strategy',
    values.strategy,
    REMEDIATION_STRATEGIES,
    'merge',
  );
  const failOn = choiceFlag<Severity>('fail-on', values['fail-on'], SEVERITIES, 'high');
  if (values.out !== undefined)
    await checkOutputPath(resolve(io.cwd, values.out), `audit: --out ${values.out}`);
  const inputs = await loadAuditInputs({
    cwd: io.cwd,
    ...(values.policies ? { policies: values.policies } : {}),
    ...(values.desired ? { desired: values.desired } : {}),
    ...(values.policy ? { onlyPolicies: values.policy } : {}),
  });

  const scanned = values.snapshot
    ? await readSnapshotScan(resolve(io.cwd, values.snapshot))
    : await scanLive(values, io, inputs);

  const report = auditRegistries({
    ...scanned,
    policySet: inputs.policySet,
    desired: inputs.desired,
    strategy,
    generatedAt: new Date().toISOString(),
  });
  const toFile = values.out !== undefined;
  const text = renderReport(report, format, {
    colour: !toFile && Boolean(io.stdout.isTTY) && !io.env['NO_COLOR'],
    policies: inputs.policySet.policies,
    toolVersion: TOOL_VERSION,
    showWaived: values['show-waived'] === true,
  });
  if (toFile) {
    try {
      await writeFileAtomically(resolve(io.cwd, values.out!), text);
    } catch (error) {
      throw new OutputFileError(`audit: cannot write ${values.out}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  } else io.stdout.write(text);

  switch (verdict({ findings: report.findings, errors: report.errors, failOn })) {
    case 'scan-failed':
      return ExitCode.ScanFailed;
    case 'findings':
      return ExitCode.Findings;
    case 'pass':
      return ExitCode.Ok;
  }
}

const AUDIT_OPTIONS = {
  ...targetOptionSpec,
  snapshot: { type: 'string' },
  policies: { type: 'string' },
  desired: { type: 'string' },
  policy: { type: 'string', multiple: true },
  strategy: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'fail-on': { type: 'string' },
  'show-waived': { type: 'boolean' },
} as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Audit registries (live or from a snapshot) against the policies and desired configuration',
  usage,
  run,
};
