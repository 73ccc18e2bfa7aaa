import { describe, expect, it } from 'vitest';
import { computeDrift, configurationHash } from '../../../functions/core/drift/index.js';
import type { SigningConfiguration, SigningRule } from '../../../functions/core/types.js';

const prod = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/prod_signing';
const dev = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/dev_signing';

function rule(signingProfileArn: string, ...filters: string[]): SigningRule {
  return filters.length === 0
    ? { signingProfileArn }
    : {
        signingProfileArn,
        repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
      };
}

function drift(actual: SigningConfiguration | null, desired: SigningConfiguration) {
  return computeDrift({
    accountId: '111122223333',
    region: 'us-east-1',
    actual,
    desired,
    desiredSource: 'default.json',
  });
}

describe('computeDrift', () => {
  it('is in sync when the configurations differ only in order and repeats', () => {
    const report = drift(
      { rules: [rule(dev), rule(prod, 'web', 'payments/*', 'web')] },
      { rules: [rule(prod, 'payments/*', 'web'), rule(dev), rule(dev)] },
    );
    expect(report).toMatchObject({ status: 'in-sync', changes: [], desiredSource: 'default.json' });
    expect(report.actualHash).toBe(report.desiredHash);
  });

  it('reports a registry never configured as one configuration-missing change', () => {
    const report = drift(null, { rules: [rule(prod, 'web'), rule(dev)] });
    expect(report.status).toBe('drifted');
    expect(report.changes).toEqual([
      {
        kind: 'configuration-missing',
        desiredRuleCount: 2,
        message: 'registry has no signing configuration; desired has 2 rules',
      },
    ]);
  });

  it('reports a registry never configured as drifted even from an empty desired configuration', () => {
    expect(drift(null, { rules: [] }).changes.map((c) => c.message)).toEqual([
      'registry has no signing configuration; desired has 0 rules',
    ]);
    expect(drift({ rules: [] }, { rules: [] }).status).toBe('in-sync');
  });

  it('names a filter the registry rule lacks and one it has in excess', () => {
    const report = drift(
      { rules: [rule(prod, 'web', 'legacy/*')] },
      { rules: [rule(prod, 'web', 'payments/*')] },
    );
    expect(report.changes).toEqual([
      {
        kind: 'filter-missing',
        signingProfileArn: prod,
        filter: 'payments/*',
        actualFilters: ['legacy/*', 'web'],
        desiredFilters: ['payments/*', 'web'],
        message: `rule for profile ${prod} is missing filter 'payments/*'`,
      },
      {
        kind: 'filter-unexpected',
        signingProfileArn: prod,
        filter: 'legacy/*',
        actualFilters: ['legacy/*', 'web'],
        desiredFilters: ['payments/*', 'web'],
        message: `rule for profile ${prod} has filter 'legacy/*', which the desired configuration does not`,
      },
    ]);
  });

  it('names a missing rule and a rule outside the desired configuration', () => {
    const report = drift({ rules: [rule(dev, 'team/*')] }, { rules: [rule(prod, 'web', '*prod*')] });
    expect(report.changes).toEqual([
      {
        kind: 'rule-unexpected',
        signingProfileArn: dev,
        actualFilters: ['team/*'],
        message: `rule for profile ${dev} with filter 'team/*' is not in the desired configuration`,
      },
      {
        kind: 'rule-missing',
        signingProfileArn: prod,
        desiredFilters: ['*prod*', 'web'],
        message: `registry has no rule for profile ${prod} with filters '*prod*', 'web'`,
      },
    ]);
  });

  it('says when a registry rule covers every repository but the desired one is filtered, and the reverse', () => {
    const wider = drift({ rules: [rule(prod)] }, { rules: [rule(prod, 'web')] });
    expect(wider.changes).toEqual([
      {
        kind: 'rule-scope-wider',
        signingProfileArn: prod,
        desiredFilters: ['web'],
        message: `rule for profile ${prod} covers every repository; desired limits it to filter 'web'`,
      },
    ]);
    const narrower = drift({ rules: [rule(prod, 'web')] }, { rules: [rule(prod)] });
    expect(narrower.changes).toEqual([
      {
        kind: 'rule-scope-narrower',
        signingProfileArn: prod,
        actualFilters: ['web'],
        message: `rule for profile ${prod} is limited to filter 'web'; desired covers every repository`,
      },
    ]);
  });

  it('pairs rules of one profile by shared filters and names their filters to tell them apart', () => {
    const report = drift(
      { rules: [rule(prod, 'web'), rule(prod, 'payments/*', 'billing/*')] },
      { rules: [rule(prod, 'payments/*', 'billing/*', 'ledger/*'), rule(prod, 'web')] },
    );
    expect(report.changes.map((c) => c.message)).toEqual([
      `rule for profile ${prod} with filters 'billing/*', 'payments/*' is missing filter 'ledger/*'`,
    ]);
  });

  it('reports a surplus rule of a shared profile as a whole rule', () => {
    const report = drift({ rules: [rule(prod, 'web'), rule(prod, 'api')] }, { rules: [rule(prod, 'web')] });
    expect(report.changes.map((c) => [c.kind, c.message])).toEqual([
      ['rule-unexpected', `rule for profile ${prod} with filter 'api' is not in the desired configuration`],
    ]);
  });

  it('lists changes by profile, then kind, then filter, whatever the input order', () => {
    const actual = { rules: [rule(prod, 'b', 'a'), rule(dev, 'x')] };
    const desired = { rules: [rule(prod, 'd', 'c'), rule(dev, 'y')] };
    const kinds = drift(actual, desired).changes.map((c) =>
      'filter' in c ? `${c.kind} ${c.filter}` : c.kind,
    );
    expect(kinds).toEqual([
      'filter-missing y',
      'filter-unexpected x',
      'filter-missing c',
      'filter-missing d',
      'filter-unexpected a',
      'filter-unexpected b',
    ]);
    const reversed = drift({ rules: [...actual.rules].reverse() }, { rules: [...desired.rules].reverse() });
    expect(reversed.changes).toEqual(drift(actual, desired).changes);
  });

  it('carries the target and the hashes of both configurations', () => {
    const desired = { rules: [rule(prod)] };
    expect(drift(null, desired)).toMatchObject({
      accountId: '111122223333',
      region: 'us-east-1',
      actualHash: configurationHash(null),
      desiredHash: configurationHash(desired),
    });
  });
});
