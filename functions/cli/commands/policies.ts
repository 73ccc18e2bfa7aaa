/**
 * `ecr-sign-drift policies test|validate [DIR]`: runs the policies' fixtures, or loads and
 * lints the policy directory, without touching AWS.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tryAuditRegistry } from '../../core/audit.js';
import type { DesiredConfigurationSet } from '../../core/drift/index.js';
import { ConfigurationError } from '../../core/errors.js';
import type { PolicySet } from '../../core/policy/index.js';
import { describeLintWarning, parseFixture, runPolicyTests } from '../../core/policy/index.js';
import { loadDesiredDirectory } from '../../files/load-desired-directory.js';
import {
  DEFAULT_POLICY_DIRECTORY,
  loadPolicySet,
  type PolicyDirectory,
} from '../../files/load-policy-directory.js';
import { readSnapshotStream } from '../../files/read-snapshot-stream.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const usage = `Usage: ecr-sign-drift policies <test|validate> [--strict] [--snapshot FILE] [DIR]

Works on a policy directory (default: ${DEFAULT_POLICY_DIRECTORY}/):
  **/*.policy.json                 policies: JSON Schema (draft 2020-12) over one registry's facts
  other *.json                     shared schemas, referenced with $ref by their $id
  tests/<policy-id>/pass/*.json    fixtures that policy must accept (one registry each)
  tests/<policy-id>/fail/*.json    fixtures it must reject; "expectedFindings" lists the exact findings
  desired/                         desired configurations: not read by these commands

Subcommands:
  test [DIR]       Run every fixture against its policy; print PASS or FAIL for each and a summary.
  validate [DIR]   Load and compile the policy set, print what was loaded, and report problems:
                   a policy without pass and fail fixtures, without a description, or an unusable fixture;
                   and print lint warnings (WARNING file: pointer: what to add), which never stop a policy
                   from loading in audit, run or the Lambda.

Options:
  --strict         validate: count lint warnings as problems (exit 1)
  --snapshot FILE  validate: audit this snapshot (offline) and warn of each stale waiver, one that
                   covers no finding there (WARNING file#index: stale waiver …)
  -h, --help       Show this help

Exit codes: 0 all passed (or no problems), 1 a fixture failed (or problems found),
            2 the policy set cannot be loaded (one line on stderr naming the file).`;

interface SubcommandOptions {
  strict: boolean;
  /** Resolved against the command's working directory. */
  snapshot?: string;
}
type Subcommand = (directory: string, io: CommandIO, options: SubcommandOptions) => Promise<number>;

export const policiesCommand: Command = {
  name: 'policies',
  summary: 'Test policies against their fixtures, or validate a policy directory',
  usage,
  async run(args, io) {
    const { positionals, values } = parseArguments(args);
    const [name, directoryArgument, ...extra] = positionals;
    const subcommand = name === undefined ? undefined : subcommands[name];
    if (!subcommand) {
      throw new ConfigurationError(
        name === undefined
          ? "policies needs a subcommand: test or validate (see 'ecr-sign-drift policies --help')"
          : `unknown policies subcommand '${name}': use test or validate`,
      );
    }
    if (extra.length > 0) throw new ConfigurationError(`unexpected argument '${extra[0]}' (one DIR at most)`);
    // DIR is relative to the command's working directory; paths print as the user wrote them.
    const argument = directoryArgument ?? DEFAULT_POLICY_DIRECTORY;
    const directory = isAbsolute(argument)
      ? argument
      : relative(process.cwd(), resolve(io.cwd, argument)) || '.';
    if (values.snapshot !== undefined && subcommand !== validatePolicies) {
      throw new ConfigurationError('--snapshot is an option of policies validate only');
    }
    return subcommand(directory, io, {
      strict: values.strict === true,
      ...(values.snapshot !== undefined ? { snapshot: resolve(io.cwd, values.snapshot) } : {}),
    });
  },
};

const subcommands: Record<string, Subcommand> = { test: testPolicies, validate: validatePolicies };

function parseArguments(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { strict: { type: 'boolean' }, snapshot: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ConfigurationError(`policies: ${(error as Error).message}`, { cause: error });
  }
}

async function testPolicies(directory: string, io: CommandIO): Promise<number> {
  const { directory: loaded, policySet } = await loadPolicySet(directory);
  const results = runPolicyTests(policySet, loaded.fixtures);
  for (const result of results) {
    const status = result.passed ? 'PASS' : 'FAIL';
    const reason = result.problems.length === 1 ? `: ${result.problems[0]}` : '';
    io.stdout.write(`${status} ${result.policyId} ${result.name}${reason}\n`);
    if (result.problems.length > 1) for (const problem of result.problems) io.stdout.write(`  ${problem}\n`);
  }
  const failed = results.filter((r) => !r.passed).length;
  io.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? ExitCode.Findings : ExitCode.Ok;
}

