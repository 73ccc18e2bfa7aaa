/**
 * Applies waivers to findings. Waivers are indexed by policy, account and region, and the
 * repository patterns of each group go into the repository matcher the signing rules use,
 * so a finding meets only the waivers that could cover it (never finding x waiver).
 */
import { createRepositoryMatcher, type RepositoryMatcher } from '../matching/index.js';
import type { Finding } from '../types.js';
import type { PolicySet } from './types.js';
import type { Waiver } from './waivers.js';

export interface WaivedFinding {
  finding: Finding;
  waiver: Waiver;
}

export interface WaiverOutcome {
  /** Findings no applying waiver covers (those covered only by expired waivers included). */
  findings: Finding[];
  waived: WaivedFinding[];
  /** Findings an expired waiver would have covered: reported as warnings. */
  expired: WaivedFinding[];
}

interface WaiverGroup {
  /** Waivers without a repository: they cover every finding of the group. */
  whole: Waiver[];
  patterned: Waiver[];
  matcher: RepositoryMatcher | null;
}

export interface WaiverIndex {
  readonly size: number;
  coverOf(finding: Finding): Waiver[];
}

const ANY = '*';

export function indexWaivers(waivers: readonly Waiver[]): WaiverIndex {
  const groups = new Map<string, WaiverGroup>();
  for (const waiver of waivers) {
    const key = groupKey(waiver.policyId, waiver.accountId ?? ANY, waiver.region ?? ANY);
    let group = groups.get(key);
    if (!group) {
      group = { whole: [], patterned: [], matcher: null };
      groups.set(key, group);
    }
    (waiver.repository === undefined ? group.whole : group.patterned).push(waiver);
  }
  for (const group of groups.values()) {
    if (group.patterned.length === 0) continue;
    group.matcher = createRepositoryMatcher(
      group.patterned.map((w) => ({
        signingProfileArn: w.source,
        repositoryFilters: [{ filter: w.repository!, filterType: 'WILDCARD_MATCH' as const }],
      })),
    );
  }
  return {
    size: waivers.length,
    coverOf(finding) {
      const cover: Waiver[] = [];
      for (const account of [finding.accountId, ANY]) {
        for (const region of [finding.region, ANY]) {
          const group = groups.get(groupKey(finding.policyId, account, region));
          if (!group) continue;
          cover.push(...group.whole);
          if (group.matcher && finding.repositoryName !== undefined) {
            for (const match of group.matcher.matchFilters(finding.repositoryName)) {
              cover.push(group.patterned[match.ruleIndex]!);
            }
          }
        }
      }
      return cover;
    },
  };
}

/** Splits findings by the waivers in force on `today` (YYYY-MM-DD; a waiver applies through its expires day). */
export function applyWaivers(findings: readonly Finding[], index: WaiverIndex, today: string): WaiverOutcome {
  const outcome: WaiverOutcome = { findings: [], waived: [], expired: [] };
  if (index.size === 0) {
    outcome.findings.push(...findings);
    return outcome;
  }
  for (const finding of findings) {
    const cover = index.coverOf(finding);
    const active = cover.find((w) => w.expires >= today);
    if (active) {
      outcome.waived.push({ finding, waiver: active });
      continue;
    }
    outcome.findings.push(finding);
    if (cover.length > 0) outcome.expired.push({ finding, waiver: cover[0]! });
  }
  return outcome;
}

function groupKey(policyId: string, accountId: string, region: string): string {
  return `${policyId}\u0000${accountId}\u0000${region}`;
}

const indexes = new WeakMap<PolicySet, WaiverIndex>();

/** Applies the set's own waivers; the index is built once per policy set. */
export function applyPolicySetWaivers(
  policySet: PolicySet,
  findings: readonly Finding[],
  today: string,
): WaiverOutcome {
  let index = indexes.get(policySet);
  if (!index) {
    index = indexWaivers(policySet.waivers ?? []);
    indexes.set(policySet, index);
  }
  return applyWaivers(findings, index, today);
}
