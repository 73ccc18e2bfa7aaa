/**
 * The detector's IAM grants beyond its own resources, each as narrow as the API allows.
 * Where an action cannot be scoped further, the cdk-nag acknowledgment on the role says why.
 */
import {
  Aws,
  CfnCondition,
  Fn,
  type ICfnConditionExpression,
  Names,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { RemediationMode } from '../../functions/config/detector-environment.js';

/** cdk-nag IAM5 findings (`Resource::...`) and why each wildcard is needed. */
export type WildcardReasons = Record<string, string>;

/** Acknowledges cdk-nag IAM5 findings on one construct (a role or a policy), each with its reason. */
export function acknowledgeWildcards(construct: IConstruct, reasons: WildcardReasons): void {
  for (const [finding, reason] of Object.entries(reasons)) {
    Validations.of(construct).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

/**
 * Reading a registry: its signing configuration and its repositories (with tags), in the
 * account whose credentials make the call. The member role and the detector's access to
 * its own account use the same statements, so they cannot diverge.
 */
export function registryReadStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadRegistrySigningConfiguration',
      // LookupEvents: who changed the configuration (attribution) and who wrote it while a remediation did.
      actions: ['ecr:GetSigningConfiguration', 'cloudtrail:LookupEvents'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ListRepositories',
      // ListTagsForResource: per repository, only where GetResources is refused.
      actions: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource'],
      resources: [`arn:${Aws.PARTITION}:ecr:*:${Aws.ACCOUNT_ID}:repository/*`],
    }),
    new iam.PolicyStatement({
      sid: 'ReadImageSigningStatus',
      // Whether the newest images of covered repositories were signed: the configuration's effect.
      actions: ['ecr:DescribeImages', 'ecr:DescribeImageSigningStatus'],
      resources: [`arn:${Aws.PARTITION}:ecr:*:${Aws.ACCOUNT_ID}:repository/*`],
    }),
    new iam.PolicyStatement({
      sid: 'ReadRepositoryTagsInBulk',
      // The repositories' tags, 100 a call (Resource Groups Tagging API GetResources).
      actions: ['tag:GetResources'],
      resources: ['*'],
    }),
  ];
}

/**
 * Remediation: replacing the registry's signing configuration, and deleting it when a
 * rollback returns a registry to never configured.
 */
export function registryWriteStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'WriteRegistrySigningConfiguration',
    actions: ['ecr:PutSigningConfiguration', 'ecr:DeleteSigningConfiguration'],
    resources: ['*'],
  });
}

/** The status of the signing profiles a registry references, wherever they live. */
export function signingProfileReadStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadSigningProfiles',
    actions: ['signer:GetSigningProfile'],
    resources: [`arn:${Aws.PARTITION}:signer:*:*:/signing-profiles/*`],
  });
}

export const REGISTRY_WILDCARDS: WildcardReasons = {
  'Resource::*':
    'Get/Put/DeleteSigningConfiguration are registry-level actions without a resource ARN; ' +
    "they act only on the caller's own registry. cloudtrail:LookupEvents and tag:GetResources have no " +
    "resource-level permissions and read only the caller's own account and region.",
  'Resource::arn:<AWS::Partition>:ecr:*:<AWS::AccountId>:repository/*':
    "Every repository of the account's registry, in every scanned region, is listed and its newest images' signing status read (read-only).",
};

export const SIGNING_PROFILE_WILDCARDS: WildcardReasons = {
  'Resource::arn:<AWS::Partition>:signer:*:*:/signing-profiles/*':
    'Registries may reference signing profiles in any account and region; the status lookup is read-only ' +
    'and limited to signing-profile ARNs.',
};

/**
 * sts:AssumeRole on the member role only: in the listed accounts when the targets are explicit,
 * else in any account, and (with organizationId) only inside the organization.
 */
export function allowMemberRoleAssumption(
  role: iam.Role,
  options: { memberRoleName: string; organizationId?: string; accounts?: readonly string[] },
): void {
  const accounts = options.accounts ?? [];
  const roleArn = (account: string) => `arn:${Aws.PARTITION}:iam::${account}:role/${options.memberRoleName}`;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberReadRole',
      actions: ['sts:AssumeRole'],
      resources: accounts.length > 0 ? accounts.map(roleArn) : [roleArn('*')],
      ...(options.organizationId
        ? { conditions: { StringEquals: { 'aws:ResourceOrgID': options.organizationId } } }
        : {}),
    }),
  );
  if (accounts.length > 0) return;
  acknowledgeWildcards(role, {
    [`Resource::arn:<AWS::Partition>:iam::*:role/${options.memberRoleName}`]:
      'The member role has the same name in every target account; the account is the only wildcard ' +
      '(targets are discovered at run time), and aws:ResourceOrgID limits it to the organization when set.',
  });
}

