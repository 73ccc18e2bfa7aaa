import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { withProfilePerRule, worstCaseRegistry } from '../../../bench/worst-case-registry.js';
import { AuditAccumulator, auditRegistries } from '../../../functions/core/audit.js';
import type { DesiredConfigurationSet } from '../../../functions/core/drift/index.js';
import type { PolicySet } from '../../../functions/core/policy/index.js';
import { renderReport, streamedFormat } from '../../../functions/core/report/index.js';
import type { RegistrySnapshot, ScanError } from '../../../functions/core/types.js';
import { loadDesiredDirectory } from '../../../functions/files/load-desired-directory.js';
import { loadPolicySet } from '../../../functions/files/load-policy-directory.js';
import { StreamedReportWriter, writeJsonDocument } from '../../../functions/files/report-stream.js';

type StreamedFormatName = 'json' | 'sarif' | 'asff' | 'ocsf';

let policySet: PolicySet;
let desired: DesiredConfigurationSet;
beforeAll(async () => {
  const loaded = await loadPolicySet(resolve('policies'));
  // One waiver in force, so the waived sections have elements too.
  policySet = {
    ...loaded.policySet,
    waivers: [
      {
        policyId: 'all-repositories-covered',
        reason: 'legacy estate',
        owner: 'platform@example.com',
        expires: '2099-01-01',
        source: 'policies/waivers/legacy.json#0',
        accountId: '100000000001',
      },
    ],
  };
  desired = await loadDesiredDirectory(resolve('policies', 'desired'));
});

const registry = (i: number, repositories: number): RegistrySnapshot => ({
  ...withProfilePerRule(worstCaseRegistry({ seed: i, repositories, rules: 3, filtersPerRule: 4 })),
  accountId: String(100000000000 + i),
});
const unconfigured: RegistrySnapshot = {
  accountId: '100000000099',
  region: 'eu-west-1',
  signingConfiguration: null,
  repositories: [{ repositoryName: 'orphan/app' }],
};
const failedTarget: ScanError = {
  accountId: '100000000098',
  region: 'us-east-1',
  operation: 'AssumeRole',
  errorName: 'AccessDenied',
  message: 'not authorized',
};

async function streamed(
  format: StreamedFormatName,
  registries: RegistrySnapshot[],
  errors: ScanError[],
  spoolParent?: string,
): Promise<string> {
  const policies = policySet.policies.map((p) => ({
    ...p,
    location: { uri: `policies/${p.id}.json`, startLine: 3 },
  }));
  const streamFormat = streamedFormat(format, {
    policies,
    toolVersion: 'test',
    context: { now: '2026-01-01T00:00:00.000Z' },
  })!;
  const accumulator = new AuditAccumulator({
    policySet,
    desired,
    strategy: 'merge',
    generatedAt: '2026-01-01T00:00:00.000Z',
  });
  const writer = new StreamedReportWriter(streamFormat, spoolParent);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  try {
    for (const r of registries) writer.add(accumulator.add(r));
    await writer.writeTo(out, accumulator.frame({ errors }));
  } finally {
    writer.close();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function whole(format: StreamedFormatName, registries: RegistrySnapshot[], errors: ScanError[]): string {
  const report = auditRegistries({
    registries,
    errors,
    policySet,
    desired,
    strategy: 'merge',
    generatedAt: '2026-01-01T00:00:00.000Z',
  });
  const policies = policySet.policies.map((p) => ({
    ...p,
    location: { uri: `policies/${p.id}.json`, startLine: 3 },
  }));
  return renderReport(report, format, { colour: false, policies, toolVersion: 'test' });
}

describe('StreamedReportWriter', () => {
  const cases: Array<[string, () => RegistrySnapshot[], ScanError[]]> = [
    ['no registries and no errors', () => [], []],
    ['only a failed target', () => [], [failedTarget]],
    [
      'registries with findings, waived findings, drift and plans',
      () => [1, 2, 3].map((i) => registry(i, 40)),
      [],
    ],
    [
      'an unconfigured registry beside configured ones and a failed target',
      () => [registry(1, 25), unconfigured],
      [failedTarget],
    ],
  ];

  for (const format of ['json', 'sarif', 'asff', 'ocsf'] as const) {
    for (const [name, registries, errors] of cases) {
      it(`writes the same ${format} text as the whole report for ${name}`, async () => {
        const expected = whole(format, registries(), errors);
        expect(await streamed(format, registries(), errors)).toBe(expected);
      });
    }
  }

  it('has something in every section for the richest case, so the comparison covers each', () => {
    const report = JSON.parse(
      whole(
        'json',
        [1, 2, 3].map((i) => registry(i, 40)),
        [],
      ),
    ) as Record<string, unknown[]>;
    for (const section of ['findings', 'waived', 'drift', 'remediation'])
      expect(report[section]?.length).toBeGreaterThan(0);
  });

  it('leaves no spool files behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'report-spool-'));
    try {
      await streamed('json', [registry(4, 10)], [], parent);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('writeJsonDocument', () => {
  it('writes the same text as JSON.stringify, the streamed array element by element', async () => {
    for (const registries of [[], [registry(5, 3)], [registry(6, 2), unconfigured]]) {
      const document = {
        snapshotVersion: 1,
        capturedAt: '2026-01-01T00:00:00.000Z',
        registries,
        source: { errors: [] },
      };
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeJsonDocument(out, document, 'registries');
      expect(Buffer.concat(chunks).toString('utf8')).toBe(`${JSON.stringify(document, null, 2)}\n`);
    }
  });
});
