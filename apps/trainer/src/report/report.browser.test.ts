import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../results.js';
import { renderReportHtml } from './render-html.js';
import { loadFixture } from './test-utils/fixture.js';

const chromiumPath = '/usr/bin/chromium';
/** CI artifact (gitignored via `artifacts/`). */
const screenshotPath = resolve(import.meta.dirname, '..', '..', 'artifacts', 'report.png');

interface ChartState {
  id: string;
  marks: number;
  visibleMarks: number;
}
interface PageState {
  charts: ChartState[];
  tables: number;
  notComputed: number;
  svgSizes: [number, number][];
}

// Runs inside the page (as a string: the trainer's tsconfig has no DOM lib).
const inspectPage = `(() => ({
  charts: [...document.querySelectorAll('figure[data-chart]')].map((f) => {
    const marks = [...f.querySelectorAll('[data-mark]')];
    return {
      id: f.getAttribute('data-chart'),
      marks: marks.length,
      visibleMarks: marks.filter((m) => { const r = m.getBoundingClientRect(); return r.width > 0 || r.height > 0; }).length,
    };
  }),
  tables: document.querySelectorAll('table').length,
  notComputed: document.querySelectorAll('.not-computed').length,
  svgSizes: [...document.querySelectorAll('svg.chart')].map((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }),
}))()`;

/** Launches Debian's chromium; fails (never skips) with the install command when it is absent. */
async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: the report's browser test needs Debian's chromium. Install it with: apt-get update && apt-get install -y chromium`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

describe('report.html in headless Chromium', () => {
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console errors and no network, draws every chart, and is screenshotted', async () => {
    browser = await launchChromium();
    const file = join(mkdtempSync(join(tmpdir(), 'thaw-report-')), 'report.html');
    writeFileSync(file, renderReportHtml(loadFixture() as ResultsFile));
    const url = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    const failed: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));

    await page.goto(url, { waitUntil: 'load' });
    const state = (await page.evaluate(inspectPage)) as PageState;

    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
    expect(requests).toEqual([url]); // the document itself, nothing else
    expect(state.charts.map((c) => c.id).sort()).toEqual(
      [
        'ablation-click',
        'ablation-grid_click',
        'ablation-save',
        'explained-variance-cumulative',
        'explained-variance-ratio',
        'grad-ratio',
        'score-gap',
      ].sort(),
    );
    for (const chart of state.charts) {
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.visibleMarks, `${chart.id} marks with a non-empty box`).toBe(chart.marks);
    }
    expect(state.tables).toBe(11);
    expect(state.notComputed).toBe(0);
    for (const [w, h] of state.svgSizes) expect(w > 100 && h > 100).toBe(true);

    mkdirSync(resolve(screenshotPath, '..'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(existsSync(screenshotPath)).toBe(true);
    console.log(`report screenshot: ${screenshotPath}`);
    await page.close();
  }, 120_000);
});
