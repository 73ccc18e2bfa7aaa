import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { OrganizationAccounts } from '../../../functions/aws/organization-accounts.js';
import { exampleWorld } from '../../../functions/local-aws/example-world.js';
import type { World } from '../../../functions/local-aws/world.js';
import { clientConfig, rejectionOf, useLocalAws } from './helpers.js';

const ROOT = 'r-ex12';
const WORKLOADS = 'ou-ex12-workload';
const PROD = 'ou-ex12-prod0001';
const DEV = 'ou-ex12-dev00001';
const SANDBOX = 'ou-ex12-sandbox1';

/** An account with a registry but outside the organization. */
const OUTSIDER = '123412341234';

/** The example organization (6 accounts) plus 40 more under Sandbox, and a registry of an outsider. */
function largeWorld(): World {
  const world = exampleWorld();
  const extra = Array.from({ length: 40 }, (_, i) => ({
    id: String(900000000000 + i),
    name: `sandbox-${i}`,
    email: `sandbox-${i}@example.com`,
    parentId: SANDBOX,
  }));
  world.localAws!.organization!.accounts.push(...extra);
  world.registries.push({
    accountId: OUTSIDER,
    region: 'us-east-1',
    signingConfiguration: null,
    repositories: [],
  });
  return world;
}

const localAws = useLocalAws(largeWorld());

function organizations(credentials?: AwsCredentialIdentity): OrganizationsClient {
  return new OrganizationsClient(clientConfig(localAws.current, credentials ? { credentials } : {}));
}

