import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectReport, itWithChromium, launchChromium } from './report/test-utils/inspect-report.js';
import { HITS_METRIC, type ResultsFile } from './results.js';
import { runCli } from './test-utils/run-cli.js';

describe('thaw-train experiment on sim:tiny', () => {
  const out = mkdtempSync(join(tmpdir(), 'thaw-exp-'));
  const run = runCli([
    'experiment',
    '--data',
    'sim:tiny',
    '--out',
    out,
    '--variants',
    'baseline,scorereg,residual',
    '--seeds',
    '2',
    '--bootstrap',
    '200',
    '--quiet',
  ]);

  it('exits 0, prints the lift table and the report path', () => {
    // --quiet leaves only warnings; the sim:tiny models are weak, and a calibration that would
    // reverse a task's ranking is refused with a warning naming the run and the task.
    const warnings = run.stderr.split('\n').filter((line) => line !== '');
    for (const line of warnings) expect(line).toMatch(/^warning: \S+ seed \d: calibration of task '\w+': .* identity kept$/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Hits@3 lift (%) over baseline');
    expect(run.stdout).toContain(`report: ${join(out, 'report.html')}`);
  });

  it('writes results.json in the documented shape, with lifts consistent with the metrics', () => {
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.schemaVersion).toBe(1);
    expect(results.tasks).toEqual(['grid_click', 'save', 'click']);
    expect(results.variants.map((v) => v.name)).toEqual(['baseline', 'scorereg', 'residual']);
    const [baseline, scorereg, residual] = results.variants as [
      ResultsFile['variants'][0],
      ResultsFile['variants'][0],
      ResultsFile['variants'][0],
    ];
    expect(baseline.liftPct).toBeUndefined();
    expect(scorereg.paramsIncreasePct).toBe(0);
    expect(residual.paramsIncreasePct).toBeGreaterThan(0);
    for (const slice of ['fresh', 'all'] as const) {
      for (const task of results.tasks) {
        const lift = residual.liftPct?.[slice][HITS_METRIC][task];
        const a = baseline.metrics[slice][HITS_METRIC][task] as number;
        const b = residual.metrics[slice][HITS_METRIC][task] as number;
        if (!(a > 0)) continue;
        // the bootstrap's point estimate is the lift of the seed means
        expect(lift?.value).toBeCloseTo(100 * (b / a - 1), 6);
        expect(lift?.ci95[0]).toBeLessThanOrEqual(lift?.value as number);
        expect(lift?.ci95[1]).toBeGreaterThanOrEqual(lift?.value as number);
        expect(lift?.significant).toBe(lift?.primary ? (lift.p as number) < 0.05 : (lift?.pHolm as number) < 0.05);
        expect(lift?.perSeed).toHaveLength(2);
      }
    }
    expect(results.referenceScorers.map((s) => s.name)).toEqual(['random', 'popularity', 'noHistoryFirst']);
    // Users resampled; fresh Hits@3 of the first task declared primary for the single techniques; the rest Holm-corrected.
    expect(results.liftStatistics?.unit).toBe('user');
    expect(results.liftStatistics?.primaryCells).toEqual(['scorereg / fresh / grid_click', 'residual / fresh / grid_click']);
    expect(results.liftStatistics?.holmFamily).toBe(2 * 2 * 3 - 2);
    const primary = scorereg.liftPct?.fresh['hits@3'].grid_click;
    expect(primary?.primary).toBe(true);
    expect(primary?.pHolm).toBeUndefined();
    expect(scorereg.liftPct?.all['hits@3'].grid_click?.pHolm).toBeGreaterThanOrEqual(
      scorereg.liftPct?.all['hits@3'].grid_click?.p as number,
    );
    // The learning rate was tuned on the calibration window and used.
    expect(results.tuning?.map((t) => t.name)).toEqual(['training.learningRate']);
    expect(results.settings.learningRate).toBe(results.tuning?.[0]?.chosen);
    expect(results.split.evaluation.positiveRate?.noHistory).toBeDefined();
    expect(baseline.gradNormRatio?.length).toBeGreaterThan(0);
    expect(baseline.explainedVariance?.cumulative.at(-1)).toBeCloseTo(1, 6);
    expect(baseline.ablation?.features.map((f) => f.name)).toEqual(
      results.variants[0] && [
        'item_id',
        'item_stats',
        'user_history',
        'item_content',
        'item_category',
        'item_age',
        'query_content',
      ],
    );
  });

  itWithChromium('its report.html loads in headless Chromium with no errors or requests, and draws its charts', async () => {
    const browser = await launchChromium();
    try {
      const { url, errors, requests, failed, state } = await inspectReport(browser, join(out, 'report.html'));
      expect(errors).toEqual([]);
      expect(failed).toEqual([]);
      expect(requests).toEqual([url]);
      // baseline, scorereg and residual were trained: gradient ratio, score gap and ablation are drawn;
      // explained variance compares baseline with mixup, which was not trained, so it says so instead.
      expect(state.charts.map((c) => c.id)).toEqual(expect.arrayContaining(['grad-ratio', 'score-gap', 'ablation-grid_click']));
      for (const chart of state.charts) expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(state.notComputed).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it('refuses an --out whose runs/ it did not make', () => {
    const foreign = mkdtempSync(join(tmpdir(), 'thaw-foreign-'));
    mkdirSync(join(foreign, 'runs', 'precious'), { recursive: true });
    const refused = runCli(['experiment', '--data', 'sim:tiny', '--out', foreign, '--variants', 'baseline', '--seeds', '1']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${join(foreign, 'runs')} exists and was not made by thaw-train experiment`);
    expect(existsSync(join(foreign, 'runs', 'precious'))).toBe(true);
  });

  it('writes the report and the serving artifacts of the chosen variant', () => {
    for (const file of [
      'report.html',
      'report.md',
      'model/spec.json',
      'model/model.onnx',
      'model/items-table.bin',
      'model/weights.json',
      'model/calibration.json',
      'model/example-request.json',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'artifacts.json'), 'utf8'));
    expect(manifest.variant).toBe('residual');
  });
});
