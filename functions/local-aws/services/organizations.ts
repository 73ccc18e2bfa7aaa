/**
 * Organizations (awsJson1_1, target AWSOrganizationsV20161128): the organization tree
 * and tags, read-only. DescribeOrganization works from any member account; the list
 * operations only from the management account, as in AWS (no delegated administrators here).
 */
import type { Tags } from '../../core/types.js';
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import { type JsonObject, readInteger, readString } from '../protocols/aws-json.js';
import type { ResolvedAccount, ResolvedOrganization, ResolvedOrganizationalUnit } from '../world.js';
import type { JsonService, ServiceContext } from './service.js';

/** Model MaxResults: 1-20; the service's pages hold at most 20. */
const MAX_RESULTS = 20;

function invalidInput(reason: string, message: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', message, { fields: { Reason: reason } });
}

/** The organization, when the caller's account is a member; otherwise the error AWS gives outsiders. */
function memberOrganization(ctx: ServiceContext): ResolvedOrganization {
  const org = ctx.world.organization;
  if (!org?.accounts.some((a) => a.id === ctx.caller.accountId)) {
    throw new AwsServiceError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.',
    );
  }
  return org;
}

function managedOrganization(ctx: ServiceContext): ResolvedOrganization {
  const org = memberOrganization(ctx);
  if (ctx.caller.accountId !== org.managementAccountId) {
    throw new AwsServiceError('AccessDeniedException', "You don't have permissions to access this resource.");
  }
  return org;
}

/** One page of `items` under the operation's NextToken/MaxResults. */
function page<T>(
  items: readonly T[],
  input: JsonObject,
  scope: string,
  key: string,
  render: (item: T) => JsonObject,
): JsonObject {
  const maxResults = readInteger(input, 'MaxResults');
  if (maxResults !== undefined && maxResults > MAX_RESULTS) {
    throw invalidInput(
      'MAX_VALUE_EXCEEDED',
      `You provided a value that exceeds the maximum allowed value: MaxResults ${MAX_RESULTS}.`,
    );
  }
  if (maxResults !== undefined && maxResults < 1) {
    throw invalidInput(
      'MIN_VALUE_EXCEEDED',
      'You provided a value that is less than the minimum allowed value: MaxResults 1.',
    );
  }
  const result = paginate(items, {
    pageSize: maxResults ?? MAX_RESULTS,
    token: readString(input, 'NextToken'),
    scope,
    invalidToken: () => invalidInput('INVALID_NEXT_TOKEN', 'The NextToken value is not valid.'),
  });
  return { [key]: result.items.map(render), ...(result.nextToken ? { NextToken: result.nextToken } : {}) };
}

/** An id shape of the model: its maximum length and its pattern (matched against the whole value, as AWS does). */
interface IdShape {
  maxLength: number;
  pattern: RegExp;
}

const OU_ID = 'ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}';
const ROOT_ID = 'r-[0-9a-z]{4,32}';
const ACCOUNT_ID = '\\d{12}';
const wholeValue = (...alternatives: string[]) => new RegExp(`^(?:${alternatives.join('|')})$`);
/** ParentId, ChildId, OrganizationalUnitId and TaggableResourceId of organizations-2016-11-28. */
const PARENT_ID: IdShape = { maxLength: 100, pattern: wholeValue(ROOT_ID, OU_ID) };
const CHILD_ID: IdShape = { maxLength: 100, pattern: wholeValue(ACCOUNT_ID, OU_ID) };
const ORGANIZATIONAL_UNIT_ID: IdShape = { maxLength: 68, pattern: wholeValue(OU_ID) };
const TAGGABLE_RESOURCE_ID: IdShape = {
  maxLength: 130,
  pattern: wholeValue(
    ROOT_ID,
    ACCOUNT_ID,
    OU_ID,
    'p-[0-9a-zA-Z_]{8,128}',
    'rp-[0-9a-zA-Z_]{4,128}',
    'rt-[0-9a-zA-Z_]{8,32}',
  ),
};

/**
 * The id the request names, checked against its shape: a malformed id is InvalidInputException
 * (INVALID_PATTERN, or MAX_LENGTH_EXCEEDED), never the NotFound of a well-formed id that does not exist.
 */
function requiredId(input: JsonObject, key: string, shape: IdShape): string {
  const value = readString(input, key);
  if (!value) throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${key}.`);
  if (value.length > shape.maxLength) {
    throw invalidInput(
      'MAX_LENGTH_EXCEEDED',
      `You provided a value that exceeds the maximum length: ${key} ${shape.maxLength}.`,
    );
  }
  if (!shape.pattern.test(value)) {
    throw invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  }
  return value;
}

function arn(org: ResolvedOrganization, kind: string, id: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:${kind}/${org.id}/${id}`;
}

/** `o-…/r-…/ou-…/…/` down to `parentId`, as the model's Path shape writes it. */
function pathTo(org: ResolvedOrganization, parentId: string): string {
  const ids: string[] = [];
  for (let id: string | undefined = parentId; id !== undefined && id !== org.root.id; ) {
    ids.unshift(id);
    id = org.organizationalUnits.find((u) => u.id === id)?.parentId;
  }
  return `${[org.id, org.root.id, ...ids].join('/')}/`;
}

