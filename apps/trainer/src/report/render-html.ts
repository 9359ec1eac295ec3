import type { ResultsFile } from '../results.js';
import { escapeHtml } from './escape.js';
import { notComputedHtml } from './figures/figure.js';
import { count, duration } from './format.js';
import { htmlPage } from './html-page.js';
import { reportSections } from './sections.js';
import { renderTableHtml } from './tables/html-table.js';
import { shortcutVerdict } from './tables/reference-table.js';

/**
 * Renders `results.json` as ONE self-contained HTML page (`report.html`): inline CSS and inline
 * SVG charts, no script, no network (a Content-Security-Policy forbids both), no web fonts. It holds
 * the Table 1 analogue (Hits@3 lift per task on fresh and all items with 95% CI and per-seed spread,
 * significant cells bold with `*`, parameter increase), the baseline's absolute metrics against the
 * random / popularity / no-history-first reference scorers with a shortcut verdict, the split
 * counts and leakage check, cost, the Fig 2a/6a, 2b/6b, 2c/6c and Fig 7 analogues (each chart a
 * `<figure data-chart>` whose marks carry `data-mark`; missing analyses show a "not computed"
 * note) and the run's settings. All text from the results file is escaped.
 *
 * @example
 * writeFileSync(join(out, 'report.html'), renderReportHtml(results));
 */
export function renderReportHtml(results: ResultsFile): string {
  const title = `thaw-train report: ${results.dataset.name}`;
  const { message, wins } = shortcutVerdict(results);
  const s = results.settings;
  const meta = [
    `data ${s.data}`,
    `${count(results.variants.length)} variants × ${s.seeds} seed${s.seeds === 1 ? '' : 's'}${s.seedsNote ? ` (${s.seedsNote})` : ''}`,
    `tasks ${results.tasks.join(', ')}`,
    `created ${results.createdAt}`,
    `total ${duration(results.totalSeconds)}`,
  ].join(' · ');
  const sections = reportSections(results).map((section) =>
    [
      `<section id="${escapeHtml(section.id)}">`,
      `<h2>${escapeHtml(section.title)}</h2>`,
      section.notComputed.length ? notComputedHtml(section.id, section.notComputed) : '',
      section.charts(),
      ...section.tables.map(renderTableHtml),
      '</section>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return htmlPage({
    title,
    header: [
      `<p class="meta">${escapeHtml(meta)}</p>`,
      `<p class="verdict${wins.length ? ' warn' : ''}" data-verdict="${wins.length ? 'shortcut' : 'ok'}">${escapeHtml(message)}</p>`,
    ],
    sections,
    footer: `Written by thaw-train from results.json (schema v${results.schemaVersion}). Self-contained: no scripts, no network.`,
  });
}
