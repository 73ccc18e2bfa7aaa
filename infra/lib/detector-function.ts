/**
 * One of the detector's Lambda functions with its own role and log group: every
 * handler shares runtime, architecture and logging, and each role starts empty so
 * its permissions are only the grants made for that handler.
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_HANDLER, type LambdaAssetName, lambdaCode } from './lambda-assets.js';

export interface DetectorFunctionProps {
  lambdaAssetRoot: string;
  assetName: LambdaAssetName;
  description: string;
  environment: Record<string, string>;
  memorySize: number;
  timeout: Duration;
  /** 1 keeps runs from overlapping; undefined leaves the function unreserved. */
  reservedConcurrentExecutions?: number;
}

const RUNTIME = lambda.Runtime.NODEJS_24_X;
const ARCHITECTURE = lambda.Architecture.ARM_64;
const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

export class DetectorFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DetectorFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      // Logs are an audit trail of scans and remediations: they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role of our own instead of the default one with AWSLambdaBasicExecutionRole,
    // whose logs:* grant covers every log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      handler: LAMBDA_HANDLER,
      code: lambdaCode(props.lambdaAssetRoot, props.assetName),
      role: this.role,
      logGroup: this.logGroup,
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: props.environment,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      // Text log format (the default): Powertools writes JSON lines and EMF metrics itself.
    });
  }
}
