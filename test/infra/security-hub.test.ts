/**
 * Security Hub in the CDK app (`-c securityHub=true`): the scanner may import findings under
 * the account's own default product only, and the function is told to import.
 */
import { describe, expect, it } from 'vitest';
import { DetectorEnv } from '../../functions/config/detector-environment.js';
import {
  logicalIdOf,
  MINIMAL_CONTEXT,
  roleStatements,
  statementsAllowing,
  synthDetector,
  unacknowledgedNagFindings,
} from './fixtures.js';

const DEFAULT_PRODUCT_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':securityhub:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':product/',
      { Ref: 'AWS::AccountId' },
      '/default',
    ],
  ],
};

function functionEnvironments(template: ReturnType<typeof synthDetector>['template']) {
  return Object.values(template.findResources('AWS::Lambda::Function')).map(
    (f) => (f.Properties.Environment?.Variables ?? {}) as Record<string, unknown>,
  );
}

describe('the detector stack with securityHub', () => {
  const on = synthDetector({ ...MINIMAL_CONTEXT, securityHub: 'true' });
  const onScaleOut = synthDetector({ ...MINIMAL_CONTEXT, securityHub: 'true', scaleOut: 'true' });
  const off = synthDetector(MINIMAL_CONTEXT);

  it('lets the scanner import findings on its own default product ARN, nothing wider', () => {
    for (const { stack, template } of [on, onScaleOut]) {
      const statements = statementsAllowing(
        roleStatements(template, logicalIdOf(stack.scannerRole)),
        'securityhub:BatchImportFindings',
      );
      expect(statements).toEqual([
        expect.objectContaining({
          Action: ['securityhub:BatchImportFindings'],
          Resource: [DEFAULT_PRODUCT_ARN],
        }),
      ]);
    }
  });

  it('grants no Security Hub action without it', () => {
    const statements = roleStatements(off.template, logicalIdOf(off.stack.scannerRole));
    expect(JSON.stringify(statements)).not.toContain('securityhub:');
  });

  it('tells the detector to import only when it is on', () => {
    expect(functionEnvironments(on.template).some((v) => v[DetectorEnv.securityHub] === 'true')).toBe(true);
    expect(functionEnvironments(off.template).some((v) => DetectorEnv.securityHub in v)).toBe(false);
  });

  it('passes cdk-nag (AwsSolutions) with nothing unacknowledged', () => {
    expect(unacknowledgedNagFindings(on.stack)).toEqual([]);
    expect(unacknowledgedNagFindings(onScaleOut.stack)).toEqual([]);
  });
});
