/**
 * A snapshot for the HTML report's tests: three accounts in two organizational units, two
 * regions, one registry that could not be read, and hostile strings wherever users write them.
 */

export const HOSTILE_REPOSITORY = '<script>window.__injected = true</script>-prod';
export const HOSTILE_ACCOUNT_NAME = 'dev"><img src=x onerror="window.__injected=true">';

const PROFILE = (region: string) =>
  `arn:aws:signer:${region}:999988887777:/signing-profiles/ecr_release_signing`;
const WORKLOADS = {
  organizationalUnitPath: ['r-ab12', 'ou-ab12-11111111'],
  organizationalUnitNames: ['Root', 'Workloads'],
};
const SANDBOX = {
  organizationalUnitPath: ['r-ab12', 'ou-ab12-22222222'],
  organizationalUnitNames: ['Root', 'Sandbox <i>'],
};
const signsEverything = (region: string) => ({ rules: [{ signingProfileArn: PROFILE(region) }] });
const signsProduction = (region: string) => ({
  rules: [
    {
      signingProfileArn: PROFILE(region),
      repositoryFilters: [
        { filter: '*prod*', filterType: 'WILDCARD_MATCH' },
        { filter: '*/production', filterType: 'WILDCARD_MATCH' },
      ],
    },
  ],
});
const profiles = (region: string) => [
  { profileArn: PROFILE(region), status: 'Active', platformId: 'Notation-OCI-SHA384-ECDSA' },
];
const repos = (...names: string[]) => names.map((repositoryName) => ({ repositoryName }));

/** 3 accounts × 2 regions; 333333333333/eu-west-1 could not be scanned. */
export const HTML_REPORT_ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
export const HTML_REPORT_REGIONS = ['eu-west-1', 'us-east-1'];

export function htmlReportSnapshot() {
  return {
    snapshotVersion: 1,
    capturedAt: '2026-12-01T09:00:00.000Z',
    source: {
      errors: [
        {
          accountId: '333333333333',
          region: 'eu-west-1',
          operation: 'AssumeRole',
          errorName: 'AccessDenied',
          message: 'not authorized to assume <role>',
        },
      ],
    },
    registries: [
      {
        accountId: '111111111111',
        region: 'us-east-1',
        account: { name: 'payments-prod', ...WORKLOADS },
        signingConfiguration: signsEverything('us-east-1'),
        signingProfiles: profiles('us-east-1'),
        repositories: repos('payments/api-prod', 'payments/web-prod', 'payments/worker-prod'),
      },
      {
        accountId: '111111111111',
        region: 'eu-west-1',
        account: { name: 'payments-prod', ...WORKLOADS },
        signingConfiguration: signsProduction('eu-west-1'),
        signingProfiles: profiles('eu-west-1'),
        repositories: repos('payments/api-prod', 'payments/scratch', 'tools/ci'),
      },
      {
        accountId: '222222222222',
        region: 'us-east-1',
        account: { name: HOSTILE_ACCOUNT_NAME, ...SANDBOX },
        signingConfiguration: null,
        repositories: repos(HOSTILE_REPOSITORY, 'sandbox/app'),
      },
      {
        accountId: '222222222222',
        region: 'eu-west-1',
        account: { name: HOSTILE_ACCOUNT_NAME, ...SANDBOX },
        signingConfiguration: signsProduction('eu-west-1'),
        signingProfiles: profiles('eu-west-1'),
        repositories: [],
      },
      {
        accountId: '333333333333',
        region: 'us-east-1',
        account: { name: 'shared-services', ...WORKLOADS },
        signingConfiguration: signsProduction('us-east-1'),
        signingProfiles: profiles('us-east-1'),
        repositories: repos('base/images', 'base/production'),
      },
    ],
  };
}
