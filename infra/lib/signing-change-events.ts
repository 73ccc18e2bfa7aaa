/**
 * Real-time drift: ECR's signing-configuration writes reach the detector within seconds.
 * CloudTrail records PutSigningConfiguration and DeleteSigningConfiguration as management
 * events; EventBridge delivers them to the default bus of the account and region where they
 * happened. Member accounts forward them (MemberEventsStack, a StackSet in every region) to
 * a central bus here, which only the organization (or the listed accounts) may put to; a
 * rule on it, and one on this account's own default bus, invoke the detector with the event.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The events the detector handles (functions/run/signing-change-event.schema.json). */
export const SIGNING_CHANGE_EVENT_PATTERN: events.EventPattern = {
  source: ['aws.ecr'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['ecr.amazonaws.com'],
    eventName: ['PutSigningConfiguration', 'DeleteSigningConfiguration'],
  },
};

export interface SigningChangeEventsProps {
  /** The function that takes the event: the detector, or the scale-out scheduler. */
  handler: lambda.IFunction;
  /** With it, any principal of the organization may forward events; without it, only `accounts`. */
  organizationId?: string;
  /** Member accounts allowed to forward when there is no organization id. */
  accounts: readonly string[];
  /** Where events the function could not take end up. */
  deadLetterQueue: sqs.IQueue;
}

export class SigningChangeEvents extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: SigningChangeEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'ecr-sign-drift: signing-configuration changes forwarded by member accounts',
    });
    // Organization discovery without an organization id names no one: only this account puts.
    if (props.organizationId || props.accounts.length > 0) this.#allowForwarding(props);
    const target = new targets.LambdaFunction(props.handler, {
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: props.deadLetterQueue,
    });
    new events.Rule(this, 'ForwardedChanges', {
      description: 'Runs ecr-sign-drift on the target of a signing-configuration change in a member account',
      eventBus: this.bus,
      eventPattern: SIGNING_CHANGE_EVENT_PATTERN,
      targets: [target],
    });
    new events.Rule(this, 'OwnAccountChanges', {
      description:
        "Runs ecr-sign-drift on the target of a signing-configuration change in the detector's account",
      eventPattern: SIGNING_CHANGE_EVENT_PATTERN,
      targets: [target],
    });
  }

  #allowForwarding(props: SigningChangeEventsProps): void {
    this.bus.addToResourcePolicy(
      props.organizationId
        ? new iam.PolicyStatement({
            sid: 'OrganizationForwardsSigningChanges',
            principals: [new iam.AnyPrincipal()],
            actions: ['events:PutEvents'],
            resources: [this.bus.eventBusArn],
            conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
          })
        : new iam.PolicyStatement({
            sid: 'MembersForwardSigningChanges',
            principals: props.accounts.map((account) => new iam.AccountPrincipal(account)),
            actions: ['events:PutEvents'],
            resources: [this.bus.eventBusArn],
          }),
    );
  }
}
