import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MemberRoleStack } from '../../infra/lib/member-role-stack.js';
import {
  allowedActions,
  logicalIdOf,
  OWN_ACCOUNT_REPOSITORIES_ARN,
  roleStatements,
  statementsAllowing,
  unacknowledgedNagFindings,
} from './fixtures.js';

const app = new App();
const stack = new MemberRoleStack(app, 'MemberRole');
const template = Template.fromStack(stack);
const json = template.toJSON();
const roleId = logicalIdOf(stack.role);
const statements = roleStatements(template, roleId);

describe('member role stack', () => {
  it('takes the detector role, external id and remediation switch as parameters', () => {
    expect(json.Parameters).toMatchObject({
      DetectorRoleArn: { Type: 'String' },
      ExternalId: { Type: 'String', MinLength: 2 },
      EnableRemediation: { Type: 'String', AllowedValues: ['true', 'false'], Default: 'false' },
    });
  });

  it('names the role as the detector expects it, by default EcrSignDriftReadRole', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'EcrSignDriftReadRole' });
    const custom = Template.fromStack(
      new MemberRoleStack(new App(), 'Custom', { memberRoleName: 'OrgEcrReader' }),
    );
    custom.hasResourceProperties('AWS::IAM::Role', { RoleName: 'OrgEcrReader' });
  });

  it('is trusted only by the detector role and only with the external id', () => {
    expect(json.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: { Ref: 'DetectorRoleArn' } },
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
  });

  it('allows exactly the read actions in its own, unconditional policy', () => {
    const inline = json.Resources[roleId].Properties.Policies as {
      PolicyDocument: { Statement: object[] };
    }[];
    expect(inline).toHaveLength(1);
    const inlineStatements = roleStatements(
      Template.fromJSON({
        Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Policies: inline } } },
      }),
      'Role',
    );
    expect(allowedActions(inlineStatements)).toEqual([
      'cloudtrail:LookupEvents',
      'ecr:DescribeImageSigningStatus',
      'ecr:DescribeImages',
      'ecr:DescribeRepositories',
      'ecr:GetSigningConfiguration',
      'ecr:ListTagsForResource',
      'signer:GetSigningProfile',
      'tag:GetResources',
    ]);
  });

  it('reads repository tags in bulk with tag:GetResources, in its unconditional policy', () => {
    const [bulk] = statementsAllowing(statements, 'tag:GetResources');
    expect(bulk).toMatchObject({ Effect: 'Allow', Action: ['tag:GetResources'], Resource: ['*'] });
    expect(bulk).not.toHaveProperty('Condition');
  });

  it('allows writing the configuration only under the EnableRemediation condition', () => {
    const put = statementsAllowing(statements, 'ecr:PutSigningConfiguration');
    expect(put).toHaveLength(1);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({
      Condition: 'RemediationEnabled',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Action: ['ecr:PutSigningConfiguration', 'ecr:DeleteSigningConfiguration'],
              Effect: 'Allow',
            },
          ],
        },
        Roles: [{ Ref: roleId }],
      },
    });
    expect(json.Conditions.RemediationEnabled).toEqual({
      'Fn::Equals': [{ Ref: 'EnableRemediation' }, 'true'],
    });
  });

  it('lists repositories only in its own account', () => {
    const [describe] = statementsAllowing(statements, 'ecr:DescribeRepositories');
    expect(describe!.Resource).toEqual([OWN_ACCOUNT_REPOSITORIES_ARN]);
  });

  it("reads images and their signing status only in its own account's repositories, unconditionally", () => {
    const [images] = statementsAllowing(statements, 'ecr:DescribeImageSigningStatus');
    expect(images).toMatchObject({
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'ecr:DescribeImageSigningStatus'],
      Resource: [OWN_ACCOUNT_REPOSITORIES_ARN],
    });
    expect(images).not.toHaveProperty('Condition');
  });

  it('needs no CDK bootstrap in the target account', () => {
    expect(json.Parameters).not.toHaveProperty('BootstrapVersion');
    expect(json.Rules ?? {}).not.toHaveProperty('CheckBootstrapVersion');
    const assets = app.synth().getStackArtifact(stack.artifactId).assets;
    expect(assets).toEqual([]);
  });

  it('outputs the role ARN', () => {
    expect(json.Outputs.RoleArn.Value).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
