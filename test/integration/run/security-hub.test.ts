/**
 * A run with `securityHub: true` imports its findings into the local Security Hub with the
 * alerts' lifecycle, from the same records: exactly once per change, and nothing lost when
 * Security Hub throttles or fails.
 */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { SecurityHubFindings } from '../../../functions/aws/security-hub-findings.js';
import type { LocalAws } from '../../../functions/local-aws/server.js';
import { openRun, runDetector } from '../../../functions/run/detector.js';
import { executeRun } from '../../../functions/run/execute-run.js';
import type { FindingImporter } from '../../../functions/run/run-types.js';
import { clientConfig } from '../local-aws/helpers.js';
import {
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  putConfiguration,
  type RunOptions,
  runConfig,
  temporaryFileStore,
  useCallerCredentials,
  useExampleWorld,
  worldConfiguration,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

/** The detector's account in the example world (the caller) and its home region. */
const DETECTOR_ACCOUNT = '111111111111';

async function withSecurityHub(aws: LocalAws, options: RunOptions) {
  return { ...(await runConfig(aws, { topicArn: null, ...options })), securityHub: true };
}

/** Every finding the detector's Security Hub holds, page by page. */
async function securityHubFindings(aws: LocalAws): Promise<AwsSecurityFinding[]> {
  const client = new SecurityHubClient(clientConfig(aws));
  try {
    const all: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const out = await client.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      all.push(...(out.Findings ?? []));
      token = out.NextToken;
    } while (token);
    return all;
  } finally {
    client.destroy();
  }
}

const importCalls = (aws: LocalAws) =>
  aws.calls().filter((c) => c.service === 'securityhub' && c.operation === 'BatchImportFindings');

/** Imports waiting in the outbox (alerts wait there too: these runs have no topic). */
const pendingImports = async (store: { listPendingAlerts(): Promise<{ id: string }[]> }) =>
  (await store.listPendingAlerts()).filter((a) => a.id.startsWith('securityhub:'));

const openCount = (summary: { findings: Record<string, number> }) =>
  Object.values(summary.findings).reduce((a, b) => a + b, 0);

