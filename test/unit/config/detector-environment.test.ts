import { describe, expect, it } from 'vitest';
import { DetectorEnv, loadDetectorConfig } from '../../../functions/config/detector-environment.js';
import type { Environment } from '../../../functions/config/environment.js';
import { ConfigurationError } from '../../../functions/core/errors.js';
import { readDetectorContext } from '../../../infra/lib/context.js';
import { detectorEnvironment } from '../../../infra/lib/environment.js';

/** The least an explicit-accounts deployment sets. */
const MINIMAL: Environment = {
  [DetectorEnv.accounts]: '111122223333',
  [DetectorEnv.regions]: 'us-east-1',
  [DetectorEnv.topicArn]: 'arn:aws:sns:us-east-1:111122223333:ecr-sign-drift-alerts',
  [DetectorEnv.tableName]: 'ecr-sign-drift-records',
};

function load(changes: Environment) {
  return loadDetectorConfig({ ...MINIMAL, ...changes });
}

/** The error loading fails with; fails the test when loading succeeds. */
function failure(changes: Environment): ConfigurationError {
  try {
    load(changes);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadDetectorConfig', () => {
  it('fills every default around the required variables', () => {
    expect(loadDetectorConfig(MINIMAL)).toEqual({
      accounts: ['111122223333'],
      organization: null,
      excludeAccounts: [],
      regions: ['us-east-1'],
      roleName: 'EcrSignDriftReadRole',
      topicArn: 'arn:aws:sns:us-east-1:111122223333:ecr-sign-drift-alerts',
      tableName: 'ecr-sign-drift-records',
      remediation: 'off',
      remediationAccounts: [],
      maxRemediations: 5,
      reminderIntervalMs: 24 * 3_600_000,
      concurrency: 16,
      runHistoryDays: 90,
      imageSampling: {
        imagesPerRepository: 3,
        maxAgeDays: 30,
        statusCallsPerTarget: 200,
        statusCallsPerRun: 20_000,
      },
      securityHub: false,
    });
  });

  it('reads the image sampling settings and refuses a negative one naming the variable', () => {
    expect(
      loadDetectorConfig({
        ...MINIMAL,
        ECR_SIGN_DRIFT_IMAGE_SAMPLES: '0',
        ECR_SIGN_DRIFT_IMAGE_STATUS_CALLS_PER_RUN: '50',
      }).imageSampling,
    ).toMatchObject({ imagesPerRepository: 0, statusCallsPerRun: 50 });
    expect(failure({ ECR_SIGN_DRIFT_IMAGE_STATUS_CALLS_PER_TARGET: '-1' }).message).toContain(
      'ECR_SIGN_DRIFT_IMAGE_STATUS_CALLS_PER_TARGET',
    );
  });

  it.each([
    ['explicit accounts', { regions: 'us-east-1', accounts: '111122223333', externalId: 'ecr-sign-drift' }],
    [
      'organization discovery with every option',
      {
        regions: 'us-east-1,eu-west-1',
        orgDiscovery: 'true',
        organizationalUnitId: 'ou-ab12-cdefgh34',
        excludeAccounts: '555555555555',
        externalId: 'ecr-sign-drift:o-a1b2c3d4e5',
        memberRoleName: 'CustomReadRole',
        remediationMode: 'apply',
        remediationAccounts: '111122223333',
      },
    ],
  ])('loads what the CDK app sets for %s', (_, raw: Record<string, string>) => {
    const context = readDetectorContext((key) => raw[key]);
    const environment = detectorEnvironment(context, {
      topicArn: 'arn:aws:sns:us-east-1:111122223333:EcrSignDrift-Alerts1A2B3C',
      tableName: 'Detector-Records1A2B3C-ABCDEF123456',
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/Detector-Targets1A2B3C',
    });
    expect(loadDetectorConfig(environment)).toMatchObject({
      regions: context.regions,
      roleName: context.memberRoleName,
      externalId: context.externalId,
      remediation: context.remediationMode,
    });
  });

  describe(DetectorEnv.accounts, () => {
    it('reads a comma-separated list, ignoring blanks and spaces', () => {
      expect(load({ [DetectorEnv.accounts]: ' 111122223333, ,444455556666 ' }).accounts).toEqual([
        '111122223333',
        '444455556666',
      ]);
    });

    it('is required without organization discovery', () => {
      expect(failure({ [DetectorEnv.accounts]: ' ' }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_ACCOUNTS is required unless ECR_SIGN_DRIFT_ORG_DISCOVERY is true',
      );
    });

    it('refuses an id that is not 12 digits', () => {
      expect(failure({ [DetectorEnv.accounts]: '111122223333,12345' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_ACCOUNTS: '12345' is not a 12-digit account id",
      );
    });

    it('cannot be combined with organization discovery', () => {
      expect(failure({ [DetectorEnv.organizationDiscovery]: 'true' }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_ACCOUNTS cannot be combined with ECR_SIGN_DRIFT_ORG_DISCOVERY=true',
      );
    });
  });

  describe(DetectorEnv.organizationDiscovery, () => {
    it('discovers the organization instead of listing accounts', () => {
      const config = load({ [DetectorEnv.accounts]: undefined, [DetectorEnv.organizationDiscovery]: 'TRUE' });
      expect(config).toMatchObject({ accounts: [], organization: {} });
    });

    it('refuses a value that is not a boolean', () => {
      expect(failure({ [DetectorEnv.organizationDiscovery]: 'maybe' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_ORG_DISCOVERY must be true or false, got 'maybe'",
      );
    });
  });

  describe(DetectorEnv.organizationalUnitId, () => {
    const discovery = { [DetectorEnv.accounts]: undefined, [DetectorEnv.organizationDiscovery]: 'true' };

    it('narrows discovery to an organizational unit or the root', () => {
      expect(
        load({ ...discovery, [DetectorEnv.organizationalUnitId]: 'ou-ab12-cd34ef56' }).organization,
      ).toEqual({
        organizationalUnitId: 'ou-ab12-cd34ef56',
      });
      expect(load({ ...discovery, [DetectorEnv.organizationalUnitId]: 'r-ab12' }).organization).toEqual({
        organizationalUnitId: 'r-ab12',
      });
    });

    it('refuses an id that is no organizational unit or root', () => {
      expect(failure({ ...discovery, [DetectorEnv.organizationalUnitId]: 'Workloads' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_ORG_UNIT_ID: 'Workloads' is not an organizational unit id (ou-...) or root id (r-...)",
      );
    });

    it('needs organization discovery', () => {
      expect(failure({ [DetectorEnv.organizationalUnitId]: 'ou-ab12-cd34ef56' }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_ORG_UNIT_ID needs ECR_SIGN_DRIFT_ORG_DISCOVERY=true',
      );
    });
  });

  describe(DetectorEnv.excludeAccounts, () => {
    it('reads the accounts to leave out', () => {
      expect(load({ [DetectorEnv.excludeAccounts]: '444455556666' }).excludeAccounts).toEqual([
        '444455556666',
      ]);
    });

    it('refuses an id that is not 12 digits', () => {
      expect(failure({ [DetectorEnv.excludeAccounts]: 'sandbox' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_EXCLUDE_ACCOUNTS: 'sandbox' is not a 12-digit account id",
      );
    });
  });

  describe(DetectorEnv.regions, () => {
    it('reads the regions to scan', () => {
      expect(load({ [DetectorEnv.regions]: 'us-east-1,eu-west-1,ap-southeast-2' }).regions).toEqual([
        'us-east-1',
        'eu-west-1',
        'ap-southeast-2',
      ]);
    });

    it('is required', () => {
      expect(failure({ [DetectorEnv.regions]: undefined }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_REGIONS is required',
      );
    });

    it('refuses a name that is no region', () => {
      expect(failure({ [DetectorEnv.regions]: 'us-east-1,US-EAST-2' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_REGIONS: 'US-EAST-2' is not a region name",
      );
    });
  });

  describe(DetectorEnv.roleName, () => {
    it('names the role assumed in each account', () => {
      expect(load({ [DetectorEnv.roleName]: 'EcrSignDrift+Read@org' }).roleName).toBe(
        'EcrSignDrift+Read@org',
      );
    });

    it('refuses a name IAM would not accept', () => {
      expect(failure({ [DetectorEnv.roleName]: 'ecr sign drift' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_ROLE_NAME: 'ecr sign drift' is not an IAM role name",
      );
    });
  });

  describe(DetectorEnv.externalId, () => {
    it('passes the external id on to AssumeRole', () => {
      expect(load({ [DetectorEnv.externalId]: 'ecr-sign-drift:o-abc123' }).externalId).toBe(
        'ecr-sign-drift:o-abc123',
      );
    });

    it('refuses an id AssumeRole would not accept', () => {
      expect(failure({ [DetectorEnv.externalId]: 'a' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_EXTERNAL_ID: 'a' is not an external id (2-1224 characters of A-Z a-z 0-9 +=,.@:/_-)",
      );
    });
  });

  describe(DetectorEnv.topicArn, () => {
    it('is required', () => {
      expect(failure({ [DetectorEnv.topicArn]: '' }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_TOPIC_ARN is required',
      );
    });

    it('refuses what is not an SNS topic ARN', () => {
      expect(failure({ [DetectorEnv.topicArn]: 'ecr-sign-drift-alerts' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_TOPIC_ARN: 'ecr-sign-drift-alerts' is not an SNS topic ARN",
      );
    });
  });

  describe(DetectorEnv.tableName, () => {
    it('is required', () => {
      expect(failure({ [DetectorEnv.tableName]: undefined }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_TABLE_NAME is required',
      );
    });

    it('refuses a name DynamoDB would not accept', () => {
      expect(failure({ [DetectorEnv.tableName]: 'drift records' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_TABLE_NAME: 'drift records' is not a DynamoDB table name",
      );
    });
  });

  describe(DetectorEnv.remediation, () => {
    it.each(['off', 'plan'] as const)('accepts %s', (mode) => {
      expect(load({ [DetectorEnv.remediation]: mode }).remediation).toBe(mode);
    });

    it('accepts apply with the accounts where it may write', () => {
      const config = load({
        [DetectorEnv.remediation]: 'apply',
        [DetectorEnv.remediationAccounts]: '111122223333',
      });
      expect(config).toMatchObject({ remediation: 'apply', remediationAccounts: ['111122223333'] });
    });

    it('refuses any other mode', () => {
      expect(failure({ [DetectorEnv.remediation]: 'fix' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_REMEDIATION must be one of off, plan, apply, got 'fix'",
      );
    });
  });

  describe(DetectorEnv.remediationAccounts, () => {
    it('refuses an id that is not 12 digits', () => {
      expect(failure({ [DetectorEnv.remediationAccounts]: '1111-2222-3333' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_REMEDIATION_ACCOUNTS: '1111-2222-3333' is not a 12-digit account id",
      );
    });

    it('is required for apply', () => {
      expect(failure({ [DetectorEnv.remediation]: 'apply' }).message).toBe(
        'environment variable ECR_SIGN_DRIFT_REMEDIATION_ACCOUNTS is required when ECR_SIGN_DRIFT_REMEDIATION is apply',
      );
    });
  });

  describe.each([
    [DetectorEnv.maxRemediations, 'maxRemediations', 0, 1000, (n: number) => n],
    [DetectorEnv.reminderHours, 'reminderIntervalMs', 1, 24 * 90, (n: number) => n * 3_600_000],
    [DetectorEnv.concurrency, 'concurrency', 1, 256, (n: number) => n],
    [DetectorEnv.runHistoryDays, 'runHistoryDays', 1, 3650, (n: number) => n],
  ] as const)('%s', (variable, member, min, max, value) => {
    it(`accepts whole numbers from ${min} to ${max}`, () => {
      expect(load({ [variable]: String(min) })[member]).toBe(value(min));
      expect(load({ [variable]: ` ${max} ` })[member]).toBe(value(max));
    });

    it.each([String(min - 1), String(max + 1), '2.5', 'ten', '1e1', '0x10', '1_0'])('refuses %s', (text) => {
      expect(failure({ [variable]: text }).message).toBe(
        `environment variable ${variable} must be an integer between ${min} and ${max} in decimal digits, got '${text}'`,
      );
    });
  });

  describe(DetectorEnv.securityHub, () => {
    it('imports findings into Security Hub when true', () => {
      expect(load({ [DetectorEnv.securityHub]: 'true' }).securityHub).toBe(true);
    });

    it('refuses a value that is not true or false, naming the variable', () => {
      expect(failure({ [DetectorEnv.securityHub]: 'maybe' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_SECURITY_HUB must be true or false, got 'maybe'",
      );
    });
  });

  describe(DetectorEnv.queueUrl, () => {
    it('names the scale-out queue', () => {
      const queueUrl = 'https://sqs.us-east-1.amazonaws.com/111122223333/ecr-sign-drift-targets';
      expect(load({ [DetectorEnv.queueUrl]: queueUrl }).queueUrl).toBe(queueUrl);
    });

    it('refuses what is not an http(s) URL', () => {
      expect(failure({ [DetectorEnv.queueUrl]: 'ecr-sign-drift-targets' }).message).toBe(
        "environment variable ECR_SIGN_DRIFT_QUEUE_URL: 'ecr-sign-drift-targets' is not an SQS queue URL",
      );
    });
  });
});
