import {
  ECRClient,
  GetSigningConfigurationCommand,
  PutSigningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { clientConfig, getJson, useLocalAws } from './helpers.js';

const localAws = useLocalAws(exampleWorld());
const ALERTS = 'arn:aws:sns:us-east-1:111111111111:ecr-sign-drift-alerts';
const NEW_PROFILE = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ecr_signing';

async function post(path: string): Promise<Response> {
  return fetch(`${localAws.current.url}${path}`, { method: 'POST' });
}

describe('local control endpoints', () => {
  it('reports health', async () => {
    expect(await getJson(`${localAws.current.url}/_local/health`)).toEqual({ status: 'ok' });
  });

  it('serves the registries as changed through the API on GET /_local/state', async () => {
    const ecr = new ECRClient(clientConfig(localAws.current));
    await ecr.send(
      new PutSigningConfigurationCommand({
        signingConfiguration: { rules: [{ signingProfileArn: NEW_PROFILE }] },
      }),
    );
    const state = (await getJson(`${localAws.current.url}/_local/state`)) as {
      snapshotVersion: number;
      registries: { accountId: string; region: string; signingConfiguration: unknown }[];
    };
    expect(state.snapshotVersion).toBe(1);
    const management = state.registries.find(
      (r) => r.accountId === '111111111111' && r.region === 'us-east-1',
    );
    expect(management?.signingConfiguration).toEqual({ rules: [{ signingProfileArn: NEW_PROFILE }] });
  });

  it('restores the world as loaded and forgets messages on POST /_local/reset', async () => {
    const config = clientConfig(localAws.current);
    const ecr = new ECRClient(config);
    await ecr.send(new PutSigningConfigurationCommand({ signingConfiguration: { rules: [] } }));
    await new SNSClient(config).send(new PublishCommand({ TopicArn: ALERTS, Message: 'drift' }));
    expect(localAws.current.messages()).toHaveLength(1);
    expect((await post('/_local/reset')).status).toBe(200);
    const restored = await ecr.send(new GetSigningConfigurationCommand({}));
    expect(restored.signingConfiguration?.rules?.map((r) => r.signingProfileArn)).toEqual([
      'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing',
      'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ecr_signing_legacy',
    ]);
    expect(await getJson(`${localAws.current.url}/_local/sns/messages`)).toEqual({ messages: [] });
  });

  it('pushes an image on POST /_local/push and serves it in GET /_local/state', async () => {
    const response = await fetch(`${localAws.current.url}/_local/push`, {
      method: 'POST',
      body: JSON.stringify({
        accountId: '111111111111',
        region: 'us-east-1',
        repositoryName: 'platform/tools',
        imageTags: ['v9'],
      }),
    });
    expect(response.status).toBe(200);
    const state = (await getJson(`${localAws.current.url}/_local/state`)) as {
      registries: {
        accountId: string;
        region: string;
        repositories: { repositoryName: string; images?: { imageTags: string[] }[] }[];
      }[];
    };
    const tools = state.registries
      .find((r) => r.accountId === '111111111111' && r.region === 'us-east-1')
      ?.repositories.find((r) => r.repositoryName === 'platform/tools');
    expect(tools?.images?.at(-1)?.imageTags).toEqual(['v9']);
  });

  it('answers an unknown control path with 404', async () => {
    expect((await post('/_local/nothing')).status).toBe(404);
  });
});

describe('requests without credentials', () => {
  it('get MissingAuthenticationTokenException from a JSON service', async () => {
    const response = await fetch(localAws.current.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetSigningConfiguration',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('get a MissingAuthenticationToken XML error from a query service', async () => {
    const response = await fetch(localAws.current.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('unknown operations', () => {
  it('get UnknownOperationException, also for names of Object.prototype', async () => {
    for (const operation of ['BatchDeleteImage', 'toString']) {
      const response = await fetch(localAws.current.url, {
        method: 'POST',
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecr/aws4_request, Signature=x',
          'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}`,
        },
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    }
  });
});
