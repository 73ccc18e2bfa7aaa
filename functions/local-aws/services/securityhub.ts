/**
 * Security Hub (restJson1): POST /findings/import (BatchImportFindings) and POST /findings
 * (GetFindings), per account and region. A batch holds 1-100 findings; each finding is
 * checked against the ASFF reference (asff-finding.schema.json) and, with the default
 * product ARN, must be the calling account's own: an invalid finding is a FailedFindings
 * entry, never an error of the whole call, as Security Hub answers.
 *
 * A re-import (same ProductArn and Id) replaces the provider's fields and keeps the ones the
 * customer owns (Workflow, Note); Workflow.Status follows the finding as Security Hub moves
 * it: RESOLVED when it is archived or passes, NEW again when it reopens.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AwsServiceError } from '../errors.js';
import { paginate } from '../pagination.js';
import type { JsonObject } from '../protocols/aws-json.js';
import type { StoredSecurityHubFinding } from '../state.js';
import asffFindingSchema from './asff-finding.schema.json' with { type: 'json' };
import type { RestJsonRequest, RestJsonService, ServiceContext } from './service.js';

/** BatchImportFindingsRequestFindingList: 1-100 findings. */
const MAX_FINDINGS_PER_IMPORT = 100;
/** "The maximum allowed size for a finding is 240 Kb." */
const MAX_FINDING_BYTES = 240 * 1024;
/** MaxResults of GetFindings: 1-100. */
const MAX_RESULTS = 100;
/** Security Hub's filter limits: 10 attributes, 20 values each. */
const MAX_FILTER_ATTRIBUTES = 10;
const MAX_FILTER_VALUES = 20;

let validateFinding: ValidateFunction | undefined;

/** Compiled on first use, not at import. */
function findingValidator(): ValidateFunction {
  if (!validateFinding) {
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    addFormats.default(ajv);
    validateFinding = ajv.compile(asffFindingSchema);
  }
  return validateFinding;
}

function invalidInput(message: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', message, { fields: { Code: 'InvalidInputException' } });
}

/** In the words Security Hub uses: `data.Resources[0].Id should NOT be shorter than 1 characters`. */
function asffProblem(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
  return `data${path} ${error.message ?? 'is invalid'}`;
}