/** `Status` is retired in the model (2026-09-09): only `State` says whether the account is ACTIVE. */
function renderAccount(org: ResolvedOrganization, account: ResolvedAccount): JsonObject {
  return {
    Id: account.id,
    Arn: arn(org, 'account', account.id),
    Email: account.email,
    Name: account.name,
    State: account.status,
    Paths: [`${pathTo(org, account.parentId)}${account.id}/`],
    JoinedMethod: account.id === org.managementAccountId ? 'INVITED' : 'CREATED',
    JoinedTimestamp: account.joinedTimestamp.getTime() / 1000,
  };
}

function renderUnit(org: ResolvedOrganization, unit: ResolvedOrganizationalUnit): JsonObject {
  return { Id: unit.id, Arn: arn(org, 'ou', unit.id), Name: unit.name, Path: `${pathTo(org, unit.id)}` };
}

function requireParent(org: ResolvedOrganization, parentId: string): void {
  if (parentId !== org.root.id && !org.organizationalUnits.some((u) => u.id === parentId)) {
    throw new AwsServiceError(
      'ParentNotFoundException',
      "We can't find a root or OU with the ParentId that you specified.",
    );
  }
}

function describeOrganization(_input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = memberOrganization(ctx);
  const management = org.accounts.find((a) => a.id === org.managementAccountId)!;
  return {
    Organization: {
      Id: org.id,
      Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: arn(org, 'account', org.managementAccountId),
      MasterAccountId: org.managementAccountId,
      MasterAccountEmail: management.email,
      AvailablePolicyTypes: [],
    },
  };
}

function listRoots(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  return page([org.root], input, 'organizations:ListRoots', 'Roots', (root) => ({
    Id: root.id,
    Arn: arn(org, 'root', root.id),
    Name: root.name,
    PolicyTypes: [],
  }));
}

function listAccounts(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  return page(org.accounts, input, 'organizations:ListAccounts', 'Accounts', (a) => renderAccount(org, a));
}

function listAccountsForParent(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  const parentId = requiredId(input, 'ParentId', PARENT_ID);
  requireParent(org, parentId);
  const accounts = org.accounts.filter((a) => a.parentId === parentId);
  return page(accounts, input, `organizations:ListAccountsForParent:${parentId}`, 'Accounts', (a) =>
    renderAccount(org, a),
  );
}

function listOrganizationalUnitsForParent(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  const parentId = requiredId(input, 'ParentId', PARENT_ID);
  requireParent(org, parentId);
  const units = org.organizationalUnits.filter((u) => u.parentId === parentId);
  return page(
    units,
    input,
    `organizations:ListOrganizationalUnitsForParent:${parentId}`,
    'OrganizationalUnits',
    (u) => renderUnit(org, u),
  );
}

function listParents(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  const childId = requiredId(input, 'ChildId', CHILD_ID);
  const parentId =
    org.accounts.find((a) => a.id === childId)?.parentId ??
    org.organizationalUnits.find((u) => u.id === childId)?.parentId;
  if (parentId === undefined) {
    throw new AwsServiceError(
      'ChildNotFoundException',
      "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
    );
  }
  const parent = { Id: parentId, Type: parentId === org.root.id ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
  return page([parent], input, `organizations:ListParents:${childId}`, 'Parents', (p) => p);
}

function describeOrganizationalUnit(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  const unitId = requiredId(input, 'OrganizationalUnitId', ORGANIZATIONAL_UNIT_ID);
  const unit = org.organizationalUnits.find((u) => u.id === unitId);
  if (!unit) {
    throw new AwsServiceError(
      'OrganizationalUnitNotFoundException',
      "We can't find an OU with the OrganizationalUnitId that you specified.",
    );
  }
  return { OrganizationalUnit: renderUnit(org, unit) };
}

function listTagsForResource(input: JsonObject, ctx: ServiceContext): JsonObject {
  const org = managedOrganization(ctx);
  const resourceId = requiredId(input, 'ResourceId', TAGGABLE_RESOURCE_ID);
  const tags: Tags | undefined =
    resourceId === org.root.id
      ? org.root.tags
      : (org.accounts.find((a) => a.id === resourceId)?.tags ??
        org.organizationalUnits.find((u) => u.id === resourceId)?.tags);
  if (!tags) {
    throw new AwsServiceError(
      'TargetNotFoundException',
      "We can't find a target with the ID that you specified.",
    );
  }
  const pairs = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  // ListTagsForResource has NextToken but no MaxResults.
  const { MaxResults: _ignored, ...withoutMaxResults } = input;
  return page(pairs, withoutMaxResults, `organizations:ListTagsForResource:${resourceId}`, 'Tags', (t) => t);
}

export const organizationsService: JsonService = {
  name: 'organizations',
  protocol: 'json',
  targetPrefix: 'AWSOrganizationsV20161128',
  messageKey: 'Message',
  errors: {
    throttling: { code: 'TooManyRequestsException', statusCode: 400 },
    serverError: 'ServiceException',
    accessDenied: { code: 'AccessDeniedException', statusCode: 400 },
  },
  operations: {
    DescribeOrganization: describeOrganization,
    DescribeOrganizationalUnit: describeOrganizationalUnit,
    ListRoots: listRoots,
    ListAccounts: listAccounts,
    ListAccountsForParent: listAccountsForParent,
    ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
    ListParents: listParents,
    ListTagsForResource: listTagsForResource,
  },
};
