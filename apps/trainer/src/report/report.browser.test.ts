import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import type { ResultsFile } from '../results.js';
import { renderReportHtml } from './render-html.js';
import { loadFixture } from './test-utils/fixture.js';
import { inspectReport, itWithChromium, launchChromium } from './test-utils/inspect-report.js';

/** CI artifact (gitignored via `artifacts/`). */
const screenshotPath = resolve(import.meta.dirname, '..', '..', 'artifacts', 'report.png');

describe('report.html in headless Chromium', () => {
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  itWithChromium(
    'loads with no console errors and no network, draws every chart, and is screenshotted',
    async () => {
      browser = await launchChromium();
      const file = join(mkdtempSync(join(tmpdir(), 'thaw-report-')), 'report.html');
      writeFileSync(file, renderReportHtml(loadFixture() as ResultsFile));
      mkdirSync(resolve(screenshotPath, '..'), { recursive: true });
      const { url, errors, requests, failed, state } = await inspectReport(browser, file, screenshotPath);

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
          'logged-frontier',
          'oracle-frontier',
          'score-gap',
        ].sort(),
      );
      for (const chart of state.charts) {
        expect(chart.marks, chart.id).toBeGreaterThan(0);
        expect(chart.visibleMarks, `${chart.id} marks with a non-empty box`).toBe(chart.marks);
      }
      // 11 logged and analysis tables + the truth table, its frontier placement, the bias, the logged frontier placement.
      expect(state.tables).toBe(15);
      expect(state.notComputed).toBe(0);
      for (const [w, h] of state.svgSizes) expect(w > 100 && h > 100).toBe(true);

      expect(existsSync(screenshotPath)).toBe(true);
      console.log(`report screenshot: ${screenshotPath}`);
    },
    120_000,
  );
});
