/**
 * The detector Lambda applies policies scoped by account tags and organizational units, with
 * organization discovery and with explicit accounts (looked up in Organizations); a lookup
 * Organizations refuses is a warning in the response, never a silent non-match.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { loadDesiredDirectory } from '../../../functions/files/load-desired-directory.js';
import { loadPolicySet } from '../../../functions/files/load-policy-directory.js';
import type { BundledPolicies } from '../../../functions/lambda/bundled-policies.js';
import { writeScopedPolicies } from '../../support/scoped-policies.js';
import { functionEnvironment, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();
let tableName: string;
let bundle: BundledPolicies;

/** The function's bundled policies: one policy per scope kind, flagging every registry in its scope. */
beforeAll(async () => {
  const directory = await writeScopedPolicies(await mkdtemp(join(tmpdir(), 'lambda-scope-policies-')), {
    'tagged-prod': { accountTags: { environment: 'prod' } },
    'unit-dev': { organizationalUnits: ['ou-ex12-dev00001'] },
    'unit-tagged-prod': { organizationalUnitTags: { environment: 'prod' } },
  });
  const { policySet } = await loadPolicySet(directory);
  bundle = {
    policySet,
    desired: await loadDesiredDirectory(join(directory, 'desired')),
    readsRepositoryTags: false,
  };
});

beforeEach(async () => {
  world.localAws.reset();
  world.localAws.setFaults({ rules: [] });
  tableName = await world.dynamo.createTable();
});

async function detectorWith(variables: Record<string, string>) {
  process.env = functionEnvironment(world, tableName, { [DetectorEnv.regions]: 'us-east-1', ...variables });
  vi.resetModules();
  vi.doMock('../../../functions/lambda/bundled-policies.js', () => ({ bundledPolicies: async () => bundle }));
  return (await import('../../../functions/lambda/detector-handler.js')).handler;
}

function flagged(
  response: { findings: { policyId: string; accountId: string }[] },
  policyId: string,
): string[] {
  return [
    ...new Set(response.findings.filter((f) => f.policyId === policyId).map((f) => f.accountId)),
  ].sort();
}

describe('the detector Lambda with scoped policies', () => {
  it('applies account-tag and unit scopes with organization discovery', async () => {
    const handler = await detectorWith({ [DetectorEnv.organizationDiscovery]: 'true' });
    const response = await handler({ action: 'audit' });
    expect(flagged(response, 'tagged-prod')).toEqual(['222222222222', '333333333333']);
    expect(flagged(response, 'unit-dev')).toEqual(['444444444444']);
    expect(flagged(response, 'unit-tagged-prod')).toEqual(['222222222222', '333333333333']);
  });

  it('applies them to explicit accounts in a scheduled run, looked up in Organizations', async () => {
    const handler = await detectorWith({ [DetectorEnv.accounts]: '222222222222,444444444444' });
    const response = await handler({ source: 'aws.scheduler' });
    expect(flagged(response, 'tagged-prod')).toEqual(['222222222222']);
    expect(flagged(response, 'unit-dev')).toEqual(['444444444444']);
    expect(flagged(response, 'unit-tagged-prod')).toEqual(['222222222222']);
    expect(response.warnings).toEqual([]);
  });

  it('warns, naming the policies, when Organizations refuses the lookup', async () => {
    const handler = await detectorWith({ [DetectorEnv.accounts]: '222222222222' });
    world.localAws.setFaults({ rules: [{ service: 'organizations', error: 'access-denied' }] });
    const response = await handler({ action: 'audit' });
    expect(response.findings).toEqual([]);
    const scope = response.warnings?.find((w) => w.errorName === 'ScopeNotEvaluated');
    expect(scope?.message).toContain('tagged-prod (account tags)');
    expect(scope?.message).toContain('unit-dev (organizational units)');
  });
});
