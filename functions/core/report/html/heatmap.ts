/**
 * The coverage heatmap: one row per account (grouped by organizational unit when the facts
 * know it), one column per region, one cell per account and region: the share of its
 * repositories a signing rule covers, and whether the registry is in policy.
 */
import type { RegistryCoverage } from '../../audit.js';
import type { ScanError } from '../../types.js';
import { escapeHtml } from './escape.js';

export interface HeatmapInput {
  coverage: readonly RegistryCoverage[];
  errors: readonly ScanError[];
  accountNames: Readonly<Record<string, string>>;
}

const key = (accountId: string, region: string) => `${accountId}/${region}`;

/** Pale red (none covered) through yellow to green (all covered): dark text stays readable on it. */
export function shareColour(share: number): string {
  return `hsl(${Math.round(share * 120)}, 62%, 80%)`;
}

const percent = (share: number) => `${Math.floor(share * 100)}%`;

export function renderHeatmap(input: HeatmapInput): string {
  const cells = new Map(input.coverage.map((c) => [key(c.accountId, c.region), c]));
  const failed = new Map(input.errors.map((e) => [key(e.accountId, e.region), e]));
  const regions = [...new Set([...input.coverage, ...input.errors].map((t) => t.region))].sort();
  const accounts = [...new Set([...input.coverage, ...input.errors].map((t) => t.accountId))].sort();
  const unitOf = new Map<string, string[]>();
  for (const c of input.coverage)
    if (!unitOf.has(c.accountId) && c.organizationalUnit.length > 0)
      unitOf.set(c.accountId, c.organizationalUnit);
  const grouped = unitOf.size > 0;
  const groups = new Map<string, string[]>();
  for (const accountId of accounts) {
    const unit = unitOf.get(accountId);
    const label = unit ? unit.join(' / ') : 'Organizational unit not known';
    groups.set(label, [...(groups.get(label) ?? []), accountId]);
  }
  const orderedGroups = [...groups.entries()].sort(([a], [b]) =>
    a === 'Organizational unit not known'
      ? 1
      : b === 'Organizational unit not known'
        ? -1
        : a.localeCompare(b),
  );

  const cell = (accountId: string, region: string): string => {
    const where = `${accountId}/${region}`;
    const error = failed.get(key(accountId, region));
    if (error) {
      const title = `${where}: not scanned: ${error.operation}: ${error.errorName}`;
      return `<td class="heat-cell heat-failed" title="${escapeHtml(title)}"><span class="heat-share">failed</span><span class="heat-note">${escapeHtml(error.errorName)}</span></td>`;
    }
    const c = cells.get(key(accountId, region));
    if (!c)
      return `<td class="heat-cell heat-absent" title="${escapeHtml(`${where}: not in this audit`)}"><span class="heat-share">–</span></td>`;
    const policy =
      c.findings === 0
        ? '<span class="heat-policy in-policy">in policy</span>'
        : `<span class="heat-policy off-policy">${c.findings} finding${c.findings === 1 ? '' : 's'}</span>`;
    const state = c.findings === 0 ? 'in policy' : `${c.findings} finding${c.findings === 1 ? '' : 's'}`;
    if (c.repositories === 0) {
      return `<td class="heat-cell heat-empty${c.findings === 0 ? '' : ' heat-off'}" data-sort="-1" title="${escapeHtml(`${where}: no repositories; ${state}`)}"><span class="heat-share">no repos</span>${policy}</td>`;
    }
    const share = c.coveredRepositories / c.repositories;
    const title = `${where}: ${c.coveredRepositories} of ${c.repositories} repositories covered; ${state}`;
    return (
      `<td class="heat-cell${c.findings === 0 ? '' : ' heat-off'}" style="background:${shareColour(share)}" title="${escapeHtml(title)}">` +
      `<span class="heat-share">${percent(share)}</span><span class="heat-note">${c.coveredRepositories}/${c.repositories}</span>${policy}</td>`
    );
  };

  const rows: string[] = [];
  for (const [label, members] of orderedGroups) {
    if (grouped)
      rows.push(
        `<tr class="heat-group"><th colspan="${regions.length + 1}" scope="rowgroup">${escapeHtml(label)}</th></tr>`,
      );
    for (const accountId of members) {
      const name = input.accountNames[accountId];
      rows.push(
        `<tr><th scope="row" class="heat-account"><span class="mono">${escapeHtml(accountId)}</span>${name ? `<span class="heat-name">${escapeHtml(name)}</span>` : ''}</th>${regions.map((r) => cell(accountId, r)).join('')}</tr>`,
      );
    }
  }
  return (
    `<table class="heatmap" data-accounts="${accounts.length}" data-regions="${regions.length}">` +
    `<thead><tr><th scope="col">Account</th>${regions.map((r) => `<th scope="col" class="mono">${escapeHtml(r)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>${legend()}`
  );
}

function legend(): string {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((s) => `${shareColour(s)} ${s * 100}%`).join(', ');
  return (
    '<div class="legend" aria-label="Legend">' +
    `<span class="legend-item"><span class="legend-gradient" style="background:linear-gradient(to right, ${stops})"></span>0% → 100% of repositories covered</span>` +
    '<span class="legend-item"><span class="legend-swatch heat-off-swatch"></span>findings (not in policy)</span>' +
    '<span class="legend-item"><span class="legend-swatch heat-empty"></span>no repositories</span>' +
    '<span class="legend-item"><span class="legend-swatch heat-failed"></span>scan failed</span>' +
    '<span class="legend-item"><span class="legend-swatch heat-absent"></span>not in this audit</span>' +
    '</div>'
  );
}
