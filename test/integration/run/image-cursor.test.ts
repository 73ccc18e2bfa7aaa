import { describe, expect, it } from 'vitest';
import { runDetector } from '../../../functions/run/detector.js';
import { runConfig, temporaryFileStore, useCallerCredentials, useExampleWorld } from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const MANAGEMENT_US = { accountId: '111111111111', region: 'us-east-1' };

describe('image sampling across runs', () => {
  it('keeps the cursor in the target record, so runs with a small budget rotate over every covered repository', async () => {
    const store = await temporaryFileStore();
    const sampledRepositories: string[][] = [];
    const cursors: (string | undefined)[] = [];
    for (const runId of ['run-1', 'run-2', 'run-3']) {
      const config = await runConfig(localAws.current, {
        runId,
        store,
        topicArn: null,
        regions: ['us-east-1'],
      });
      const before = localAws.current.calls().length;
      const { summary, results } = await runDetector({
        ...config,
        scan: {
          ...config.scan,
          imageSampling: {
            imagesPerRepository: 3,
            maxAgeDays: 30,
            statusCallsPerTarget: 1,
            statusCallsPerRun: 20_000,
          },
        },
      });
      expect(summary.imagesSampled).toBeGreaterThan(0);
      const management = results.find((r) => r.accountId === MANAGEMENT_US.accountId);
      expect(management?.images?.sampled).toBe(1);
      cursors.push((await store.getTarget(MANAGEMENT_US))?.state.imageCursor);
      const findings = management?.findings.filter(
        (f) => f.policyId === 'no-failed-signing' || f.policyId === 'images-signed',
      );
      sampledRepositories.push([...new Set(findings?.map((f) => f.repositoryName ?? ''))]);
      expect(localAws.current.calls().length).toBeGreaterThan(before);
    }
    // base-images (2 images, 1 read) -> tools -> base-images again.
    expect(cursors).toEqual(['platform/tools', 'platform/base-images', 'platform/tools']);
    // Only the run that reached platform/tools sees its failed signing...
    expect(sampledRepositories).toEqual([[], ['platform/tools'], []]);
    // ...and the run that did not reach it leaves the finding open, not resolved.
    const open = [...((await store.getTarget(MANAGEMENT_US))?.openFindings.values() ?? [])];
    expect(open.filter((f) => f.policyId === 'no-failed-signing').map((f) => f.repositoryName)).toEqual([
      'platform/tools',
    ]);
  });
});
