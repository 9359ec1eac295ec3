import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulateAbCommandOptions, simulateAbCommand } from '../commands/simulate-ab.js';
import { runCli, startCli } from '../test-utils/run-cli.js';
import { UsageError } from '../usage-error.js';
import type { AbResults } from './ab-results.js';
import type { WorldResult } from './ab-world.js';

// The tiny world: 4 A/B days, a fine-tune every 2 days, 3 worlds, all four arms.
const config = ['--preset', 'tiny', '--days', '4', '--retrain-every', '2', '--train-window', '2', '--worlds', '3', '--quiet'];

/**
 * stderr of a quiet run: the warning that 4 days do not let fresh items age out, and nothing but
 * warnings of calibrations kept at the identity (the tiny world's calibration days hold a few
 * hundred rows of barely trained models, so a fitted slope can come out ≤ 0).
 */
const onlyDaysWarning = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^warning: --days 4: items fresh at the start do not age out/);
  for (const line of lines.slice(1)) {
    expect(line).toMatch(/^warning: world \d .*: calibration of task '\w+': fitted slope a = .* identity kept$/);
  }
};
const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
/** ab.json without what legitimately differs between two identical runs (clock times). */
function stable(ab: AbResults) {
  const { createdAt: _c, seconds: _s, ...rest } = ab;
  return rest;
}
function stableWorld(w: WorldResult) {
  return {
    ...w,
    seconds: 0,
    initialSeconds: 0,
    serveSeconds: 0,
    arms: Object.fromEntries(
      Object.entries(w.arms).map(([id, a]) => [id, { ...a, fineTunes: a.fineTunes.map((f) => ({ ...f, seconds: 0 })) }]),
    ),
  };
}