describe('a run with Security Hub', () => {
  it('imports new findings ACTIVE, nothing for an unchanged run, and archives resolved ones as PASSED', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();

    const run1 = await runDetector(await withSecurityHub(aws, { runId: 'run-1', store }));
    const first = await securityHubFindings(aws);
    expect(first.length).toBe(openCount(run1.summary));
    expect(run1.summary.securityHub).toEqual({ imported: first.length, refused: 0, failed: 0 });
    expect(new Set(first.map((f) => f.Id)).size).toBe(first.length);
    expect(
      first.every(
        (f) =>
          f.AwsAccountId === DETECTOR_ACCOUNT &&
          f.ProductArn ===
            `arn:aws:securityhub:us-east-1:${DETECTOR_ACCOUNT}:product/${DETECTOR_ACCOUNT}/default` &&
          f.RecordState === 'ACTIVE' &&
          f.Workflow?.Status === 'NEW' &&
          f.Compliance?.Status === 'FAILED',
      ),
    ).toBe(true);
    expect(first.map((f) => f.ProductFields?.['ecrSignDrift/accountId'])).toContain('444444444444');

    const callsBefore = importCalls(aws).length;
    const run2 = await runDetector(await withSecurityHub(aws, { runId: 'run-2', store }));
    expect(run2.summary.securityHub).toEqual({ imported: 0, refused: 0, failed: 0 });
    expect(importCalls(aws)).toHaveLength(callsBefore);

    await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
    await runDetector(await withSecurityHub(aws, { runId: 'run-3', store }));
    const afterDrift = await securityHubFindings(aws);
    const opened = afterDrift.filter((f) => !first.some((g) => g.Id === f.Id));
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((f) => f.ProductFields?.['ecrSignDrift/accountId'] === '222222222222')).toBe(true);
    expect(opened.every((f) => f.RecordState === 'ACTIVE')).toBe(true);

    await putConfiguration(aws, COMPLIANT_222_US, worldConfiguration(COMPLIANT_222_US)!);
    const run4 = await runDetector(await withSecurityHub(aws, { runId: 'run-4', store }));
    expect(run4.summary.securityHub).toEqual({ imported: opened.length, refused: 0, failed: 0 });
    const afterFix = await securityHubFindings(aws);
    expect(afterFix).toHaveLength(afterDrift.length);
    for (const finding of afterFix.filter((f) => opened.some((o) => o.Id === f.Id))) {
      expect(finding).toMatchObject({
        RecordState: 'ARCHIVED',
        Compliance: { Status: 'PASSED' },
        Workflow: { Status: 'RESOLVED' },
      });
    }
    expect(afterFix.filter((f) => f.RecordState === 'ACTIVE')).toHaveLength(first.length);
  });

  it('keeps the imports in the outbox while Security Hub throttles and imports each finding once afterwards', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    aws.setFaults({
      rules: [{ service: 'securityhub', operation: 'BatchImportFindings', error: 'throttling', count: 2 }],
    });

    const run1 = await runDetector(await withSecurityHub(aws, { runId: 'run-1', store }));
    expect(run1.summary.securityHub).toEqual({ imported: 0, refused: 0, failed: 1 });
    expect(run1.summary.errors).toContainEqual(
      expect.objectContaining({ operation: 'BatchImportFindings', errorName: 'LimitExceededException' }),
    );
    // The first import failed; the later ones waited behind it, so the order is kept.
    expect(importCalls(aws).map((c) => c.errorCode)).toEqual(['LimitExceededException']);
    expect(await securityHubFindings(aws)).toEqual([]);
    const pending = await pendingImports(store);
    expect(pending.length).toBeGreaterThan(0);

    const run2 = await runDetector(await withSecurityHub(aws, { runId: 'run-2', store }));
    expect(run2.summary.securityHub?.imported).toBe(0);
    expect(importCalls(aws).filter((c) => c.errorCode === null)).toHaveLength(0);

    const run3 = await runDetector(await withSecurityHub(aws, { runId: 'run-3', store }));
    const findings = await securityHubFindings(aws);
    expect(run3.summary.securityHub).toEqual({ imported: openCount(run1.summary), refused: 0, failed: 0 });
    expect(findings).toHaveLength(openCount(run1.summary));
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(await pendingImports(store)).toEqual([]);
    // One accepted call per target import: none was sent twice.
    expect(importCalls(aws).filter((c) => c.errorCode === null)).toHaveLength(pending.length);
  });

  it('finishes the import of a run that died between recording a target and putting the import in the outbox', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    await runDetector(await withSecurityHub(aws, { runId: 'run-1', store }));
    const before = await securityHubFindings(aws);
    await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);

    // run-2 dies at the enqueue of its Security Hub import: the records are written, the outbox is not.
    const dying = new Proxy(store, {
      get(target, name) {
        if (name === 'enqueueAlert') {
          return (alert: { id: string; payload: unknown }, now: Date) =>
            alert.id.startsWith('securityhub:run-2:')
              ? Promise.reject(new Error('killed'))
              : target.enqueueAlert(alert as Parameters<typeof target.enqueueAlert>[0], now);
        }
        const value = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(runDetector(await withSecurityHub(aws, { runId: 'run-2', store: dying }))).rejects.toThrow(
      'killed',
    );
    expect(await securityHubFindings(aws)).toHaveLength(before.length);

    const run3 = await runDetector(await withSecurityHub(aws, { runId: 'run-3', store }));
    const after = await securityHubFindings(aws);
    const opened = after.filter((f) => !before.some((g) => g.Id === f.Id));
    expect(opened.length).toBeGreaterThan(0);
    expect(run3.summary.securityHub).toEqual({ imported: opened.length, refused: 0, failed: 0 });
    expect(await pendingImports(store)).toEqual([]);
  });

  it('retries a finding Security Hub refuses, then reports it as an error of the run', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const opened = await openRun(await withSecurityHub(aws, { runId: 'run-1', store }));
    const real = new SecurityHubFindings({ client: new SecurityHubClient(clientConfig(aws)) });
    let spoiled = '';
    // One finding is sent with an empty Title, which Security Hub refuses every time.
    const spoiling: FindingImporter = {
      importFindings: (findings) => {
        if (spoiled) return real.importFindings(findings);
        const [head, ...rest] = findings;
        spoiled = String(head?.['Id']);
        return real.importFindings([{ ...head, Title: '' }, ...rest]);
      },
    };
    opened.deps.securityHub = { ...opened.deps.securityHub!, importer: spoiling };
    try {
      const targets = await opened.session.targets();
      const { summary } = await executeRun(opened.deps, opened.settings, targets);
      expect(summary.securityHub?.refused).toBe(1);
      expect(summary.errors).toContainEqual({
        accountId: DETECTOR_ACCOUNT,
        region: 'us-east-1',
        operation: 'BatchImportFindings',
        errorName: 'InvalidInput',
        message: expect.stringContaining(`finding ${spoiled}: Finding does not adhere`),
      });
      expect(summary.securityHub?.imported).toBe(openCount(summary) - 1);
      const held = await securityHubFindings(aws);
      expect(held).toHaveLength(openCount(summary) - 1);
      expect(held.map((f) => f.Id)).not.toContain(spoiled);
      // The import is done: sending the refused finding again would be refused again.
      expect(await pendingImports(store)).toEqual([]);
    } finally {
      opened.session.close();
    }
  });

  it('sends refused findings again, alone, before giving up on them', async () => {
    const aws = localAws.current;
    const client = new SecurityHubClient(clientConfig(aws));
    const valid = {
      SchemaVersion: '2018-10-08',
      ProductArn: `arn:aws:securityhub:us-east-1:${DETECTOR_ACCOUNT}:product/${DETECTOR_ACCOUNT}/default`,
      GeneratorId: 'signing-configured',
      AwsAccountId: DETECTOR_ACCOUNT,
      CreatedAt: '2026-01-01T00:00:00.000Z',
      UpdatedAt: '2026-01-01T00:00:00.000Z',
      Title: 't',
      Description: 'd',
      Resources: [{ Type: 'Other', Id: DETECTOR_ACCOUNT }],
    };
    const findings = [
      ...Array.from({ length: 150 }, (_, i) => ({ ...valid, Id: `ok-${i}` })),
      { ...valid, Id: 'bad', Title: '' },
    ];
    const result = await new SecurityHubFindings({ client, retries: 2 }).importFindings(findings);
    expect(result).toEqual({
      imported: 150,
      refused: [
        { id: 'bad', errorCode: 'InvalidInput', errorMessage: expect.stringContaining('data.Title') },
      ],
    });
    // Two batches (100 + 51), then the refused one twice on its own.
    expect(importCalls(aws)).toHaveLength(4);
    expect(await securityHubFindings(aws)).toHaveLength(150);
    const again = await client.send(new BatchImportFindingsCommand({ Findings: [{ ...valid, Id: 'ok-0' }] }));
    expect(again.SuccessCount).toBe(1);
    expect(await securityHubFindings(aws)).toHaveLength(150);
    client.destroy();
  });
});