interface FailedFinding {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

/** Why Security Hub would refuse this finding from this caller, or null when it imports. */
function refusalOf(finding: unknown, ctx: ServiceContext): FailedFinding | null {
  const id =
    typeof finding === 'object' && finding !== null && typeof (finding as JsonObject)['Id'] === 'string'
      ? ((finding as JsonObject)['Id'] as string)
      : 'unknown';
  if (Buffer.byteLength(JSON.stringify(finding)) > MAX_FINDING_BYTES) {
    return { Id: id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding size exceeds the maximum of 240 KB' };
  }
  const validate = findingValidator();
  if (!validate(finding)) {
    const problem = validate.errors?.[0];
    return {
      Id: id,
      ErrorCode: 'InvalidInput',
      ErrorMessage:
        `Finding does not adhere to Amazon Web Services Security Finding Format. ${problem ? asffProblem(problem) : ''}`.trim(),
    };
  }
  const { AwsAccountId, ProductArn } = finding as { AwsAccountId: string; ProductArn: string };
  const productAccount = /^arn:[^:]+:securityhub:([^:]+):(\d{12}):product\/(\d{12})\/default$/.exec(
    ProductArn,
  );
  if (!productAccount || productAccount[1] !== ctx.region || productAccount[2] !== ctx.caller.accountId) {
    return {
      Id: id,
      ErrorCode: 'InvalidProductArn',
      ErrorMessage: `Product ${ProductArn} is not the default product of account ${ctx.caller.accountId} in ${ctx.region}`,
    };
  }
  if (AwsAccountId !== ctx.caller.accountId) {
    return {
      Id: id,
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: `Account ${ctx.caller.accountId} cannot import a finding of account ${AwsAccountId} with the default product ARN`,
    };
  }
  return null;
}

/** The customer-owned fields a re-import keeps, and the workflow moves Security Hub makes. */
function merged(previous: JsonObject | undefined, incoming: JsonObject): JsonObject {
  if (!previous) {
    return {
      ...incoming,
      Workflow: incoming['Workflow'] ?? { Status: 'NEW' },
      RecordState: incoming['RecordState'] ?? 'ACTIVE',
    };
  }
  const status = (f: JsonObject) => (f['Workflow'] as { Status?: string } | undefined)?.Status ?? 'NEW';
  const closed = (f: JsonObject) =>
    f['RecordState'] === 'ARCHIVED' ||
    (f['Compliance'] as { Status?: string } | undefined)?.Status === 'PASSED';
  let workflow = status(previous);
  if (!closed(previous) && closed(incoming) && (workflow === 'NEW' || workflow === 'NOTIFIED'))
    workflow = 'RESOLVED';
  if (closed(previous) && !closed(incoming) && (workflow === 'RESOLVED' || workflow === 'NOTIFIED'))
    workflow = 'NEW';
  const { Note, Workflow: _workflow, ...provider } = incoming;
  return {
    ...provider,
    CreatedAt: previous['CreatedAt'] ?? incoming['CreatedAt'],
    ...(previous['Note'] ? { Note: previous['Note'] } : Note ? { Note } : {}),
    Workflow: { Status: workflow },
    RecordState: incoming['RecordState'] ?? previous['RecordState'] ?? 'ACTIVE',
  };
}

function batchImportFindings(request: RestJsonRequest, ctx: ServiceContext): JsonObject {
  const findings = request.body['Findings'];
  if (!Array.isArray(findings))
    throw invalidInput("Invalid parameter 'Findings'. data.Findings should be array");
  if (findings.length < 1 || findings.length > MAX_FINDINGS_PER_IMPORT) {
    throw invalidInput(
      `Invalid parameter 'Findings'. data.Findings should NOT have ${findings.length < 1 ? 'fewer than 1' : `more than ${MAX_FINDINGS_PER_IMPORT}`} items`,
    );
  }
  const stored = ctx.state.securityHubFindings(ctx.caller.accountId, ctx.region);
  const failed: FailedFinding[] = [];
  for (const finding of findings) {
    const refusal = refusalOf(finding, ctx);
    if (refusal) {
      failed.push(refusal);
      continue;
    }
    const incoming = finding as JsonObject;
    const key = `${incoming['ProductArn']} ${incoming['Id']}`;
    const previous = stored.get(key);
    stored.set(key, {
      finding: merged(previous?.finding, incoming),
      importedAt: ctx.now.toISOString(),
      imports: (previous?.imports ?? 0) + 1,
    });
  }
  return {
    FailedCount: failed.length,
    SuccessCount: findings.length - failed.length,
    FailedFindings: failed,
  };
}

/** The top-level string attributes GetFindings filters on here (a subset of AwsSecurityFindingFilters). */
const STRING_ATTRIBUTES: Readonly<Record<string, (f: JsonObject) => unknown>> = {
  Id: (f) => f['Id'],
  ProductArn: (f) => f['ProductArn'],
  AwsAccountId: (f) => f['AwsAccountId'],
  GeneratorId: (f) => f['GeneratorId'],
  Region: (f) => f['Region'],
  RecordState: (f) => f['RecordState'],
  ComplianceStatus: (f) => (f['Compliance'] as JsonObject | undefined)?.['Status'],
  WorkflowStatus: (f) => (f['Workflow'] as JsonObject | undefined)?.['Status'],
  SeverityLabel: (f) => (f['Severity'] as JsonObject | undefined)?.['Label'],
};

interface StringFilter {
  Value: string;
  Comparison: 'EQUALS' | 'NOT_EQUALS' | 'PREFIX' | 'PREFIX_NOT_EQUALS' | 'CONTAINS' | 'NOT_CONTAINS';
}

const COMPARISONS = new Set([
  'EQUALS',
  'NOT_EQUALS',
  'PREFIX',
  'PREFIX_NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
]);

function stringFilters(filters: unknown): Array<[attribute: string, filters: StringFilter[]]> {
  if (filters === undefined) return [];
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters))
    throw invalidInput("Invalid parameter 'Filters'. data.Filters should be object");
  const entries = Object.entries(filters as JsonObject);
  if (entries.length > MAX_FILTER_ATTRIBUTES)
    throw invalidInput(
      `Invalid parameter 'Filters'. You can filter by up to ${MAX_FILTER_ATTRIBUTES} attributes`,
    );
  return entries.map(([attribute, list]) => {
    if (!Object.hasOwn(STRING_ATTRIBUTES, attribute)) {
      throw invalidInput(
        `Invalid parameter 'Filters'. The local endpoint filters on ${Object.keys(STRING_ATTRIBUTES).join(', ')}; not on ${attribute}`,
      );
    }
    if (!Array.isArray(list) || list.length > MAX_FILTER_VALUES)
      throw invalidInput(
        `Invalid parameter 'Filters.${attribute}'. Give 1 to ${MAX_FILTER_VALUES} filter values`,
      );
    for (const filter of list) {
      const { Value, Comparison } = (filter ?? {}) as Partial<StringFilter>;
      if (typeof Value !== 'string' || Value.trim() === '' || !COMPARISONS.has(Comparison ?? ''))
        throw invalidInput(
          `Invalid parameter 'Filters.${attribute}'. Each filter needs a Value and a Comparison`,
        );
    }
    return [attribute, list as StringFilter[]];
  });
}

