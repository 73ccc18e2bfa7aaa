/**
 * The detector's IAM grants beyond its own resources, each as narrow as the API allows.
 * Where an action cannot be scoped further, the cdk-nag suppression on the role says why.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RemediationMode } from '../../functions/config/detector-environment.js';

/** Acknowledges cdk-nag IAM5 findings (`Resource::...` strings) on one role, with the reason. */
function acknowledgeWildcards(role: iam.Role, findings: string[], reason: string): void {
  for (const finding of findings) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

/** The role name in every member account, as an ARN pattern over all accounts. */
export function memberRoleArnPattern(memberRoleName: string): string {
  return `arn:${Aws.PARTITION}:iam::*:role/${memberRoleName}`;
}

/** sts:AssumeRole on the member role only, and (with organizationId) only inside the organization. */
export function allowMemberRoleAssumption(
  role: iam.Role,
  options: { memberRoleName: string; organizationId?: string },
): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberReadRole',
      actions: ['sts:AssumeRole'],
      resources: [memberRoleArnPattern(options.memberRoleName)],
      ...(options.organizationId
        ? { conditions: { StringEquals: { 'aws:ResourceOrgID': options.organizationId } } }
        : {}),
    }),
  );
  acknowledgeWildcards(
    role,
    ['Resource::arn:<AWS::Partition>:iam::*:role/' + options.memberRoleName],
    'The member role has the same name in every target account; the account is the only wildcard ' +
      '(targets are discovered at run time), and aws:ResourceOrgID limits it to the organization when set.',
  );
}

export const ORGANIZATION_DISCOVERY_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListParents',
  'organizations:ListRoots',
  'organizations:ListTagsForResource',
] as const;

/** Read-only AWS Organizations calls for account discovery (from the management or a delegated admin account). */
export function allowOrganizationDiscovery(role: iam.Role): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DiscoverOrganizationAccounts',
      actions: [...ORGANIZATION_DISCOVERY_ACTIONS],
      resources: ['*'],
    }),
  );
  acknowledgeWildcards(
    role,
    ['Resource::*'],
    'Discovery walks the whole organization tree (roots, OUs, accounts) whose ids are only known at ' +
      'run time; DescribeOrganization and ListRoots/ListAccounts take no resource. All actions are read-only.',
  );
}

export const REGISTRY_READ_ACTIONS = [
  'ecr:GetSigningConfiguration',
  'ecr:DescribeRepositories',
  'ecr:ListTagsForResource',
] as const;
export const REGISTRY_WRITE_ACTION = 'ecr:PutSigningConfiguration';
export const SIGNING_PROFILE_READ_ACTION = 'signer:GetSigningProfile';

/**
 * Registry access in the detector's own account. The scanner reads the account it runs in
 * with its own credentials instead of the member role (functions/scan/registry-scanner.ts),
 * so these grants mirror the member role's, limited to this account; the write only with `apply`.
 */
export function allowOwnRegistryAccess(role: iam.Role, remediationMode: RemediationMode): void {
  const registryActions: string[] = ['ecr:GetSigningConfiguration'];
  if (remediationMode === 'apply') registryActions.push(REGISTRY_WRITE_ACTION);
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'OwnRegistrySigningConfiguration',
      actions: registryActions,
      // Registry-level actions take no resource ARN; they act on the caller's own registry only.
      resources: ['*'],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'OwnRegistryRepositories',
      actions: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource'],
      resources: [`arn:${Aws.PARTITION}:ecr:*:${Aws.ACCOUNT_ID}:repository/*`],
    }),
  );
  acknowledgeWildcards(
    role,
    ['Resource::*', 'Resource::arn:<AWS::Partition>:ecr:*:<AWS::AccountId>:repository/*'],
    "Signing configuration is registry-level (no resource ARN, always the caller's own registry); " +
      'repositories are listed in every scanned region of this account, so region and name are wildcards.',
  );
}

/**
 * signer:GetSigningProfile on any profile: the scanner reads the status of the profiles a
 * registry references with the detector's own credentials, and those profiles may live in
 * any account and region (shared with the organization through Signer profile permissions).
 */
export function allowSigningProfileRead(role: iam.Role): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadReferencedSigningProfiles',
      actions: [SIGNING_PROFILE_READ_ACTION],
      resources: [`arn:${Aws.PARTITION}:signer:*:*:/signing-profiles/*`],
    }),
  );
  acknowledgeWildcards(
    role,
    ['Resource::arn:<AWS::Partition>:signer:*:*:/signing-profiles/*'],
    'Registries may reference signing profiles in any account and region; the read-only status ' +
      'lookup is limited to signing-profile ARNs.',
  );
}
