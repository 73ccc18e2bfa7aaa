import { ECRClient, GetSigningConfigurationCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { WorldInvalidError } from '../../../functions/local-aws/errors.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import { startLocalAws } from '../../../functions/local-aws/server.js';
import { clientConfig, rejectionOf } from './helpers.js';

describe('startLocalAws', () => {
  it('listens on 127.0.0.1 on a free port by default', async () => {
    const server = await startLocalAws({ world: exampleWorld() });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('refuses an invalid world with WorldInvalidError', async () => {
    const world = exampleWorld();
    world.localAws!.assumeRoleDeniedAccountIds = ['not-an-account'];
    await expect(startLocalAws({ world })).rejects.toThrowError(WorldInvalidError);
  });

  it('reports a failure that is not an AWS answer and answers it with status 500', async () => {
    const reported: unknown[] = [];
    // Without the world's pushes, which read the clock at start.
    const { pushes: _pushes, ...localAws } = exampleWorld().localAws!;
    const server = await startLocalAws({
      world: { ...exampleWorld(), localAws },
      now: () => {
        throw new Error('clock is broken');
      },
      onUnexpectedError: (error) => reported.push(error),
    });
    try {
      const error = await rejectionOf(
        new ECRClient(clientConfig(server)).send(new GetSigningConfigurationCommand({})),
      );
      expect(error.$metadata.httpStatusCode).toBe(500);
      expect(reported).toEqual([new Error('clock is broken')]);
    } finally {
      await server.close();
    }
  });
});
