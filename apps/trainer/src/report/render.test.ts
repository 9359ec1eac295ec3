import { describe, expect, it } from 'vitest';
import { HITS_METRIC, type ResultsFile } from '../results.js';
import { renderReportHtml } from './render-html.js';
import { renderLiftTable } from './render-lift-table.js';
import { renderReportMarkdown } from './render-markdown.js';
import { loadFixture } from './test-utils/fixture.js';

/** Each `<figure data-chart>` of a page with the number of marks of each kind it draws. */
function charts(html: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [, id = '', body = ''] of html.matchAll(/<figure data-chart="([^"]+)">([\s\S]*?)<\/figure>/g)) {
    const marks: Record<string, number> = {};
    for (const [, kind = ''] of body.matchAll(/data-mark="([^"]+)"/g)) marks[kind] = (marks[kind] ?? 0) + 1;
    out[id] = marks;
  }
  return out;
}

/** Sign and 2 decimals, written independently of format.ts. */
const lift = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(2)}`;

describe('renderLiftTable (synthetic fixture)', () => {
  const results = loadFixture();
  const text = renderLiftTable(results as ResultsFile);
  // Each table's lines (the tables share variant names: the truth table, the lift table, the frontier placements …).
  const all = text.split('\n');
  const section = (title: string, next: string) =>
    all.slice(
      all.findIndex((l) => l.includes(title)),
      all.findIndex((l) => l.includes(next)),
    );
  const lines = section('Hits@3 lift (%) over', 'fresh-boost frontier (logged Hits@3');
  const reference = section('Absolute Hits@3', 'reaches the baseline');
  const row = (name: string, from = lines) => (from.find((l) => l.startsWith(`${name} `)) ?? '').trim().split(/\s+/);

  it('prints one row per variant with params and the six lifts, significant ones starred', () => {
    // Hand-read from fixtures/results.example.json (residual: fresh 1.32 sig, 1.61 sig, 0.9; all 0.07, -0.09, 0.04).
    expect(row('residual')).toEqual(['residual', '+4.96%', '+1.32*', '+1.61*', '+0.90', '+0.07', '-0.09', '+0.04']);
    expect(row('dropout')).toEqual(['dropout', '0.00%', '+0.28', '-1.02*', '+0.11', '-0.13', '-0.28', '-0.05']);
    expect(row('aldi')).toEqual(['aldi', '+28.89%', '+0.63', '-0.19', '+0.40', '+0.30*', '+0.02', '+0.12']);
    expect(row('all')).toEqual(['all', '+4.96%', '+3.20*', '+3.40*', '+2.50*', '-0.04', '-0.13', '-0.06']);
    const order = results.variants.map((v) => v.name).filter((n) => n !== 'baseline');
    expect(lines.filter((l) => order.some((n) => l.startsWith(`${n} `))).map((l) => l.split(' ')[0])).toEqual(order);
  });

  it('puts the interval and per-seed spread under each lift, decimals aligned', () => {
    const i = lines.findIndex((l) => l.startsWith('residual '));
    const valueLine = lines[i] ?? '';
    const ciLine = lines[i + 1] ?? '';
    const seedLine = lines[i + 2] ?? '';
    expect(ciLine.trim().split(/\s{2,}/)[0]).toBe('[+0.14, +2.50]');
    expect(seedLine.trim().split(/\s{2,}/)[0]).toBe('(+0.5..+1.8)'); // per-seed 0.49, 1.79, 1.68
    // '+1.32*' and '+0.90 ' end in the same column as their intervals' closing brackets (minus the marker slot).
    expect(valueLine.indexOf('+1.32*') + 6).toBe(ciLine.indexOf('[+0.14, +2.50]') + 14);
    expect(valueLine.indexOf('+0.90') + 6).toBe(ciLine.indexOf('[-0.09, +1.89]') + 14);
  });

  it('shows the reference scorers and flags the one that beats the baseline', () => {
    expect(row('noHistoryFirst', reference)).toEqual([
      'noHistoryFirst',
      '0.2488',
      '0.0702',
      '0.1481!',
      '0.1865',
      '0.0533',
      '0.0901',
    ]);
    expect(row('baseline', reference)).toEqual([
      'baseline',
      '(trained)',
      '0.3120',
      '0.0910',
      '0.1450',
      '0.4210',
      '0.1320',
      '0.1980',
    ]);
    expect(text).toContain('noHistoryFirst on fresh click (0.1481 ≥ 0.1450)');
  });

  it('says so when no shortcut wins', () => {
    const results = loadFixture();
    const scorer = results.referenceScorers.find((s) => s.name === 'noHistoryFirst');
    if (scorer) scorer.metrics.fresh[HITS_METRIC]['click'] = 0.1449;
    const truth = results.oracle?.referenceScorers.find((s) => s.name === 'noHistoryFirst');
    if (truth) truth.freshRecall.value = 0.41;
    const ok = renderLiftTable(results as ResultsFile);
    expect(ok).not.toContain('0.1449!');
    expect(ok).toContain('0.1449 ');
    expect(ok).toContain(
      'No reference scorer (random (truth), popularity (truth), noHistoryFirst (truth), loggingPolicy (truth), random, popularity, noHistoryFirst) reaches the baseline on any slice or task.',
    );
  });

  it('leads with the table against the ground truth and the frontier placement, then the logged tables', () => {
    const at = (needle: string) => all.findIndex((l) => l.includes(needle));
    expect(at('Against the ground truth')).toBe(0);
    expect(at('fresh-boost frontier (oracle metrics)')).toBeGreaterThan(0);
    expect(at('Hits@3 lift (%) over')).toBeGreaterThan(at('fresh-boost frontier (oracle metrics)'));
    expect(at('fresh-boost frontier (logged Hits@3')).toBeGreaterThan(at('Hits@3 lift (%) over'));
    // residual in the truth table: 0.8231 + 0.07/100 (hand-read from the fixture generator), Δ +0.07 points.
    const truthRow = (all.find((l) => l.startsWith('residual ')) ?? '').trim().split(/\s+/);
    expect(truthRow.slice(0, 3)).toEqual(['residual', '0.8238', '+0.07']);
    // noHistoryFirst beats the baseline's fresh oracle recall (0.5233 ≥ 0.4112): flagged, and named in the verdict.
    expect(all.find((l) => l.startsWith('noHistoryFirst (reference)'))).toContain('0.5233!');
    expect(text).toContain('noHistoryFirst on oracle fresh recall@3 against the truth (0.5233 ≥ 0.4112)');
  });
});

describe('renderReportMarkdown (synthetic fixture)', () => {
  const results = loadFixture();
  const md = renderReportMarkdown(results as ResultsFile);

  it('holds every lift of the fixture, bold + \\* exactly when significant', () => {
    const logged = md.slice(md.indexOf('Hits@3 lift (%) over'));
    for (const v of results.variants.filter((x) => x.name !== results.baseline)) {
      const line = logged.split('\n').find((l) => l.startsWith(`| ${v.name} | `)) ?? '';
      for (const slice of ['fresh', 'all'] as const) {
        for (const task of results.tasks) {
          const l = v.liftPct?.[slice][HITS_METRIC][task];
          if (!l) throw new Error(`fixture lacks ${v.name} ${slice} ${task}`);
          const shown = l.significant ? `**${lift(l.value)}**\\*` : ` ${lift(l.value)} `;
          expect(line, `${v.name} ${slice} ${task}`).toContain(
            `${shown}${l.significant ? ' ' : ''}[${lift(l.ci95[0])}, ${lift(l.ci95[1])}]`,
          );
        }
      }
    }
  });

  it('has the exact Table 1 row of residual', () => {
    expect(md).toContain(
      '| residual | +4.96% | **+1.32**\\* [+0.14, +2.50] (+0.5..+1.8) | **+1.61**\\* [+0.63, +2.59] (+1.0..+2.3) | +0.90 [-0.09, +1.89] (+0.5..+1.5) |',
    );
  });

  it('summarises the analyses', () => {
    expect(md).toContain('| grid_click · positive | 13.65% warm 0.3100 / cold 0.2677 | 0.53% warm 0.3100 / cold 0.3084 |');
    expect(md).toContain('| residual · grid_click | 30.3% |');
    expect(md).toMatch(/\| baseline \| 6\.84 \| 6 \| 33\.0% \|/); // cumulative 0.909 at component 6
    expect(md).toMatch(/\| mixup \| 14\.67 \| /);
    expect(md).not.toContain('Not computed');
  });
});

describe('renderReportHtml (synthetic fixture)', () => {
  const html = renderReportHtml(loadFixture() as ResultsFile);

  it('is one self-contained page: no script, no external reference', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=|href=/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('draws every chart with the marks its data implies', () => {
    const found = charts(html);
    // 41 logged steps per curve (0..2000 every 50), 32 PCA components, 3 tasks × 2 labels, 8 + 6 features.
    expect(found['grad-ratio']).toEqual({ line: 2, point: 82 });
    expect(found['score-gap']).toEqual({ bar: 12 });
    expect(found['explained-variance-ratio']).toEqual({ line: 2, point: 64 });
    expect(found['explained-variance-cumulative']).toEqual({ line: 2, point: 64 });
    for (const task of ['grid_click', 'save', 'click']) expect(found[`ablation-${task}`]).toEqual({ box: 4, point: 28 });
    // Per variant (10 with the baseline) its point and its matched boost; the boost curve where it
    // passes through the zoomed window (some of its 21 boosts).
    for (const id of ['oracle-frontier', 'logged-frontier']) {
      const body = html.match(new RegExp(`<figure data-chart="${id}">([\\s\\S]*?)</figure>`))?.[1] ?? '';
      expect(body.match(/data-series="variants"/g)?.length, id).toBe(10);
      expect(body.match(/data-series="matched boost"/g)?.length, id).toBe(10);
      const curve = body.match(/data-mark="point" data-series="baseline \+ boost"/g)?.length ?? 0;
      expect(curve, id).toBeGreaterThanOrEqual(2);
      expect(curve, id).toBeLessThanOrEqual(21);
      expect(found[id]?.line).toBe(1);
    }
    expect(Object.keys(found)).toHaveLength(9);
  });

  it('places the baseline grid_click positive bar where the scales put it', () => {
    // frame 720×320, margins 36/16/48/56 → x ∈ [56, 704], y ∈ [36, 272]; y domain niceDomain(0, 13.65) = [0, 14].
    // Outer band: step = 648 / (6 − 0.3 + 0.3) = 108, first band at 56 + 0.15·108 = 72.2, width 75.6.
    // Inner band: step = 75.6 / 1.9, width 0.9·step = 35.81. Bar top: 272 − 236·13.65/14 = 41.9, height 230.1.
    expect(html).toMatch(
      /<rect class="bar s0" x="72.2" y="41.9" width="35.81" height="230.1" data-mark="bar" data-series="baseline">/,
    );
  });

  it('marks significant Table 1 cells bold with a marker', () => {
    expect(html).toContain(
      '<td class="num" title="p = 0.028; per-seed lifts: +0.49, +1.79, +1.68" data-marker="*"><strong>+1.32</strong><sup class="marker">*</sup>',
    );
    expect(html).toContain('data-verdict="shortcut"');
  });
});

describe('missing analyses and hostile names', () => {
  it('shows "not computed" instead of an empty chart', () => {
    const results = loadFixture();
    results.variants = results.variants.filter((v) => v.name !== 'residual');
    for (const v of results.variants) delete v.explainedVariance;
    const scorereg = results.variants.find((v) => v.name === 'scorereg');
    if (scorereg) delete scorereg.scoreGap;
    const html = renderReportHtml(results as ResultsFile);
    const found = charts(html);
    expect(found['explained-variance-ratio']).toBeUndefined();
    expect(html).toContain(
      'data-not-computed="analysis-explainedVariance"><strong>Not computed:</strong> &quot;baseline&quot; has no explained variance in results.json; &quot;mixup&quot; has no explained variance in results.json.</p>',
    );
    expect(html).toContain('the run has no &quot;residual&quot; variant');
    // The baseline alone is still drawn where it has data.
    expect(found['grad-ratio']).toEqual({ line: 1, point: 41 });
    expect(found['score-gap']).toEqual({ bar: 6 });
    const md = renderReportMarkdown(results as ResultsFile);
    expect(md).toContain('_Not computed: "scorereg" has no score gap in results.json._');
  });

  it('escapes every name that reaches the page', () => {
    const results = loadFixture();
    const evil = '<script>alert(1)</script>|"x"';
    const residual = results.variants.find((v) => v.name === 'residual');
    if (residual) residual.name = evil;
    const feature = results.variants[0]?.ablation?.features[0];
    if (feature) feature.name = '<img src=x onerror=alert(1)>';
    results.dataset.name = '</title><script>';
    const html = renderReportHtml(results as ResultsFile);
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;|&quot;x&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const md = renderReportMarkdown(results as ResultsFile);
    expect(md).toContain('| &lt;script>alert(1)&lt;/script>\\|"x" | +4.96% |');
  });
});
