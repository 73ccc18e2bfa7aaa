/**
 * Shared test fixtures: a throwaway asset root standing in for `npm run build`'s
 * dist/lambda, a valid context, and helpers to synthesize a stack and run cdk-nag on it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type ContextKey, readDetectorContext } from '../../infra/lib/context.js';
import { DetectorStack } from '../../infra/lib/detector-stack.js';
import { LAMBDA_ASSET_NAMES, type LambdaAssetName } from '../../infra/lib/lambda-assets.js';

/** A directory with `<name>/index.mjs` for the given handlers (their content does not matter here). */
export function fakeLambdaAssetRoot(names: readonly LambdaAssetName[] = LAMBDA_ASSET_NAMES): string {
  const root = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-assets-'));
  for (const name of names) {
    mkdirSync(join(root, name));
    writeFileSync(
      join(root, name, 'index.mjs'),
      `export const handler = async () => ({ name: '${name}' });\n`,
    );
  }
  return root;
}

export type RawContext = Partial<Record<ContextKey, unknown>>;

/** The smallest valid context: explicit accounts, two regions. */
export const MINIMAL_CONTEXT: RawContext = {
  regions: 'us-east-1,eu-west-1',
  accounts: '111122223333,444455556666',
  externalId: 'ecr-sign-drift-test',
};

export function contextFrom(raw: RawContext) {
  return readDetectorContext((key) => raw[key]);
}

export interface SynthesizedDetector {
  stack: DetectorStack;
  template: Template;
}

export function synthDetector(raw: RawContext, lambdaAssetRoot = fakeLambdaAssetRoot()): SynthesizedDetector {
  const app = new App();
  const stack = new DetectorStack(app, 'Detector', { context: contextFrom(raw), lambdaAssetRoot });
  return { stack, template: Template.fromStack(stack) };
}

/** cdk-nag AwsSolutions findings that are not acknowledged, as `rule at construct path` lines. */
export function unacknowledgedNagFindings(stack: Stack, severity: 'error' | 'warning' = 'error'): string[] {
  return new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.filter((violation) => violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
}

/** The logical ids of resources of a type whose properties match. */
export function logicalIds(template: Template, type: string, props: object = {}): string[] {
  return Object.keys(template.findResources(type, { Properties: props }));
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild ?? construct;
  if (!CfnElement.isCfnElement(resource))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).resolve(resource.logicalId) as string;
}

export interface PolicyStatementJson {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, Record<string, unknown>>;
}

type PolicyDocumentJson = { Statement: object[] };

function normalized(documents: PolicyDocumentJson[]): PolicyStatementJson[] {
  const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  return documents
    .flatMap((document) => document.Statement)
    .map((statement) => {
      const s = statement as PolicyStatementJson;
      return { ...s, Action: asList(s.Action) as string[], Resource: asList(s.Resource) };
    });
}

/** The statements of a role's inline policies, actions and resources as lists. */
export function inlineStatements(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const role = template.toJSON().Resources[roleLogicalId];
  const policies = (role?.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocumentJson }[];
  return normalized(policies.map((policy) => policy.PolicyDocument));
}

/** Every statement of the identity policies of a role (inline and AWS::IAM::Policy). */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(JSON.stringify({ Ref: roleLogicalId })),
  ) as { Properties: { PolicyDocument: PolicyDocumentJson } }[];
  return [
    ...inlineStatements(template, roleLogicalId),
    ...normalized(attached.map((policy) => policy.Properties.PolicyDocument)),
  ];
}

/** The statements that allow an action (exactly that name). */
export function statementsAllowing(statements: PolicyStatementJson[], action: string): PolicyStatementJson[] {
  return statements.filter((s) => s.Effect === 'Allow' && s.Action.includes(action));
}

/** Every action a set of statements allows. */
export function allowedActions(statements: PolicyStatementJson[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action))].sort();
}

/** How `arn:${Partition}:ecr:*:${AccountId}:repository/*` appears in a template. */
export const OWN_ACCOUNT_REPOSITORIES_ARN = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':ecr:*:', { Ref: 'AWS::AccountId' }, ':repository/*'],
  ],
};
