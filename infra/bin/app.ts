/**
 * The CDK app: builds both stacks from the bundles in dist/lambda and runs the cdk-nag
 * AwsSolutions checks. Run by the CDK CLI (cdk.json) or directly by `npm run synth`,
 * which writes cdk.out/ itself and takes cdk.json's context plus `-c key=value` arguments.
 * Unusable context or a missing build ends it with one line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidInputError } from '../../functions/core/errors.js';
import { parseContextArguments, readDetectorContext } from '../lib/context.js';
import { DetectorStack } from '../lib/detector-stack.js';
import { MemberEventsStack } from '../lib/member-events-stack.js';
import { MemberRoleStack } from '../lib/member-role-stack.js';

const DETECTOR_STACK_NAME = 'EcrSignDriftDetector';
const MEMBER_ROLE_STACK_NAME = 'EcrSignDriftMemberRole';
const MEMBER_EVENTS_STACK_NAME = 'EcrSignDriftMemberEvents';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Under the CLI (which sets CDK_OUTDIR and passes context itself) nothing; run directly, what the CLI would do. */
function directRunProps(): AppProps {
  if (process.env.CDK_OUTDIR) return {};
  const cdkJson = JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as {
    output?: string;
    context?: Record<string, unknown>;
  };
  return {
    outdir: join(repositoryRoot, cdkJson.output ?? 'cdk.out'),
    context: { ...cdkJson.context, ...parseContextArguments(process.argv.slice(2)) },
  };
}

try {
  const app = new App(directRunProps());
  const context = readDetectorContext((key) => app.node.tryGetContext(key));
  new DetectorStack(app, DETECTOR_STACK_NAME, { context });
  new MemberRoleStack(app, MEMBER_ROLE_STACK_NAME, { memberRoleName: context.memberRoleName });
  if (context.realtime) new MemberEventsStack(app, MEMBER_EVENTS_STACK_NAME);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  if (!process.env.CDK_OUTDIR) {
    console.log(`Synthesized ${assembly.stacks.map((s) => s.stackName).join(', ')} to ${assembly.directory}`);
  }
} catch (error) {
  if (!(error instanceof InvalidInputError)) throw error;
  console.error(`ecr-sign-drift infra: ${error.message}`);
  process.exit(1);
}
