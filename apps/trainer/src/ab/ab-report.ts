import { escapeHtml, escapeMarkdownCell } from '../report/escape.js';
import { duration } from '../report/format.js';
import { htmlPage } from '../report/html-page.js';
import { renderTableHtml } from '../report/tables/html-table.js';
import { renderTableMarkdown } from '../report/tables/markdown-table.js';
import type { ReportTable } from '../report/tables/report-table.js';
import { renderTableText } from '../report/tables/text-table.js';
import { dailyCharts } from './ab-charts.js';
import type { AbResults, AbTable } from './ab-results.js';
import { aaVerdict, abBoostTable, abLiftTable, abSettingsTable, abValueTable, abVersusBoostTable } from './ab-tables.js';

interface AbSection {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly ReportTable[];
  readonly charts?: (ab: AbResults) => string;
}

const TABLE_SECTIONS: readonly [AbTable, string][] = [
  ['table2', 'Table 2 analogue: engagement volume on fresh and all items'],
  ['table3', 'Table 3 analogue: unique fresh items with engagement'],
  ['table5', 'Table 5 analogue: engagement by position'],
  ['oracle', 'Oracle utility and regret of the shown slates (what the paper could not measure)'],
  ['guardrail', 'Guardrails: engagement per fresh impression'],
  ['exposure', 'Fresh exposure'],
];

/** The report's sections in order (shared by the HTML, markdown and text renderers). */
export function abSections(ab: AbResults): AbSection[] {
  const boost = abBoostTable(ab);
  const versus = abVersusBoostTable(ab);
  return [
    ...(versus
      ? [{ id: 'versus-boost', title: 'Against the matched fresh boost (the heuristic to beat)', tables: [versus] }]
      : []),
    ...TABLE_SECTIONS.filter(([table]) => ab.metrics.some((m) => m.table === table)).map(([table, title]) => ({
      id: table,
      title,
      tables: [abLiftTable(ab, table), abValueTable(ab, table)],
    })),
    { id: 'daily', title: 'Daily series', tables: [], charts: dailyCharts },
    ...(boost ? [{ id: 'boost', title: 'Fresh-boost arm', tables: [boost] }] : []),
    { id: 'settings', title: 'Settings', tables: [abSettingsTable(ab)] },
  ];
}

function headline(ab: AbResults): string[] {
  return [
    `${ab.arms.length} arms × ${ab.settings.worlds} worlds × ${ab.settings.days} A/B days · preset ${ab.settings.preset} · created ${ab.createdAt} · worlds ${duration(ab.seconds.perWorld.reduce((x, y) => x + y, 0))} (this session ${duration(ab.seconds.total)})`,
    `Estimand — ${ab.estimand}`,
    `Noise — ${ab.variance}`,
    ...(aaVerdict(ab) ? [aaVerdict(ab) as string] : []),
  ];
}

/** `ab.html`: one self-contained page (inline CSS and SVG, no script, no network) in the report's style. */
export function renderAbHtml(ab: AbResults): string {
  const title = `thaw-train simulate-ab: ${ab.arms.map((a) => a.id).join(' vs ')}`;
  const [meta, ...notes] = headline(ab);
  const sections = abSections(ab).map((s) =>
    [
      `<section id="${escapeHtml(s.id)}">`,
      `<h2>${escapeHtml(s.title)}</h2>`,
      s.charts ? s.charts(ab) : '',
      ...s.tables.map(renderTableHtml),
      '</section>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return htmlPage({
    title,
    header: [`<p class="meta">${escapeHtml(meta as string)}</p>`, ...notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`)],
    sections,
    footer: `Written by thaw-train simulate-ab from ab.json (schema v${ab.schemaVersion}). Self-contained: no scripts, no network.`,
  });
}

/** `ab.md`: the same tables as GitHub markdown (no charts). */
export function renderAbMarkdown(ab: AbResults): string {
  const [meta, ...notes] = headline(ab);
  const lines = [`# thaw-train simulate-ab: ${ab.arms.map((a) => a.id).join(' vs ')}`, '', escapeMarkdownCell(meta as string)];
  for (const n of notes) lines.push('', `> ${escapeMarkdownCell(n)}`);
  for (const s of abSections(ab)) {
    if (s.tables.length === 0) continue;
    lines.push('', `## ${escapeMarkdownCell(s.title)}`);
    for (const t of s.tables) lines.push('', renderTableMarkdown(t));
  }
  return `${lines.join('\n')}\n`;
}

/** What the terminal prints: the estimand, the A/A check and the lift tables. */
export function renderAbText(ab: AbResults): string {
  const [, ...notes] = headline(ab);
  const tables = abSections(ab)
    .flatMap((s) => s.tables)
    .filter((t) => t.id.startsWith('ab-lift-') || t.id === 'ab-boost' || t.id === 'ab-versus-boost');
  return [...notes, '', ...tables.map(renderTableText)].join('\n\n');
}
