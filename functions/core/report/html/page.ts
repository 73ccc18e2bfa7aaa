/**
 * The page around the sections: styles and the one small script (sorting tables) inline, and
 * a Content-Security-Policy that lets the page load nothing and run only that script.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.js';

const STYLE = `
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --panel: #f5f7fa; --accent: #2c5282;
  --critical: #8b1a1a; --high: #d64545; --medium: #e8a33d; --low: #3a8dde; --info: #9aa5b1; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { background: #102a43; color: #f0f4f8; padding: 22px 32px 18px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
header p { margin: 0; color: #bcccdc; font-size: 13px; }
nav { position: sticky; top: 0; z-index: 1; background: #243b53; padding: 6px 32px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav a { color: #d9e2ec; text-decoration: none; font-size: 13px; }
nav a:hover { color: #fff; text-decoration: underline; }
main { padding: 8px 32px 40px; max-width: 1280px; }
section { margin-top: 28px; }
h2 { font-size: 19px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 14px 0 4px; }
p.note { color: var(--muted); margin: 4px 0 10px; font-size: 13px; }
.nowrap { white-space: nowrap; }
.mono, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.tile .value { display: block; font-size: 26px; font-weight: 650; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile.bad .value { color: var(--high); }
.tile.good .value { color: #2f8132; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.chart { max-width: 100%; height: auto; }
.chart-label { font-size: 13px; fill: var(--ink); }
.chart-value { font-size: 12px; fill: var(--muted); }
.chart-axis { font-size: 11px; fill: var(--muted); }
.chart-grid { stroke: var(--line); stroke-width: 1; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--panel); font-weight: 600; white-space: nowrap; }
table.sortable thead th { cursor: pointer; user-select: none; }
table.sortable thead th::after { content: " ↕"; color: #9fb3c8; font-size: 11px; }
table.sortable thead th[aria-sort="ascending"]::after { content: " ↑"; color: var(--accent); }
table.sortable thead th[aria-sort="descending"]::after { content: " ↓"; color: var(--accent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.sev { display: inline-block; min-width: 64px; text-align: center; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; color: #fff; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); color: #1f2933; }
.sev-low { background: var(--low); } .sev-info { background: var(--info); color: #1f2933; }
.inline-bar { display: inline-block; height: 10px; border-radius: 2px; background: var(--accent); vertical-align: middle; margin-right: 6px; }
.heatmap { width: auto; border-collapse: separate; border-spacing: 4px; }
.heatmap th, .heatmap td { border: none; }
.heatmap thead th { background: none; text-align: center; color: var(--muted); font-weight: 600; }
.heatmap .heat-group th { padding: 12px 4px 2px; color: var(--accent); font-size: 13px; text-transform: none; border-bottom: 1px solid var(--line); }
.heat-account { white-space: nowrap; padding-right: 14px; }
.heat-name { display: block; color: var(--muted); font-size: 12px; }
.heatmap td.heat-cell { width: 118px; min-width: 104px; height: 58px; text-align: center; vertical-align: middle; border-radius: 6px; padding: 4px 6px; border: 2px solid transparent; }
.heat-share { display: block; font-size: 17px; font-weight: 650; }
.heat-note { display: block; font-size: 11px; color: #334e68; }
.heat-policy { display: block; font-size: 11px; }
.in-policy { color: #276749; }
.off-policy { color: #8b1a1a; font-weight: 650; }
.heatmap td.heat-off { border-color: #c53030; }
.heat-empty { background: #e4e7eb; }
.heat-failed { background: repeating-linear-gradient(45deg, #fde2e2, #fde2e2 6px, #f8c4c4 6px, #f8c4c4 12px); color: #8b1a1a; }
.heat-absent { background: #fff; color: var(--muted); }
.heatmap td.heat-absent { border: 2px dashed var(--line); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0 4px; font-size: 12px; color: var(--muted); }
.legend-item { display: inline-flex; align-items: center; gap: 6px; }
.legend-gradient { display: inline-block; width: 120px; height: 12px; border-radius: 3px; }
.legend-swatch { display: inline-block; width: 18px; height: 12px; border-radius: 3px; border: 1px solid var(--line); }
.heat-off-swatch { border: 2px solid #c53030; }
.legend-swatch.heat-absent { border: 1px dashed #9fb3c8; }
.drift-card { border: 1px solid var(--line); border-left: 4px solid var(--medium); border-radius: 6px; padding: 8px 14px; margin: 10px 0; background: #fffdf7; }
.drift-card h3 { margin-top: 4px; }
.drift-card ul { margin: 4px 0 6px; padding-left: 20px; }
.empty { color: var(--muted); font-style: italic; }
figure { margin: 0; }
figcaption { font-size: 13px; font-weight: 600; color: var(--muted); margin-bottom: 4px; }
footer { color: var(--muted); font-size: 12px; padding: 0 32px 24px; }
@media print {
  nav { display: none; }
  header { background: none; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--ink); }
  header p { color: var(--muted); }
  main { padding: 0; max-width: none; }
  section { break-inside: avoid-page; }
  table { break-inside: auto; } tr { break-inside: avoid; }
  table.sortable thead th::after { content: ""; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

const SCRIPT = `
for (const table of document.querySelectorAll('table.sortable')) {
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, index) => {
    th.tabIndex = 0;
    th.setAttribute('aria-sort', 'none');
    const sort = () => {
      const body = table.tBodies[0];
      const rows = [...body.rows];
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      const value = (row) => row.cells[index].dataset.sort ?? row.cells[index].textContent.trim();
      const numeric = rows.every((row) => value(row) !== '' && !Number.isNaN(Number(value(row))));
      rows.sort((a, b) => {
        const order = numeric ? Number(value(a)) - Number(value(b)) : value(a).localeCompare(value(b));
        return ascending ? order : -order;
      });
      for (const head of heads) head.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      body.append(...rows);
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        sort();
      }
    });
  });
}
`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

/** Nothing may be fetched; inline styles (the heatmap's colours) and exactly the sorting script may run. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** `title` and `nav` are text; the `…Html` parts are markup, already escaped. */
export function htmlPage(page: {
  title: string;
  nav: readonly { id: string; label: string }[];
  subtitleHtml: string;
  bodyHtml: string;
  footerHtml: string;
}): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(page.title)}</h1><p>${page.subtitleHtml}</p></header>`,
    `<nav>${page.nav.map((n) => `<a href="#${n.id}">${escapeHtml(n.label)}</a>`).join('')}</nav>`,
    `<main>${page.bodyHtml}</main>`,
    `<footer>${page.footerHtml}</footer>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
