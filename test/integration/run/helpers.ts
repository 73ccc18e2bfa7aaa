/**
 * Shared by the run integration tests: the example world on a local AWS endpoint, a
 * run configuration pointed at it, a clock the test moves, identities of member
 * accounts, and readers for what reached SNS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient, PutSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { EcrRegistry } from '../../../functions/aws/ecr-registry.js';
import schema from '../../../functions/core/alerts/alert-message.schema.json' with { type: 'json' };
import type { AlertMessageBody } from '../../../functions/core/alerts/machine-body.js';
import type { SigningConfiguration, TargetRef } from '../../../functions/core/types.js';
import { bundledPolicies } from '../../../functions/lambda/bundled-policies.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import type { LocalAws } from '../../../functions/local-aws/server.js';
import type { PublishedMessage } from '../../../functions/local-aws/state.js';
import type { DriftStore } from '../../../functions/records/drift-store.js';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import type { DetectorRunConfig } from '../../../functions/run/detector.js';
import { silentTelemetry } from '../../../functions/run/telemetry.js';
import { SCAN_DEFAULTS } from '../../../functions/scan/scan-session.js';
import { clientConfig, useLocalAws } from '../local-aws/helpers.js';

export const HOME_REGION = 'us-east-1';
export const REGIONS = ['us-east-1', 'eu-west-1'];
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The topic the example world starts with. */
export const WORLD_TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alerts';

/** The example world's registries, by the part they play. */
export const COMPLIANT_222_US: TargetRef = { accountId: '222222222222', region: 'us-east-1' };
/** In line with policy but narrower than the desired configuration: its only finding is matches-desired. */
export const NARROWED_222_EU: TargetRef = { accountId: '222222222222', region: 'eu-west-1' };
export const DENIED_ACCOUNT = '555555555555';

/** Every target of the example world in both regions, as `account/region`. */
export const ALL_TARGETS = [
  '111111111111/eu-west-1',
  '111111111111/us-east-1',
  '222222222222/eu-west-1',
  '222222222222/us-east-1',
  '333333333333/eu-west-1',
  '333333333333/us-east-1',
  '444444444444/eu-west-1',
  '444444444444/us-east-1',
  '555555555555/eu-west-1',
  '555555555555/us-east-1',
];
/** The targets the first run over the example world alerts: all (the narrowed registry for its drift). */
export const ALERTED_TARGETS = ALL_TARGETS;

/** The compliant registry of 222222222222/us-east-1 with its `*prod*` filter taken away. */
export const BROKEN_CONFIGURATION: SigningConfiguration = {
  rules: [
    {
      signingProfileArn: 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing',
      repositoryFilters: [{ filter: 'platform/*', filterType: 'WILDCARD_MATCH' }],
    },
  ],
};

/** The example world's configuration of a registry. */
export function worldConfiguration(target: TargetRef): SigningConfiguration | null {
  const registry = exampleWorld().registries.find(
    (r) => r.accountId === target.accountId && r.region === target.region,
  );
  if (!registry) throw new Error(`the example world has no registry ${key(target)}`);
  return registry.signingConfiguration;
}

/** The example world on one endpoint for the file, reset before each test. */
export function useExampleWorld(): { readonly current: LocalAws } {
  return useLocalAws(exampleWorld());
}

/**
 * The run's clients find their credentials in the environment, as the Lambda's do; any key
 * the endpoint did not issue acts as the world's caller account (111111111111).
 */
