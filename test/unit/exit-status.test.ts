import { describe, expect, it } from 'vitest';
import { verdict } from '../../functions/core/exit-status.js';
import type { ScanError, Severity } from '../../functions/core/types.js';

const counts = (found: Partial<Record<Severity, number>>): Record<Severity, number> => ({
  critical: 0,
  high: 0,
  medium: 0,
  low: 0,
  info: 0,
  ...found,
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
    expect(verdict({ bySeverity: counts({ medium: 1, info: 3 }), errors: [], failOn: 'high' })).toBe('pass');
  });

  it('fails on a finding at the threshold', () => {
    expect(verdict({ bySeverity: counts({ high: 1 }), errors: [], failOn: 'high' })).toBe('findings');
    expect(verdict({ bySeverity: counts({ info: 1 }), errors: [], failOn: 'info' })).toBe('findings');
  });

  it('fails on a finding above the threshold', () => {
    expect(verdict({ bySeverity: counts({ critical: 2 }), errors: [], failOn: 'medium' })).toBe('findings');
  });

  it('puts a failed target before findings', () => {
    expect(verdict({ bySeverity: counts({ critical: 1 }), errors: [error], failOn: 'high' })).toBe(
      'scan-failed',
    );
  });
});
