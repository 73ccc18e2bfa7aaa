import { describe, expect, it } from 'vitest';
import {
  checkDesiredConfiguration,
  type DesiredConfigurationSet,
  parseDesiredFileName,
  resolveDesired,
} from '../../../functions/core/drift/index.js';
import type { SigningConfiguration } from '../../../functions/core/types.js';

const profile = (name: string, region = 'us-east-1') =>
  `arn:aws:signer:${region}:999988887777:/signing-profiles/${name}`;
const only = (name: string): SigningConfiguration => ({ rules: [{ signingProfileArn: profile(name) }] });

const set: DesiredConfigurationSet = {
  'default.json': only('default_signing'),
  '111122223333.json': only('account_signing'),
  '111122223333.eu-west-1.json': only('registry_signing'),
  '444455556666.us-east-1.json': only('other_signing'),
};

describe('resolveDesired', () => {
  it('prefers the account-and-region file over the account file over the default', () => {
    expect(resolveDesired(set, '111122223333', 'eu-west-1')).toEqual({
      configuration: only('registry_signing'),
      source: '111122223333.eu-west-1.json',
      severity: 'medium',
    });
    expect(resolveDesired(set, '111122223333', 'us-east-1')?.source).toBe('111122223333.json');
    expect(resolveDesired(set, '777788889999', 'us-east-1')?.source).toBe('default.json');
  });

  it("carries the file's drift severity apart from the configuration it puts", () => {
    const withSeverity = { 'default.json': { ...only('default_signing'), severity: 'critical' as const } };
    const resolved = resolveDesired(withSeverity, '111122223333', 'us-east-1');
    expect(resolved?.severity).toBe('critical');
    expect(resolved?.configuration).toEqual(only('default_signing'));
  });

  it('applies a registry file to no other region of the account', () => {
    expect(resolveDesired(set, '444455556666', 'us-east-1')?.source).toBe('444455556666.us-east-1.json');
    expect(resolveDesired(set, '444455556666', 'us-west-2')?.source).toBe('default.json');
  });

  it('returns null when no file applies', () => {
    const { 'default.json': _ignored, ...withoutDefault } = set;
    expect(resolveDesired(withoutDefault, '777788889999', 'us-east-1')).toBeNull();
    expect(resolveDesired({}, '111122223333', 'us-east-1')).toBeNull();
  });

  it('takes the winning file whole, without merging the less specific ones', () => {
    const resolved = resolveDesired(set, '111122223333', 'eu-west-1');
    expect(resolved?.configuration.rules).toHaveLength(1);
  });

  it('replaces ${region} in profile ARNs with the registry region', () => {
    const template: DesiredConfigurationSet = {
      'default.json': { rules: [{ signingProfileArn: profile('release_signing', '${region}') }] },
    };
    expect(resolveDesired(template, '111122223333', 'eu-west-1')?.configuration).toEqual({
      rules: [{ signingProfileArn: profile('release_signing', 'eu-west-1') }],
    });
    expect(template['default.json']!.rules[0]!.signingProfileArn).toContain('${region}');
  });
});

describe('parseDesiredFileName', () => {
  it('recognises the default, account and registry file names', () => {
    expect(parseDesiredFileName('default.json')).toEqual({ scope: 'default' });
    expect(parseDesiredFileName('111122223333.json')).toEqual({
      scope: 'account',
      accountId: '111122223333',
    });
    expect(parseDesiredFileName('111122223333.us-gov-west-1.json')).toEqual({
      scope: 'registry',
      accountId: '111122223333',
      region: 'us-gov-west-1',
    });
  });

  it.each([
    '11112222333.json',
    '111122223333.useast1.json',
    'default.us-east-1.json',
    'prod.json',
    'default.yaml',
    '.default.json.swp',
  ])('rejects %s', (name) => {
    expect(parseDesiredFileName(name)).toBeNull();
  });
});

describe('checkDesiredConfiguration', () => {
  it('accepts a profile ARN with ${region}', () => {
    expect(
      checkDesiredConfiguration({ rules: [{ signingProfileArn: profile('x_signing', '${region}') }] }),
    ).toEqual([]);
  });

  it('reports a bad ARN as written, placeholder included', () => {
    const arn = 'arn:aws:signer:${region}:9999:/signing-profiles/x_signing';
    expect(checkDesiredConfiguration({ rules: [{ signingProfileArn: arn }] })).toEqual([
      {
        path: 'signingConfiguration.rules.1.signingProfileArn',
        message: `'${arn}' is not a valid Signer signing profile ARN`,
      },
    ]);
  });

  it('rejects members the model does not have, such as a misspelt repositoryFilters', () => {
    const document = {
      rules: [{ signingProfileArn: profile('x_signing'), repositoryFilter: [{ filter: 'web' }] }],
    };
    expect(checkDesiredConfiguration(document)).toEqual([
      {
        path: 'signingConfiguration.rules.1.repositoryFilter',
        message: 'is not a member of the signing configuration model',
      },
    ]);
  });

  it('accepts a drift severity and refuses one that is not a finding severity', () => {
    const rules = [{ signingProfileArn: profile('x_signing') }];
    expect(checkDesiredConfiguration({ rules, severity: 'high' })).toEqual([]);
    expect(checkDesiredConfiguration({ rules, severity: 'urgent' })).toEqual([
      {
        path: 'signingConfiguration.severity',
        message: 'must be one of critical, high, medium, low, info',
      },
    ]);
  });

  it('passes the model constraints through', () => {
    expect(checkDesiredConfiguration(null)).toEqual([
      { path: 'signingConfiguration', message: 'must be an object with a rules list' },
    ]);
  });
});
