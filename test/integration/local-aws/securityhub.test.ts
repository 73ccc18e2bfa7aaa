import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { CALLER, clientConfig, rejectionOf, useLocalAws, worldWith } from './helpers.js';

const localAws = useLocalAws(
  worldWith([{ accountId: CALLER, region: 'us-east-1', signingConfiguration: null, repositories: [] }]),
);

function securityHub(options: { region?: string; maxAttempts?: number } = {}): SecurityHubClient {
  return new SecurityHubClient(clientConfig(localAws.current, options));
}

const PRODUCT_ARN = `arn:aws:securityhub:us-east-1:${CALLER}:product/${CALLER}/default`;

function finding(id: string, overrides: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: PRODUCT_ARN,
    GeneratorId: 'signing-configured',
    AwsAccountId: CALLER,
    Types: ['Software and Configuration Checks/AWS Security Best Practices/ECR Image Signing'],
    CreatedAt: '2026-01-01T00:00:00.000Z',
    UpdatedAt: '2026-01-01T00:00:00.000Z',
    Severity: { Label: 'CRITICAL' },
    Title: 'Signing is configured',
    Description: 'registry 111122223333/us-east-1 has no signing configuration',
    Resources: [{ Type: 'Other', Id: CALLER, Region: 'us-east-1' }],
    Compliance: { Status: 'FAILED' },
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
    ...overrides,
  };
}

async function allFindings(client: SecurityHubClient, filters = {}): Promise<AwsSecurityFinding[]> {
  const out = await client.send(new GetFindingsCommand({ Filters: filters }));
  return out.Findings ?? [];
}

