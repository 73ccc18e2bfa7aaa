import { buildFacts } from '../../../functions/core/facts/index.js';
import type { RegistryFacts, RegistrySnapshot, SigningRule } from '../../../functions/core/types.js';

export const approvedProfile = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release';
export const otherProfile = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/team_signing';

export function rule(signingProfileArn: string, ...filters: string[]): SigningRule {
  return filters.length
    ? {
        signingProfileArn,
        repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
      }
    : { signingProfileArn };
}

export function registry(overrides: Partial<RegistrySnapshot> = {}): RegistrySnapshot {
  return {
    accountId: '111122223333',
    region: 'us-east-1',
    signingConfiguration: { rules: [rule(approvedProfile, 'team/*')] },
    repositories: [{ repositoryName: 'team/api' }, { repositoryName: 'web' }],
    ...overrides,
  };
}

export function facts(overrides: Partial<RegistrySnapshot> = {}): RegistryFacts {
  return buildFacts(registry(overrides));
}

/** A minimal policy document; `body` adds or replaces schema keywords. */
export function policy(id: string, body: Record<string, unknown> = {}, source = `${id}.policy.json`) {
  return {
    source,
    schema: {
      $id: id,
      title: `Policy ${id}`,
      description: 'test policy',
      severity: 'high',
      type: 'object',
      ...body,
    },
  };
}

/** A policy that checks one property of every item of a facts list. */
export function itemsPolicy(
  id: string,
  collection: string,
  itemProperties: Record<string, unknown>,
  errorMessage?: string,
) {
  const items: Record<string, unknown> = { type: 'object', properties: itemProperties };
  if (errorMessage !== undefined) items['errorMessage'] = errorMessage;
  return policy(id, { properties: { [collection]: { type: 'array', items } } });
}

/** `{ if, then }` as a schema: built from entries, since a literal `then` key makes an object look like a promise. */
export function ifThen(condition: object, consequence: object): Record<string, object> {
  return Object.fromEntries([
    ['if', condition],
    ['then', consequence],
  ]);
}
