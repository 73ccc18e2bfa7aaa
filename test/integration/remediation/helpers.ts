/**
 * Shared by the remediation integration tests: a local AWS world with one registry that is
 * configured and one that never was, acting as their accounts through AssumeRole, and a
 * FileDriftStore in a temporary directory per test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient, GetSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterEach } from 'vitest';
import { EcrRegistry } from '../../../functions/aws/ecr-registry.js';
import { configurationHash } from '../../../functions/core/drift/index.js';
import { planRemediation, type RemediationPlan } from '../../../functions/core/planning/index.js';
import type { SigningConfiguration, SigningRule, TargetRef } from '../../../functions/core/types.js';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import type { RemediationContext } from '../../../functions/remediation/guarded-change.js';
import { clientConfig, useLocalAws, worldWith } from '../local-aws/helpers.js';

export const REGION = 'us-east-1';
/** Configured with a dev rule for team/*. */
export const CONFIGURED: TargetRef = { accountId: '222233334444', region: REGION };
/** Never configured. */
export const UNCONFIGURED: TargetRef = { accountId: '333344445555', region: REGION };
export const REPOSITORIES = ['payments/api', 'team/tool'];

const profile = (name: string) => `arn:aws:signer:${REGION}:999988887777:/signing-profiles/${name}`;
export const PROD_PROFILE = profile('prod_signing');
export const DEV_PROFILE = profile('dev_signing');

export function rule(signingProfileArn: string, ...filters: string[]): SigningRule {
  return filters.length === 0
    ? { signingProfileArn }
    : {
        signingProfileArn,
        repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
      };
}

export const DEV_CONFIGURATION: SigningConfiguration = { rules: [rule(DEV_PROFILE, 'team/*')] };
/** What the runs want: prod signing for payments/*. */
export const DESIRED: SigningConfiguration = { rules: [rule(PROD_PROFILE, 'payments/*')] };

const repositories = REPOSITORIES.map((repositoryName) => ({ repositoryName }));

export const localAws = useLocalAws(
  worldWith([
    { ...CONFIGURED, signingConfiguration: DEV_CONFIGURATION, repositories },
    { ...UNCONFIGURED, signingConfiguration: null, repositories },
  ]),
);

async function credentialsOf(accountId: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient(clientConfig(localAws.current));
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/ecr-sign-drift-remediate`,
      RoleSessionName: 'remediation-test',
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** An SDK client acting as the target's account: the tool's, or another writer's. */
export async function ecrClientOf(target: TargetRef): Promise<ECRClient> {
  const credentials = await credentialsOf(target.accountId);
  return new ECRClient(clientConfig(localAws.current, { region: target.region, credentials }));
}

/** The registry's configuration as a separate client reads it (null: never configured). */
export async function registryConfiguration(target: TargetRef): Promise<SigningConfiguration | null> {
  return new EcrRegistry({ client: await ecrClientOf(target) }).getSigningConfiguration();
}

/** Whether GetSigningConfiguration says the registry was never configured, through a separate raw client. */
export async function isNeverConfigured(target: TargetRef): Promise<boolean> {
  const client = await ecrClientOf(target);
  try {
    await client.send(new GetSigningConfigurationCommand({}));
    return false;
  } catch (error) {
    if (error instanceof Error && error.name === 'SigningConfigurationNotFoundException') return true;
    throw error;
  }
}

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

export async function temporaryStore(): Promise<FileDriftStore> {
  const directory = await mkdtemp(join(tmpdir(), 'remediation-'));
  directories.push(directory);
  return new FileDriftStore({ directory });
}

/** A clock that moves one second a reading, so journal times tell the steps apart. */
export function steppingClock(start = Date.parse('2026-03-01T12:00:00Z')): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

export async function contextFor(
  target: TargetRef,
  runId: string,
  store?: FileDriftStore,
): Promise<RemediationContext & { store: FileDriftStore; ecr: EcrRegistry }> {
  return {
    ecr: new EcrRegistry({ client: await ecrClientOf(target) }),
    store: store ?? (await temporaryStore()),
    runId,
    now: steppingClock(),
  };
}

/** What a run does before applying: read the registry, plan against the desired configuration, keep the hash it evaluated. */
export async function evaluate(
  context: { ecr: EcrRegistry },
  target: TargetRef,
  desired: SigningConfiguration = DESIRED,
): Promise<{ plan: RemediationPlan; evaluatedHash: string }> {
  const actual = await context.ecr.getSigningConfiguration();
  const plan = planRemediation({ ...target, actual, desired, repositories: REPOSITORIES });
  return { plan, evaluatedHash: configurationHash(actual) };
}
