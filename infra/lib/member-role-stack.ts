/**
 * The role the detector assumes in every member account, for CloudFormation StackSets.
 * Per-account choices are stack parameters (StackSets pass parameters, not CDK context),
 * and the template needs no CDK bootstrap in the target accounts.
 */
import {
  BootstraplessSynthesizer,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEFAULT_MEMBER_ROLE_NAME } from './context.js';
import {
  acknowledgeWildcards,
  REGISTRY_WILDCARDS,
  registryReadStatements,
  registryWriteStatement,
  SIGNING_PROFILE_WILDCARDS,
  signingProfileReadStatement,
} from './permissions.js';

export interface MemberRoleStackProps extends Omit<StackProps, 'synthesizer'> {
  /** The role's name; the detector builds the role ARN from it in every account. */
  memberRoleName?: string;
}

export class MemberRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberRoleStackProps = {}) {
    const { memberRoleName = DEFAULT_MEMBER_ROLE_NAME, ...stackProps } = props;
    super(scope, id, {
      description: 'ecr-sign-drift: the read (and optional remediation) role the central detector assumes',
      ...stackProps,
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
      // A fixed name on purpose: the detector derives the role ARN in each account from it.
      roleName: memberRoleName,
      description:
        'Lets the ecr-sign-drift detector read (and, if enabled, set) the registry signing configuration',
      assumedBy: new iam.ArnPrincipal(detectorRoleArn.valueAsString),
      externalIds: [externalId.valueAsString],
      inlinePolicies: {
        ReadSigningConfiguration: new iam.PolicyDocument({
          statements: [...registryReadStatements(), signingProfileReadStatement()],
        }),
      },
    });
    acknowledgeWildcards(this.role, { ...REGISTRY_WILDCARDS, ...SIGNING_PROFILE_WILDCARDS });

    const remediationPolicy = new iam.Policy(this, 'RemediationPolicy', {
      roles: [this.role],
      statements: [registryWriteStatement()],
    });
    // The write exists only in accounts whose stack instance sets EnableRemediation=true.
    (remediationPolicy.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = remediationEnabled;
    acknowledgeWildcards(remediationPolicy, { 'Resource::*': REGISTRY_WILDCARDS['Resource::*']! });

    new CfnOutput(this, 'RoleArn', {
      description: 'The role the detector assumes',
      value: this.role.roleArn,
    });
  }
}
