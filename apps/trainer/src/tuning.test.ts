import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureFrame } from '@thaw/data';
import type { ModelSpec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { useTfjsBackend } from '@thaw/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedData, loadDataSource } from './data-source.js';
import { createLogger } from './logger.js';
import { withTrainingStats } from './training-stats.js';
import { type TuningPlan, tuneOnCalibration } from './tuning.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-tuning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

/** A copy of `frame` whose rows `rows` carry scrambled labels and features (every other row untouched). */
function poisoned(frame: FeatureFrame, rows: ArrayLike<number>, seed: number): FeatureFrame {
  const rng = createRng(seed);
  const labels = Object.fromEntries(Object.entries(frame.labels).map(([k, v]) => [k, Float32Array.from(v)]));
  const features = Object.fromEntries(Object.entries(frame.features).map(([k, v]) => [k, v.slice()]));
  for (const r of Array.from(rows)) {
    for (const column of Object.values(labels)) column[r] = 1 - (column[r] as number);
    for (const column of Object.values(features)) {
      const width = column.length / frame.size;
      for (let k = 0; k < width; k++) {
        const i = r * width + k;
        column[i] = column instanceof Float32Array ? 10 * rng.normal() : ((column[i] as number) + 1 + rng.int(3)) % 2;
      }
    }
  }
  return { ...frame, labels, features };
}

const learningRate: TuningPlan = {
  name: 'training.learningRate',
  variant: 'baseline',
  candidates: [1e-3, 1e-2],
  apply: (spec: ModelSpec, value: number) => ({ ...spec, training: { ...spec.training, learningRate: value } }),
  slice: 'all',
  task: 0,
};

describe('tuneOnCalibration', () => {
  it('never reads evaluation rows: poisoning them leaves every calibration score and the choice unchanged', async () => {
    const data = await loadDataSource('sim:tiny');
    const spec = withTrainingStats(data.spec, data.frame, data.split.rows.train);
    const logger = createLogger({ mode: 'quiet' });
    const tune = (d: LoadedData, name: string) =>
      tuneOnCalibration(learningRate, { data: d, spec, seed: 1, dir: join(dir, name), resume: false, logger });
    const clean = await tune(data, 'clean');
    const evalPoisoned = await tune({ ...data, frame: poisoned(data.frame, data.split.rows.eval, 5) }, 'eval-poisoned');
    expect(evalPoisoned).toEqual(clean);
    expect(clean.scores.every(Number.isFinite)).toBe(true);
    expect(clean.criterion).toBe('calibration Hits@3, all items, grid_click (baseline, seed 1)');
    expect(learningRate.candidates).toContain(clean.chosen);
    expect(clean.scores[learningRate.candidates.indexOf(clean.chosen)]).toBe(Math.max(...clean.scores));
    // The check can fail: poisoning the calibration rows does move the scores.
    const calibrationPoisoned = await tune(
      { ...data, frame: poisoned(data.frame, data.split.rows.calibration, 5) },
      'calibration-poisoned',
    );
    expect(calibrationPoisoned.scores).not.toEqual(clean.scores);
  }, 300_000);

  it('names an empty plan or a task the spec lacks', async () => {
    const data = await loadDataSource('sim:tiny');
    const context = { data, spec: data.spec, seed: 1, dir, resume: false, logger: createLogger({ mode: 'quiet' }) };
    await expect(tuneOnCalibration({ ...learningRate, candidates: [] }, context)).rejects.toThrow(/has no candidate values/);
    await expect(tuneOnCalibration({ ...learningRate, task: 7 }, context)).rejects.toThrow(/task 7, but the spec has 3 tasks/);
  });
});
