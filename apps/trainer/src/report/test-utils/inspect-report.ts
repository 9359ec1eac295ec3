import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { it } from 'vitest';

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

/** Where a chromium was found, or why none was. */
export type ChromiumLookup = { readonly path: string } | { readonly missing: string };

/**
 * The chromium the report's browser tests drive: `CHROMIUM_PATH` when set (set it to a path that
 * does not exist to test the no-chromium path), else the first `chromium` or `chromium-browser` on
 * `PATH`.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const forced = env.CHROMIUM_PATH;
  if (forced !== undefined && forced !== '') {
    return existsSync(forced) ? { path: forced } : { missing: `CHROMIUM_PATH=${forced} does not exist` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (dir !== '' && existsSync(join(dir, name))) return { path: join(dir, name) };
    }
  }
  return { missing: 'no chromium or chromium-browser on PATH' };
}

const INSTALL = 'apt-get update && apt-get install -y chromium';

/** True when the environment says CI (`CI=true` or `CI=1`): there a missing browser fails the test. */
export const inCi = (env: NodeJS.ProcessEnv = process.env) => env.CI === 'true' || env.CI === '1';

/**
 * `it` for a test that needs chromium. With chromium it runs. Without it, outside CI, it is skipped
 * with the reason in its title and on stderr; in CI it runs and fails on the missing browser (CI
 * installs Debian's chromium first, `.ci/run`).
 */
export function itWithChromium(title: string, fn: () => Promise<void>, timeout?: number): void {
  const lookup = findChromium();
  if ('path' in lookup || inCi()) {
    it(title, fn, timeout);
    return;
  }
  const reason = `skipped: ${lookup.missing} (outside CI a missing browser skips this test; install it with: ${INSTALL})`;
  process.stderr.write(`${title} — ${reason}\n`);
  it.skip(`${title} — ${reason}`, fn);
}

/** Launches the chromium {@link findChromium} finds; fails (never skips) with the install command when there is none. */
export async function launchChromium(): Promise<Browser> {
  const lookup = findChromium();
  if (!('path' in lookup)) {
    throw new Error(
      `chromium not found (${lookup.missing}): the report's browser test needs Debian's chromium. Install it with: ${INSTALL}`,
    );
  }
  return chromium.launch({
    executablePath: lookup.path,
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