/** Security Hub: positive comparisons of one attribute are ORed, negative ones ANDed. */
function passes(value: unknown, filters: readonly StringFilter[]): boolean {
  const text = typeof value === 'string' ? value : '';
  const positive = filters.filter((f) => !f.Comparison.includes('NOT'));
  const negative = filters.filter((f) => f.Comparison.includes('NOT'));
  const hit = (f: StringFilter) =>
    f.Comparison.startsWith('PREFIX')
      ? text.startsWith(f.Value)
      : f.Comparison.endsWith('CONTAINS')
        ? text.includes(f.Value)
        : text === f.Value;
  return (positive.length === 0 || positive.some(hit)) && negative.every((f) => !hit(f));
}

function getFindings(request: RestJsonRequest, ctx: ServiceContext): JsonObject {
  const { MaxResults, NextToken, Filters } = request.body as {
    MaxResults?: unknown;
    NextToken?: unknown;
    Filters?: unknown;
  };
  if (
    MaxResults !== undefined &&
    (!Number.isInteger(MaxResults) || (MaxResults as number) < 1 || (MaxResults as number) > MAX_RESULTS)
  )
    throw invalidInput(
      `Invalid parameter 'MaxResults'. data.MaxResults should be between 1 and ${MAX_RESULTS}`,
    );
  if (NextToken !== undefined && typeof NextToken !== 'string')
    throw invalidInput("Invalid parameter 'NextToken'. data.NextToken should be string");
  const filters = stringFilters(Filters);
  const matching = [...ctx.state.securityHubFindings(ctx.caller.accountId, ctx.region).values()]
    .map((stored: StoredSecurityHubFinding) => stored.finding)
    .filter((f) => filters.every(([attribute, list]) => passes(STRING_ATTRIBUTES[attribute]!(f), list)));
  const page = paginate(matching, {
    pageSize: (MaxResults as number | undefined) ?? MAX_RESULTS,
    token: NextToken as string | undefined,
    scope: `GetFindings ${ctx.caller.accountId} ${ctx.region} ${JSON.stringify(Filters ?? {})}`,
    invalidToken: () =>
      invalidInput("Invalid parameter 'NextToken'. The token is not valid for this request"),
  });
  return { Findings: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export const securityHubService: RestJsonService = {
  name: 'securityhub',
  protocol: 'rest-json',
  errors: {
    // Security Hub answers throttling with LimitExceededException (HTTP 429), as its model says.
    throttling: { code: 'LimitExceededException', statusCode: 429 },
    serverError: 'InternalException',
    accessDenied: { code: 'AccessDeniedException', statusCode: 403 },
  },
  routes: [
    {
      method: 'POST',
      path: /^\/findings\/import$/,
      operation: 'BatchImportFindings',
      handle: batchImportFindings,
    },
    { method: 'POST', path: /^\/findings$/, operation: 'GetFindings', handle: getFindings },
  ],
};