async function credentialsOf(accountId: string): Promise<AwsCredentialIdentity> {
  const out = await new STSClient(clientConfig(localAws.current)).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/scan`, RoleSessionName: 'test' }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('Organizations', () => {
  it('pages ListAccounts 20 accounts at a time', async () => {
    const pageSizes: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations() }, {})) {
      pageSizes.push(page.Accounts?.length ?? 0);
      ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ''));
    }
    expect(pageSizes).toEqual([20, 20, 6]);
    expect(new Set(ids).size).toBe(46);
  });

  it('rejects MaxResults above 20 with InvalidInputException', async () => {
    const error = await rejectionOf(organizations().send(new ListAccountsCommand({ MaxResults: 21 })));
    expect(error.name).toBe('InvalidInputException');
    expect((error as unknown as { Reason: string }).Reason).toBe('MAX_VALUE_EXCEEDED');
  });

  it('lists the root, the organizational units under each parent and the accounts in a unit', async () => {
    const org = organizations();
    const roots = await org.send(new ListRootsCommand({}));
    expect(roots.Roots?.map((r) => [r.Id, r.Name])).toEqual([[ROOT, 'Root']]);
    const top = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ROOT }));
    expect(top.OrganizationalUnits?.map((u) => u.Name)).toEqual(['Workloads', 'Sandbox']);
    const workloads = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: WORKLOADS }));
    expect(workloads.OrganizationalUnits?.map((u) => [u.Id, u.Name])).toEqual([
      [PROD, 'Prod'],
      [DEV, 'Dev'],
    ]);
    const prod = await org.send(new ListAccountsForParentCommand({ ParentId: PROD }));
    expect(prod.Accounts?.map((a) => a.Name)).toEqual(['payments-prod', 'web-prod']);
    const parents = await org.send(new ListParentsCommand({ ChildId: '444444444444' }));
    expect(parents.Parents).toEqual([{ Id: DEV, Type: 'ORGANIZATIONAL_UNIT' }]);
  });

  it('describes an organizational unit and answers OrganizationalUnitNotFoundException for an unknown one', async () => {
    const org = organizations();
    const prod = await org.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: PROD }));
    expect(prod.OrganizationalUnit).toMatchObject({ Id: PROD, Name: 'Prod' });
    const error = await rejectionOf(
      org.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-ex12-missing00' })),
    );
    expect(error.name).toBe('OrganizationalUnitNotFoundException');
  });

  it('returns ParentNotFoundException for a parent the organization does not have', async () => {
    const error = await rejectionOf(
      organizations().send(new ListAccountsForParentCommand({ ParentId: 'ou-ex12-missing00' })),
    );
    expect(error.name).toBe('ParentNotFoundException');
  });

  it('reports ACTIVE and SUSPENDED accounts in State, with their paths, and no longer the retired Status', async () => {
    const out = await organizations().send(
      new ListAccountsForParentCommand({ ParentId: SANDBOX, MaxResults: 3 }),
    );
    expect(out.Accounts?.slice(0, 2).map((a) => [a.Name, a.State, a.Paths, a.Status])).toEqual([
      ['sandbox-alice', 'ACTIVE', [`o-exampleorg1/${ROOT}/${SANDBOX}/555555555555/`], undefined],
      ['sandbox-bob', 'SUSPENDED', [`o-exampleorg1/${ROOT}/${SANDBOX}/666666666666/`], undefined],
    ]);
    expect(out.NextToken).toEqual(expect.any(String));
  });

  it('gives an account below nested units and each unit the path of the model', async () => {
    const accounts = await organizations().send(new ListAccountsForParentCommand({ ParentId: PROD }));
    expect(accounts.Accounts?.[0]?.Paths).toEqual([
      `o-exampleorg1/${ROOT}/${WORKLOADS}/${PROD}/222222222222/`,
    ]);
    const units = await organizations().send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: WORKLOADS }),
    );
    expect(units.OrganizationalUnits?.map((u) => u.Path)).toEqual([
      `o-exampleorg1/${ROOT}/${WORKLOADS}/${PROD}/`,
      `o-exampleorg1/${ROOT}/${WORKLOADS}/${DEV}/`,
    ]);
  });

  it.each([
    [
      'ListAccountsForParent ParentId',
      (c: OrganizationsClient) => c.send(new ListAccountsForParentCommand({ ParentId: 'ou-EX12-Prod' })),
    ],
    [
      'ListAccountsForParent ParentId (an account id)',
      (c: OrganizationsClient) => c.send(new ListAccountsForParentCommand({ ParentId: '222222222222' })),
    ],
    [
      'ListOrganizationalUnitsForParent ParentId',
      (c: OrganizationsClient) => c.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'root' })),
    ],
    ['ListParents ChildId', (c: OrganizationsClient) => c.send(new ListParentsCommand({ ChildId: '2222' }))],
    [
      'DescribeOrganizationalUnit OrganizationalUnitId',
      (c: OrganizationsClient) =>
        c.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'r-ex12' })),
    ],
    [
      'ListTagsForResource ResourceId',
      (c: OrganizationsClient) => c.send(new ListTagsForResourceCommand({ ResourceId: 'o-exampleorg1' })),
    ],
  ])('answers a malformed %s with InvalidInputException INVALID_PATTERN, not a NotFound', async (_, call) => {
    const error = await rejectionOf(call(organizations()));
    expect([error.name, (error as unknown as { Reason?: string }).Reason, error.message]).toEqual([
      'InvalidInputException',
      'INVALID_PATTERN',
      'You provided a value that does not match the required pattern.',
    ]);
  });

  it('answers an id longer than its shape allows with InvalidInputException MAX_LENGTH_EXCEEDED', async () => {
    const error = await rejectionOf(
      organizations().send(new ListParentsCommand({ ChildId: `ou-${'a'.repeat(32)}-${'b'.repeat(70)}` })),
    );
    expect([error.name, (error as unknown as { Reason?: string }).Reason]).toEqual([
      'InvalidInputException',
      'MAX_LENGTH_EXCEEDED',
    ]);
  });

  it('lists the tags of an account', async () => {
    const out = await organizations().send(new ListTagsForResourceCommand({ ResourceId: '222222222222' }));
    expect(out.Tags).toEqual([
      { Key: 'owner', Value: 'payments' },
      { Key: 'environment', Value: 'prod' },
    ]);
  });

  it('describes the organization to a member account but refuses it the list operations', async () => {
    const member = organizations(await credentialsOf('222222222222'));
    const described = await member.send(new DescribeOrganizationCommand({}));
    expect(described.Organization).toMatchObject({ Id: 'o-exampleorg1', MasterAccountId: '111111111111' });
    const error = await rejectionOf(member.send(new ListAccountsCommand({})));
    expect(error.name).toBe('AccessDeniedException');
  });

  it('answers AWSOrganizationsNotInUseException to an account outside the organization', async () => {
    const outsider = organizations(await credentialsOf(OUTSIDER));
    const error = await rejectionOf(outsider.send(new DescribeOrganizationCommand({})));
    expect(error.name).toBe('AWSOrganizationsNotInUseException');
  });

  it("serves the scanner's OrganizationAccounts adapter the ACTIVE accounts with their unit names", async () => {
    const adapter = new OrganizationAccounts({ client: organizations() });
    const found: Record<string, string[]> = {};
    for await (const account of adapter.accounts({ organizationalUnitId: WORKLOADS, withTags: true })) {
      found[account.accountId] = account.metadata.organizationalUnitNames ?? [];
    }
    expect(found).toEqual({
      '222222222222': ['Root', 'Workloads', 'Prod'],
      '333333333333': ['Root', 'Workloads', 'Prod'],
      '444444444444': ['Root', 'Workloads', 'Dev'],
    });
  });
});