describe('Security Hub BatchImportFindings and GetFindings', () => {
  it('imports findings and returns them by Id, RecordState and AwsAccountId', async () => {
    const client = securityHub();
    const out = await client.send(
      new BatchImportFindingsCommand({
        Findings: [finding('a'), finding('b', { RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } })],
      }),
    );
    expect(out).toMatchObject({ SuccessCount: 2, FailedCount: 0, FailedFindings: [] });
    const byId = await allFindings(client, { Id: [{ Value: 'a', Comparison: 'EQUALS' }] });
    expect(byId.map((f) => f.Id)).toEqual(['a']);
    const active = await allFindings(client, { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] });
    expect(active.map((f) => f.Id)).toEqual(['a']);
    const archived = await allFindings(client, {
      RecordState: [{ Value: 'ARCHIVED', Comparison: 'EQUALS' }],
      AwsAccountId: [{ Value: CALLER, Comparison: 'EQUALS' }],
    });
    expect(archived.map((f) => f.Id)).toEqual(['b']);
    expect(
      await allFindings(client, { AwsAccountId: [{ Value: '999999999999', Comparison: 'EQUALS' }] }),
    ).toEqual([]);
  });

  it('keeps findings apart per region', async () => {
    await securityHub().send(new BatchImportFindingsCommand({ Findings: [finding('a')] }));
    expect(await allFindings(securityHub({ region: 'eu-west-1' }))).toEqual([]);
  });

  it('updates a re-imported finding in place and resolves its workflow when it is archived', async () => {
    const client = securityHub();
    await client.send(new BatchImportFindingsCommand({ Findings: [finding('a')] }));
    await client.send(
      new BatchImportFindingsCommand({
        Findings: [
          finding('a', {
            RecordState: 'ARCHIVED',
            Compliance: { Status: 'PASSED' },
            UpdatedAt: '2026-01-02T00:00:00.000Z',
            Workflow: { Status: 'NEW' },
          }),
        ],
      }),
    );
    const [only, ...rest] = await allFindings(client);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      Id: 'a',
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
      Workflow: { Status: 'RESOLVED' },
      UpdatedAt: '2026-01-02T00:00:00.000Z',
    });
  });

  it('answers each invalid finding with a FailedFindings entry and imports the others', async () => {
    const client = securityHub();
    const out = await client.send(
      new BatchImportFindingsCommand({
        Findings: [
          finding('ok'),
          finding('untitled', { Title: '' }),
          finding('no-resources', { Resources: [] }),
          finding('foreign', { AwsAccountId: '999999999999' }),
          finding('other-product', {
            ProductArn: 'arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default',
          }),
          finding('too-large', { ProductFields: { big: 'x'.repeat(241 * 1024) } }),
        ],
      }),
    );
    expect(out.SuccessCount).toBe(1);
    expect(out.FailedCount).toBe(5);
    expect(out.FailedFindings).toEqual([
      {
        Id: 'untitled',
        ErrorCode: 'InvalidInput',
        ErrorMessage: expect.stringContaining('data.Title must NOT have fewer than 1 characters'),
      },
      {
        Id: 'no-resources',
        ErrorCode: 'InvalidInput',
        ErrorMessage: expect.stringContaining('data.Resources'),
      },
      {
        Id: 'foreign',
        ErrorCode: 'AccessDeniedException',
        ErrorMessage: expect.stringContaining('999999999999'),
      },
      { Id: 'other-product', ErrorCode: 'InvalidProductArn', ErrorMessage: expect.any(String) },
      { Id: 'too-large', ErrorCode: 'InvalidInput', ErrorMessage: expect.stringContaining('240 KB') },
    ]);
    expect((await allFindings(client)).map((f) => f.Id)).toEqual(['ok']);
  });

  it('refuses an empty batch and one of more than 100 findings with InvalidInputException', async () => {
    const client = securityHub();
    const empty = await rejectionOf(client.send(new BatchImportFindingsCommand({ Findings: [] })));
    expect(empty.name).toBe('InvalidInputException');
    expect(empty.$metadata.httpStatusCode).toBe(400);
    const tooMany = await rejectionOf(
      client.send(
        new BatchImportFindingsCommand({ Findings: Array.from({ length: 101 }, (_, i) => finding(`f${i}`)) }),
      ),
    );
    expect(tooMany.name).toBe('InvalidInputException');
    expect(tooMany.message).toContain('more than 100');
    expect(await allFindings(client)).toEqual([]);
  });

  it('pages GetFindings by MaxResults and NextToken', async () => {
    const client = securityHub();
    const ids = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    await client.send(new BatchImportFindingsCommand({ Findings: ids.map((id) => finding(id)) }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(new GetFindingsCommand({ MaxResults: 10, NextToken: token }));
      seen.push(...(out.Findings ?? []).map((f) => f.Id!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    const badSize = await rejectionOf(client.send(new GetFindingsCommand({ MaxResults: 101 })));
    expect(badSize.name).toBe('InvalidInputException');
    const badToken = await rejectionOf(client.send(new GetFindingsCommand({ NextToken: 'not-a-token' })));
    expect(badToken.name).toBe('InvalidInputException');
  });

  it('answers injected throttling with LimitExceededException (429), which the SDK retries', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'securityhub', operation: 'BatchImportFindings', error: 'throttling', count: 2 }],
    });
    const once = await rejectionOf(
      securityHub().send(new BatchImportFindingsCommand({ Findings: [finding('a')] })),
    );
    expect(once.name).toBe('LimitExceededException');
    expect(once.$metadata.httpStatusCode).toBe(429);
    const retried = await securityHub({ maxAttempts: 3 }).send(
      new BatchImportFindingsCommand({ Findings: [finding('a')] }),
    );
    expect(retried.SuccessCount).toBe(1);
  });

  it('answers injected server errors and access denial in Security Hub error codes', async () => {
    localAws.current.setFaults({ rules: [{ service: 'securityhub', error: 'server-error', count: 1 }] });
    const server = await rejectionOf(securityHub().send(new GetFindingsCommand({})));
    expect(server.name).toBe('InternalException');
    localAws.current.setFaults({ rules: [{ service: 'securityhub', error: 'access-denied' }] });
    const denied = await rejectionOf(securityHub().send(new GetFindingsCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.$metadata.httpStatusCode).toBe(403);
  });
});
