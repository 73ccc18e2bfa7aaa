import { describe, expect, it } from 'vitest';
import { verdict } from '../../functions/core/exit-status.js';
import type { Finding, ScanError } from '../../functions/core/types.js';

const finding = (severity: Finding['severity']): Finding => ({
  policyId: 'p',
  policyTitle: 'P',
  severity,
  accountId: '111122223333',
  region: 'us-east-1',
  message: 'm',
  factsPath: '',
  fingerprint: severity,
});
const error: ScanError = {
  accountId: '111122223333',
  region: 'us-east-1',
  operation: 'AssumeRole',
  errorName: 'AccessDenied',
  message: 'denied',
};

describe('verdict', () => {
  it('passes when every finding is below the threshold', () => {
    expect(verdict({ findings: [finding('medium'), finding('info')], errors: [], failOn: 'high' })).toBe(
      'pass',
    );
  });

  it('fails on a finding at the threshold', () => {
    expect(verdict({ findings: [finding('high')], errors: [], failOn: 'high' })).toBe('findings');
    expect(verdict({ findings: [finding('info')], errors: [], failOn: 'info' })).toBe('findings');
  });

  it('puts a failed target before findings', () => {
    expect(verdict({ findings: [finding('critical')], errors: [error], failOn: 'high' })).toBe('scan-failed');
  });
});