/** Read-only AWS Organizations calls for account discovery (from the management or a delegated admin account). */
export function allowOrganizationDiscovery(role: iam.Role): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DiscoverOrganizationAccounts',
      actions: [
        'organizations:DescribeOrganization',
        'organizations:ListAccounts',
        'organizations:ListAccountsForParent',
        'organizations:ListOrganizationalUnitsForParent',
        'organizations:ListParents',
        'organizations:ListRoots',
        'organizations:ListTagsForResource',
      ],
      resources: ['*'],
    }),
  );
  acknowledgeWildcards(role, {
    'Resource::*':
      'Discovery walks the whole organization tree (roots, OUs, accounts) whose ids are only known at ' +
      'run time; DescribeOrganization and ListRoots/ListAccounts take no resource. All actions are read-only.',
  });
}

/**
 * Registry access in the detector's own account. The scanner reads the account it runs in
 * with its own credentials instead of the member role (functions/scan/registry-scanner.ts),
 * so the detector gets the member role's registry statements, which name only the
 * caller's own account; the write only with `apply` and only when its own account is on the
 * remediation allow-list. When the stack's account is known only at deploy time, the write
 * policy exists under a CloudFormation condition comparing AWS::AccountId with the list.
 */
export function allowOwnRegistryAccess(
  role: iam.Role,
  remediation: { mode: RemediationMode; accounts: readonly string[] },
): void {
  for (const statement of registryReadStatements()) role.addToPolicy(statement);
  acknowledgeWildcards(role, REGISTRY_WILDCARDS);
  if (remediation.mode !== 'apply' || remediation.accounts.length === 0) return;
  const stack = Stack.of(role);
  if (!Token.isUnresolved(stack.account)) {
    if (remediation.accounts.includes(stack.account)) role.addToPolicy(registryWriteStatement());
    return;
  }
  // Both in the stack, not under the role: the function depends on its role and everything below it.
  const id = Names.uniqueId(role);
  const condition = new CfnCondition(stack, `${id}OwnAccountAllowListed`, {
    expression: anyOf(remediation.accounts.map((account) => Fn.conditionEquals(Aws.ACCOUNT_ID, account))),
  });
  // A plain CfnPolicy, not iam.Policy: the function would depend on it, and a DependsOn on a
  // resource whose condition is false fails the deployment.
  const policy = new iam.CfnPolicy(stack, `${id}OwnRegistryWritePolicy`, {
    policyName: 'OwnRegistryWrite',
    roles: [role.roleName],
    policyDocument: new iam.PolicyDocument({ statements: [registryWriteStatement()] }),
  });
  policy.cfnOptions.condition = condition;
  acknowledgeWildcards(policy, REGISTRY_WILDCARDS);
}

/** Fn::Or takes 2 to 10 conditions: a longer list becomes a tree of them. */
function anyOf(conditions: ICfnConditionExpression[]): ICfnConditionExpression {
  if (conditions.length === 1) return conditions[0]!;
  if (conditions.length <= 10) return Fn.conditionOr(...conditions);
  const groups: ICfnConditionExpression[] = [];
  for (let i = 0; i < conditions.length; i += 10) groups.push(anyOf(conditions.slice(i, i + 10)));
  return anyOf(groups);
}

/**
 * The scanner reads the status of the profiles a registry references with the detector's
 * own credentials (functions/scan/registry-scanner.ts), not the member role's.
 */
export function allowSigningProfileRead(role: iam.Role): void {
  role.addToPolicy(signingProfileReadStatement());
  acknowledgeWildcards(role, SIGNING_PROFILE_WILDCARDS);
}

/**
 * Security Hub: importing findings under the account's own default product, the only
 * product a custom integration may import to (its findings carry this account's id).
 */
export function allowSecurityHubImport(role: iam.Role): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ImportSecurityHubFindings',
      actions: ['securityhub:BatchImportFindings'],
      resources: [
        `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`,
      ],
    }),
  );
}