async function validatePolicies(
  directory: string,
  io: CommandIO,
  options: SubcommandOptions,
): Promise<number> {
  const { directory: loaded, policySet } = await loadPolicySet(directory, { rejectExpiredWaivers: true });
  const problems = lintPolicyDirectory(loaded, policySet);
  const lintLines = (policySet.lintWarnings ?? []).map(describeLintWarning);
  if (options.snapshot !== undefined) {
    const desired = await loadDesiredDirectory(join(directory, 'desired'));
    lintLines.push(...(await staleWaiverWarnings(policySet, desired, options.snapshot)));
  }
  if (options.strict) problems.push(...lintLines);
  const { policies, sharedSchemaIds } = policySet;
  io.stdout.write(
    `Loaded ${policies.length} ${policies.length === 1 ? 'policy' : 'policies'} and ` +
      `${sharedSchemaIds.length} shared ${sharedSchemaIds.length === 1 ? 'schema' : 'schemas'} from ${directory}\n`,
  );
  const idWidth = Math.max(...policies.map((p) => p.id.length));
  for (const policy of policies) {
    const counts = fixtureCounts(loaded, policy.id);
    const scoped = policy.scope ? ', scoped' : '';
    io.stdout.write(
      `  ${policy.id.padEnd(idWidth)}  ${policy.severity.padEnd(8)}  ${policy.title} ` +
        `(${counts.pass} pass, ${counts.fail} fail fixtures${scoped})\n`,
    );
  }
  for (const [i, id] of sharedSchemaIds.entries()) {
    io.stdout.write(`  shared  ${id}  (${loaded.sharedSchemas[i]?.source})\n`);
  }
  if (!options.strict) for (const line of lintLines) io.stdout.write(`WARNING ${line}\n`);
  for (const problem of problems) io.stdout.write(`PROBLEM ${problem}\n`);
  io.stdout.write(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}\n`);
  return problems.length > 0 ? ExitCode.Findings : ExitCode.Ok;
}

function fixtureCounts(loaded: PolicyDirectory, policyId: string): { pass: number; fail: number } {
  const own = loaded.fixtures.filter((f) => f.policyId === policyId);
  return {
    pass: own.filter((f) => f.expectation === 'pass').length,
    fail: own.filter((f) => f.expectation === 'fail').length,
  };
}

/** What `validate` reports beyond loading: gaps that leave a policy untested or unexplained. */
export function lintPolicyDirectory(loaded: PolicyDirectory, policySet: PolicySet): string[] {
  const problems: string[] = [];
  const testsDirectory = join(loaded.directory, 'tests');
  for (const policy of policySet.policies) {
    const counts = fixtureCounts(loaded, policy.id);
    for (const expectation of ['pass', 'fail'] as const) {
      if (counts[expectation] === 0) {
        problems.push(
          `${policy.source}: policy ${policy.id} has no ${expectation} fixture ` +
            `(add ${testsDirectory}/${policy.id}/${expectation}/<name>.json)`,
        );
      }
    }
    if (policy.title === policy.id) problems.push(`${policy.source}: policy ${policy.id} has no title`);
    if (policy.description === null)
      problems.push(`${policy.source}: policy ${policy.id} has no description`);
  }
  const ids = new Set(policySet.policies.map((p) => p.id));
  for (const fixture of loaded.fixtures) {
    if (!ids.has(fixture.policyId)) {
      problems.push(`${fixture.source}: fixture for unknown policy ${fixture.policyId}`);
      continue;
    }
    const parsed = parseFixture(fixture);
    if ('problem' in parsed) problems.push(`${fixture.source}: ${parsed.problem}`);
  }
  for (const path of loaded.strayTestFiles) {
    problems.push(
      `${join(loaded.directory, path)}: not a fixture (fixtures live in tests/<policy-id>/pass or tests/<policy-id>/fail)`,
    );
  }
  return problems;
}

/**
 * Waivers that cover no finding of the snapshot's registries: left over from a fixed
 * problem, or narrowed by a typo so they never applied. Judged as `audit --snapshot` would.
 */
async function staleWaiverWarnings(
  policySet: PolicySet,
  desired: DesiredConfigurationSet,
  snapshotPath: string,
): Promise<string[]> {
  const waivers = policySet.waivers ?? [];
  if (waivers.length === 0) return [];
  const used = new Set<string>();
  const context = { policySet, desired, strategy: 'merge' as const };
  for await (const registry of readSnapshotStream(snapshotPath).registries) {
    const outcome = tryAuditRegistry(registry, context);
    if (outcome.ok) for (const { waiver } of outcome.audit.waived) used.add(waiver.source);
  }
  return waivers
    .filter((waiver) => !used.has(waiver.source))
    .map(
      (waiver) =>
        `${waiver.source}: stale waiver: it covers no finding of ${waiver.policyId} in ${snapshotPath} (remove it, or fix its accountId, region or repository)`,
    );
}
