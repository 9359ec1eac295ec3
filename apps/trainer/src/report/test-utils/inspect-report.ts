import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';

export interface ChartState {
  id: string;
  marks: number;
  visibleMarks: number;
}
export interface PageState {
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
export async function launchChromium(): Promise<Browser> {
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

/** What a report page did when loaded: console errors, requests, failed requests and its charts. */
export async function inspectReport(browser: Browser, file: string, screenshot?: string) {
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
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { url, errors, requests, failed, state };
}