describe('thaw-train simulate-ab', () => {
  let dir: string;
  let whole: string;
  let ab: AbResults;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'thaw-ab-'));
    whole = join(dir, 'whole');
    const run = runCli(['simulate-ab', ...config, '--out', whole]);
    onlyDaysWarning(run.stderr);
    expect(run.status).toBe(0);
    ab = read<AbResults>(join(whole, 'ab.json'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the control, the treatment, the A/A arm and the matched fresh-boost arm, and states its estimand', () => {
    expect(ab.arms.map((a) => [a.id, a.role, a.trainingSeed])).toEqual([
      ['baseline', 'control', 'world'],
      ['all', 'treatment', 'world'],
      ['baseline-aa', 'aa', '1000 + world'],
      ['baseline+boost', 'boost', 'world'],
    ]);
    expect(ab.estimand).toMatch(/Full rollout/);
    expect(ab.estimand).toMatch(/user-split online test shares item features.*diluted/);
    expect(ab.variance).toMatch(/Users and requests are not resampled/);
    expect(ab.boost).toHaveLength(3);
    for (const b of ab.boost ?? []) expect(Math.abs(b.boostedShare - b.targetShare)).toBeLessThan(0.05);
    for (const file of ['ab.html', 'ab.md', 'settings.json']) expect(existsSync(join(whole, file)), file).toBe(true);
  });

  it('accounting: the arms see the same traffic; engagements never exceed impressions; buckets add up', () => {
    expect(ab.traffic.requests).toHaveLength(3);
    for (let w = 1; w <= 3; w++) {
      const world = read<WorldResult>(join(whole, `world-${w}`, 'world.json'));
      const arms = Object.values(world.arms);
      for (const arm of arms) {
        arm.daily.forEach((d, day) => {
          const first = (arms[0] as (typeof arms)[number]).daily[day];
          expect([d.requests, d.impressions]).toEqual([first?.requests, first?.impressions]);
          expect(d.impressions).toBeGreaterThanOrEqual(d.requests);
          for (let t = 0; t < 3; t++) {
            expect(d.engagements.all[t]).toBeLessThanOrEqual(d.impressions);
            expect(d.engagements.fresh[t]).toBeLessThanOrEqual(Math.min(d.freshImpressions, d.engagements.all[t] as number));
            expect(d.positions.engagements.reduce((s, b) => s + (b[t] as number), 0)).toBe(d.engagements.all[t]);
          }
          expect(d.positions.impressions.reduce((s, n) => s + n, 0)).toBe(d.impressions);
          expect(d.utility).toBeLessThanOrEqual(d.bestUtility + 1e-9);
        });
        expect(arm.fineTunes.map((f) => f.afterDay)).toEqual([1]);
      }
    }
    const volume = ab.metrics.find((m) => m.id === 'volume.all.grid_click');
    const buckets = ab.metrics.filter((m) => m.table === 'table5' && m.id.endsWith('grid_click'));
    for (const arm of ab.arms) {
      const total = buckets.reduce((s, m) => s + (m.arms[arm.id]?.mean ?? 0), 0);
      expect(total).toBeCloseTo(volume?.arms[arm.id]?.mean as number, 9);
    }
    expect(ab.positionBuckets).toEqual(['top 10', '10–25', '25–50']); // the tiny feed has 30 candidates
  });

  it('an A/A arm (the control recipe, another training seed) has lift intervals that cover 0', () => {
    const lifts = ab.metrics.map((m) => ({ id: m.id, lift: m.lifts['baseline-aa'] }));
    const defined = lifts.filter((l) => l.lift && Number.isFinite(l.lift.ci[0]));
    expect(defined.length).toBeGreaterThan(15);
    for (const { id, lift } of defined) {
      expect(lift?.ci[0], id).toBeLessThanOrEqual(0);
      expect(lift?.ci[1], id).toBeGreaterThanOrEqual(0);
    }
  });

  it('lifts are paired ratios of the per-world means: over the control and, for a treatment, over the boost', () => {
    const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    for (const m of ab.metrics) {
      const control = m.arms.baseline?.perWorld as number[];
      const all = m.arms.all?.perWorld as number[];
      const boost = m.arms['baseline+boost']?.perWorld as number[];
      expect(control).toHaveLength(3);
      if (mean(control) > 0) expect(m.lifts.all?.lift).toBeCloseTo(100 * (mean(all) / mean(control) - 1), 9);
      if (mean(boost) > 0) expect(m.versusBoost?.all?.lift).toBeCloseTo(100 * (mean(all) / mean(boost) - 1), 9);
      expect(m.versusBoost?.['baseline-aa']).toBeUndefined();
    }
  });

  it('writes the report: lift and per-arm tables, daily charts with one line per arm, no script', () => {
    const html = readFileSync(join(whole, 'ab.html'), 'utf8');
    expect(html).not.toMatch(/<script/);
    expect(html).toContain('data-table="ab-versus-boost"');
    for (const table of ['table2', 'table3', 'table5', 'oracle', 'guardrail']) {
      expect(html).toContain(`data-table="ab-lift-${table}"`);
      expect(html).toContain(`data-table="ab-values-${table}"`);
    }
    const charts = html.match(/<figure data-chart="ab-daily-[^"]+">[\s\S]*?<\/figure>/g) ?? [];
    expect(charts.length).toBe(ab.daily.length);
    for (const chart of charts) expect(chart.match(/data-mark="line"/g)).toHaveLength(4);
    const md = readFileSync(join(whole, 'ab.md'), 'utf8');
    expect(md).toContain('## Table 3 analogue');
    expect(md).toContain('A/A check');
  });

  it('--resume after a kill mid-run ends identical to the uninterrupted run', async () => {
    const killed = join(dir, 'killed');
    const child = startCli(['simulate-ab', ...config, '--out', killed]);
    const progress = join(killed, 'world-2', 'progress.json');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(progress) && read<{ completedDays: number }>(progress).completedDays >= 2) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run finished before it could be killed'));
      });
    });
    expect(existsSync(join(killed, 'ab.json'))).toBe(false);
    expect(existsSync(join(killed, 'world-2', 'world.json'))).toBe(false);
    const resumed = runCli(['simulate-ab', ...config, '--out', killed, '--resume']);
    onlyDaysWarning(resumed.stderr);
    expect(resumed.status).toBe(0);
    expect(stable(read<AbResults>(join(killed, 'ab.json')))).toEqual(stable(ab));
    for (let w = 1; w <= 3; w++) {
      const a = read<WorldResult>(join(killed, `world-${w}`, 'world.json'));
      const b = read<WorldResult>(join(whole, `world-${w}`, 'world.json'));
      expect(stableWorld(a)).toEqual(stableWorld(b));
      for (const arm of readdirSync(join(whole, `world-${w}`, 'arms'))) {
        for (const file of readdirSync(join(whole, `world-${w}`, 'arms', arm)).filter((f) => f.endsWith('.slates'))) {
          const x = readFileSync(join(killed, `world-${w}`, 'arms', arm, file));
          expect(x.equals(readFileSync(join(whole, `world-${w}`, 'arms', arm, file))), `${w}/${arm}/${file}`).toBe(true);
        }
      }
    }
    // More worlds extend a finished run: worlds 1–3 are read back, world 4 is new.
    const more = runCli(['simulate-ab', ...config, '--worlds', '4', '--out', killed, '--resume']);
    expect(more.status).toBe(0);
    const extended = read<AbResults>(join(killed, 'ab.json'));
    expect(extended.settings.worlds).toBe(4);
    expect(extended.traffic.requests.slice(0, 3)).toEqual(ab.traffic.requests);
    expect(stableWorld(read<WorldResult>(join(killed, 'world-3', 'world.json')))).toEqual(
      stableWorld(read<WorldResult>(join(whole, 'world-3', 'world.json'))),
    );
    // A resume with other settings is refused, naming the difference.
    const other = runCli(['simulate-ab', ...config, '--days', '5', '--out', killed, '--resume']);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/--resume: .* holds a run with other settings \(online was .*"days":4.*now .*"days":5/);
  });

  it('refuses bad options in one line with exit code 2, before any work', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const cases: [Record<string, string | boolean>, RegExp][] = [
      [{ preset: 'huge' }, /^--preset huge: use one of tiny, demo$/],
      [{ arms: 'baseline,warmest' }, /^--arms: variant "warmest": unknown technique "warmest"/],
      [{ arms: 'baseline,all,all' }, /^--arms lists an arm twice/],
      [{ arms: 'baseline' }, /^the fresh-boost arm needs a treatment to match; list one in --arms or pass --no-boost$/],
      [{ boostTarget: 'baseline' }, /^--boost-target baseline must be a treatment arm \(one of all\)$/],
      [{ boostMatch: 'weekly' }, /^--boost-match weekly: use daily \(re-matched every day\) or pilot/],
      [{ days: '0' }, /^--days must be an integer ≥ 1 \(got 0\)$/],
      [{ worlds: 'many' }, /^--worlds must be an integer ≥ 1 \(got many\)$/],
      [{ candidates: '5' }, /^--candidates must be an integer ≥ 10 \(got 5\)$/],
      [{ candidates: '5000' }, /^--candidates must be < the world's initial catalogue \(300 items\) \(got 5000\)$/],
      [{ trainWindow: '1' }, /^--train-window must be an integer ≥ 2 \(got 1\)$/],
      [{ requestsPerDay: '-3' }, /^--requests-per-day must be a number > 0 \(got -3\)$/],
      [{ out: foreign }, /^--out .*foreign: not empty and not made by simulate-ab; choose another directory or empty it$/],
    ];
    for (const [flags, message] of cases) {
      const out = join(dir, `bad-${Object.values(flags).join('_')}`);
      const run = simulateAbCommand({ preset: 'tiny', out, ...flags } as SimulateAbCommandOptions);
      await expect(run, JSON.stringify(flags)).rejects.toThrow(message);
      await run.catch((error) => expect(UsageError.isInstance(error)).toBe(true));
      if (flags.out === undefined) expect(existsSync(out), `${JSON.stringify(flags)} did work`).toBe(false);
    }
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    // Through the CLI: exit code 2 and one line on stderr.
    const run = runCli(['simulate-ab', '--preset', 'tiny', '--days', '0', '--out', join(dir, 'cli-bad')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('thaw-train: --days must be an integer ≥ 1 (got 0)\n');
    expect(existsSync(join(dir, 'cli-bad'))).toBe(false);
  });
});