export function useCallerCredentials(): void {
  const saved: Record<string, string | undefined> = {};
  const values = { AWS_ACCESS_KEY_ID: 'AKIDRUNTEST', AWS_SECRET_ACCESS_KEY: 'local' };
  beforeAll(() => {
    for (const [name, value] of Object.entries(values)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

export async function temporaryDirectory(prefix = 'run-'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
}

export async function temporaryFileStore(): Promise<FileDriftStore> {
  return new FileDriftStore({ directory: await temporaryDirectory('run-store-') });
}

/** A clock the test sets: every reading returns the same instant until it is moved. */
export interface TestClock {
  (): Date;
  set(iso: string | number): void;
  advance(ms: number): void;
  readonly ms: number;
}

export function testClock(start = '2026-03-02T09:00:00Z'): TestClock {
  let now = Date.parse(start);
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (at) => {
    now = typeof at === 'number' ? at : Date.parse(at);
  };
  clock.advance = (ms) => {
    now += ms;
  };
  Object.defineProperty(clock, 'ms', { get: () => now });
  return clock;
}

export interface RunOptions {
  runId: string;
  store: DriftStore;
  topicArn?: string | null;
  remediation?: Partial<DetectorRunConfig['remediation']>;
  clock?: () => Date;
  reminderIntervalMs?: number;
  regions?: string[];
  concurrency?: number;
}

/** A run over the example world's organization, through the endpoint, with the repository's policies. */
export async function runConfig(localAws: LocalAws, options: RunOptions): Promise<DetectorRunConfig> {
  const policies = await bundledPolicies();
  const concurrency = options.concurrency ?? 4;
  return {
    runId: options.runId,
    trigger: 'test',
    scan: {
      organization: {},
      regions: options.regions ?? REGIONS,
      roleName: SCAN_DEFAULTS.roleName,
      sessionName: SCAN_DEFAULTS.sessionName,
      homeRegion: HOME_REGION,
      endpoint: localAws.url,
      concurrency,
      maxAttempts: 1,
      assumeRoleRatePerSecond: 500,
      requestTimeoutMs: 5000,
      readRepositoryTags: policies.readsRepositoryTags,
    },
    store: options.store,
    topicArn: options.topicArn === undefined ? WORLD_TOPIC_ARN : options.topicArn,
    audit: { policySet: policies.policySet, desired: policies.desired, strategy: 'merge' },
    remediation: { mode: 'off', accounts: [], maxPerRun: 5, ...options.remediation },
    reminderIntervalMs: options.reminderIntervalMs ?? DAY_MS,
    telemetry: silentTelemetry,
    ...(options.clock ? { clock: options.clock } : {}),
  };
}

/** Creates a topic through the SDK, as the caller account; returns its ARN. */
export async function createTopic(localAws: LocalAws, name: string): Promise<string> {
  const sns = new SNSClient(clientConfig(localAws));
  try {
    const out = await sns.send(new CreateTopicCommand({ Name: name }));
    return out.TopicArn!;
  } finally {
    sns.destroy();
  }
}

async function credentialsOf(localAws: LocalAws, accountId: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient(clientConfig(localAws));
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/platform-admin`,
        RoleSessionName: 'someone-else',
      }),
    );
    const c = out.Credentials!;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
  } finally {
    sts.destroy();
  }
}

/** An ECR client acting as the target's account (AssumeRole credentials the endpoint maps to it). */
export async function ecrClientOf(localAws: LocalAws, target: TargetRef): Promise<ECRClient> {
  const credentials = await credentialsOf(localAws, target.accountId);
  return new ECRClient(clientConfig(localAws, { region: target.region, credentials }));
}

export async function ecrRegistryOf(localAws: LocalAws, target: TargetRef): Promise<EcrRegistry> {
  return new EcrRegistry({ client: await ecrClientOf(localAws, target) });
}

/** The registry's configuration as a separate client reads it. */
export async function readConfiguration(
  localAws: LocalAws,
  target: TargetRef,
): Promise<SigningConfiguration | null> {
  const client = await ecrClientOf(localAws, target);
  try {
    return await new EcrRegistry({ client }).getSigningConfiguration();
  } finally {
    client.destroy();
  }
}

/** Someone else changes a registry: a real PutSigningConfiguration as the registry's account. */
export async function putConfiguration(
  localAws: LocalAws,
  target: TargetRef,
  configuration: SigningConfiguration,
): Promise<void> {
  const client = await ecrClientOf(localAws, target);
  try {
    await client.send(new PutSigningConfigurationCommand({ signingConfiguration: configuration }));
  } finally {
    client.destroy();
  }
}

export function key(target: { accountId: string; region: string }): string {
  return `${target.accountId}/${target.region}`;
}

/** The machine body subscribers (SQS, Lambda, HTTPS) receive. */
export function machineBody(message: PublishedMessage): AlertMessageBody {
  const bodies = JSON.parse(message.message) as Record<string, string>;
  return JSON.parse(bodies['sqs']!) as AlertMessageBody;
}

/** A message attribute's value: String as it is, String.Array parsed. */
export function attribute(message: PublishedMessage, name: string): string | string[] | undefined {
  const value = message.messageAttributes[name];
  if (!value) return undefined;
  return value.DataType === 'String.Array' ? (JSON.parse(value.StringValue!) as string[]) : value.StringValue;
}

export function targetOf(message: PublishedMessage): string {
  return `${attribute(message, 'accountId')}/${attribute(message, 'region')}`;
}

/** Messages grouped by target (`account/region`), in publish order. */
export function messagesByTarget(messages: readonly PublishedMessage[]): Map<string, PublishedMessage[]> {
  const grouped = new Map<string, PublishedMessage[]>();
  for (const message of messages) {
    const target = targetOf(message);
    grouped.set(target, [...(grouped.get(target) ?? []), message]);
  }
  return grouped;
}

/** How many messages each target got, sorted by target. */
export function countsByTarget(messages: readonly PublishedMessage[]): Record<string, number> {
  const counts = [...messagesByTarget(messages)].map(([target, list]) => [target, list.length] as const);
  return Object.fromEntries(counts.sort(([a], [b]) => a.localeCompare(b)));
}

/** Event types of each target's messages, sorted by target. */
export function eventTypesByTarget(messages: readonly PublishedMessage[]): Record<string, string[][]> {
  const types = [...messagesByTarget(messages)].map(
    ([target, list]) => [target, list.map((m) => machineBody(m).events.map((e) => e.type))] as const,
  );
  return Object.fromEntries(types.sort(([a], [b]) => a.localeCompare(b)));
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validateBody = ajv.compile(schema);

/** Problems of a machine body against alert-message.schema.json; empty when it is valid. */
export function machineBodyProblems(body: unknown): string {
  return validateBody(body) ? '' : ajv.errorsText(validateBody.errors);
}
