/**
 * The partition a region belongs to, for the ARNs the tool builds itself (role, repository
 * and Security Hub product ARNs):
 * a scan from GovCloud or China must assume `arn:aws-us-gov:…` / `arn:aws-cn:…` roles.
 */
const PARTITION_BY_REGION_PREFIX: readonly (readonly [prefix: string, partition: string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
];

export function partitionOfRegion(region: string): string {
  return PARTITION_BY_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}
