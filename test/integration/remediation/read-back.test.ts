/**
 * The one remediation case the local endpoint cannot produce: it stores exactly what
 * PutSigningConfiguration is given, so GetSigningConfiguration right after always returns
 * it. A read-back that differs (AWS storing something else, or another writer landing
 * between the two calls) is scripted here with aws-sdk-client-mock instead.
 */
import {
  ECRClient,
  GetSigningConfigurationCommand,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EcrRegistry } from '../../../functions/aws/ecr-registry.js';
import { configurationHash } from '../../../functions/core/drift/index.js';
import { planRemediation } from '../../../functions/core/planning/index.js';
import type { SigningConfiguration } from '../../../functions/core/types.js';
import { applyRemediation } from '../../../functions/remediation/apply-remediation.js';
import {
  CONFIGURED,
  DESIRED,
  DEV_CONFIGURATION,
  DEV_PROFILE,
  PROD_PROFILE,
  REPOSITORIES,
  rule,
  steppingClock,
  temporaryStore,
} from './helpers.js';

describe('applyRemediation when the read-back differs', () => {
  it('fails with "read back differs from the plan" and journals what was read', async () => {
    const client = new ECRClient({ region: CONFIGURED.region });
    const ecr = mockClient(client);
    const plan = planRemediation({
      ...CONFIGURED,
      actual: DEV_CONFIGURATION,
      desired: DESIRED,
      repositories: REPOSITORIES,
    });
    // The prod rule came back without its filter: neither the plan nor what was there before.
    const readBack: SigningConfiguration = { rules: [rule(DEV_PROFILE, 'team/*'), rule(PROD_PROFILE)] };
    ecr
      .on(GetSigningConfigurationCommand)
      .resolvesOnce({ registryId: CONFIGURED.accountId, signingConfiguration: DEV_CONFIGURATION })
      .resolvesOnce({ registryId: CONFIGURED.accountId, signingConfiguration: readBack });
    ecr.on(PutSigningConfigurationCommand).resolves({ signingConfiguration: plan.after });
    const store = await temporaryStore();
    const context = { ecr: new EcrRegistry({ client }), store, runId: 'run-1', now: steppingClock() };

    const outcome = await applyRemediation(context, CONFIGURED, plan, configurationHash(DEV_CONFIGURATION));

    expect(outcome).toMatchObject({
      status: 'failed',
      step: 'read-back',
      reason: 'the configuration read back differs from the plan',
      error: null,
      observed: readBack,
      leftAsFound: false,
      after: plan.after,
    });
    expect(ecr.commandCalls(PutSigningConfigurationCommand)).toHaveLength(1);
    expect(ecr.commandCalls(GetSigningConfigurationCommand)).toHaveLength(2);
    expect(await store.getJournalEntry(CONFIGURED, 'run-1')).toMatchObject({
      status: 'failed',
      before: DEV_CONFIGURATION,
      after: readBack,
      plan: { after: plan.after },
      reason: 'the configuration read back differs from the plan',
    });
  });
});
