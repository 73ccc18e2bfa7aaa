/**
 * The member side of real-time drift (see signing-change-events.ts), for a second
 * CloudFormation StackSet deployed to every account and to every configured region (events
 * are regional; the member role stack is global and deployed once). It forwards the
 * account's signing-configuration writes to the detector's central bus.
 */
import { BootstraplessSynthesizer, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { SIGNING_CHANGE_EVENT_PATTERN } from './signing-change-events.js';

export class MemberEventsStack extends Stack {
  readonly forwardingRole: iam.Role;

  constructor(scope: Construct, id: string, props: Omit<StackProps, 'synthesizer'> = {}) {
    super(scope, id, {
      description: "ecr-sign-drift: forwards this region's ECR signing-configuration changes to the detector",
      ...props,
      synthesizer: new BootstraplessSynthesizer(),
    });
    const busArn = new CfnParameter(this, 'SigningChangeBusArn', {
      type: 'String',
      description: 'The SigningChangeBusArn output of the central EcrSignDriftDetector stack',
      allowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/.+$',
      constraintDescription: 'must be an EventBridge event bus ARN',
    });
    const bus = events.EventBus.fromEventBusArn(this, 'CentralBus', busArn.valueAsString);
    this.forwardingRole = new iam.Role(this, 'ForwardingRole', {
      description: "Lets EventBridge put this region's signing-configuration changes on the detector's bus",
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    this.forwardingRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn.valueAsString] }),
    );
    new events.Rule(this, 'SigningChanges', {
      description: 'Forwards ECR PutSigningConfiguration and DeleteSigningConfiguration to ecr-sign-drift',
      eventPattern: SIGNING_CHANGE_EVENT_PATTERN,
      targets: [new targets.EventBus(bus, { role: this.forwardingRole })],
    });
  }
}
