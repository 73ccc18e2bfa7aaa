/**
 * The role the detector assumes in every member account, for CloudFormation StackSets.
 * Per-account choices are stack parameters (StackSets pass parameters, not CDK context),
 * and the template needs no CDK bootstrap in the target accounts.
 */
import {
  Aws,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Fn,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEFAULT_MEMBER_ROLE_NAME } from './context.js';
import { REGISTRY_READ_ACTIONS, REGISTRY_WRITE_ACTION, SIGNING_PROFILE_READ_ACTION } from './permissions.js';

export interface MemberRoleStackProps extends Omit<StackProps, 'synthesizer'> {
  /** The role's name; the detector builds the role ARN from it in every account. */
  memberRoleName?: string;
}

export const MEMBER_READ_ACTIONS = [...REGISTRY_READ_ACTIONS, SIGNING_PROFILE_READ_ACTION] as const;

export class MemberRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberRoleStackProps = {}) {
    super(scope, id, {
      description: 'ecr-sign-drift: the read (and optional remediation) role the central detector assumes',
      ...props,
      // No bootstrap resources referenced: StackSets deploy the plain template to any account.
      synthesizer: new BootstraplessSynthesizer(),
    });

    const detectorRoleArn = new CfnParameter(this, 'DetectorRoleArn', {
      type: 'String',
      description: 'The DetectorRoleArn output of the central EcrSignDriftDetector stack',
      allowedPattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$',
      constraintDescription: 'must be an IAM role ARN',
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      description: "The detector's externalId context value (sts:ExternalId required to assume the role)",
      minLength: 2,
      maxLength: 1224,
      allowedPattern: '^[\\w+=,.@:/-]+$',
    });
    const enableRemediation = new CfnParameter(this, 'EnableRemediation', {
      type: 'String',
      description:
        'true lets the detector write the registry signing configuration (ecr:PutSigningConfiguration)',
      allowedValues: ['true', 'false'],
      default: 'false',
    });
    const remediationEnabled = new CfnCondition(this, 'RemediationEnabled', {
      expression: Fn.conditionEquals(enableRemediation.valueAsString, 'true'),
    });

    this.role = new iam.Role(this, 'ReadRole', {
      roleName: props.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
      description:
        'Lets the ecr-sign-drift detector read (and, if enabled, set) the registry signing configuration',
      assumedBy: new iam.ArnPrincipal(detectorRoleArn.valueAsString),
      externalIds: [externalId.valueAsString],
      inlinePolicies: {
        ReadSigningConfiguration: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'ReadRegistrySigningConfiguration',
              actions: ['ecr:GetSigningConfiguration'],
              // Registry-level action: no resource ARN; it reads only this account's registry.
              resources: ['*'],
            }),
            new iam.PolicyStatement({
              sid: 'ListRepositories',
              actions: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource'],
              resources: [`arn:${Aws.PARTITION}:ecr:*:${Aws.ACCOUNT_ID}:repository/*`],
            }),
            new iam.PolicyStatement({
              sid: 'ReadSigningProfiles',
              actions: [SIGNING_PROFILE_READ_ACTION],
              resources: [`arn:${Aws.PARTITION}:signer:*:*:/signing-profiles/*`],
            }),
          ],
        }),
      },
    });

    const remediationPolicy = new iam.Policy(this, 'RemediationPolicy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteRegistrySigningConfiguration',
          actions: [REGISTRY_WRITE_ACTION],
          resources: ['*'],
        }),
      ],
    });
    // The write exists only in accounts whose stack instance sets EnableRemediation=true.
    (remediationPolicy.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = remediationEnabled;

    const wildcardReasons: Record<string, string> = {
      'Resource::*':
        'GetSigningConfiguration and PutSigningConfiguration are registry-level actions without a resource ARN; ' +
        "they act only on this account's registry.",
      'Resource::arn:<AWS::Partition>:ecr:*:<AWS::AccountId>:repository/*':
        "Every repository of this account's registry, in every scanned region, is listed (read-only).",
      'Resource::arn:<AWS::Partition>:signer:*:*:/signing-profiles/*':
        'Registries may reference signing profiles in any account and region; the status lookup is read-only.',
    };
    for (const [finding, reason] of Object.entries(wildcardReasons)) {
      Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
    Validations.of(remediationPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: wildcardReasons['Resource::*']!,
    });

    new CfnOutput(this, 'RoleArn', {
      description: 'The role the detector assumes',
      value: this.role.roleArn,
    });
  }
}
