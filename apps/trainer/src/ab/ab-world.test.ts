import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CandidateChunk, simulate } from '@thaw/data';
import { buildModel, type ThawModel, useTfjsBackend } from '@thaw/tfjs';
import { saveModelWeights } from '@thaw/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { runWeightsPath, trainRun } from '../train-run.js';
import { variantSpec } from '../variants.js';
import { freshImpressionShare } from './ab-boost.js';
import type { ArmPlan } from './ab-plan.js';
import { sharedTraffic } from './ab-summary.js';
import { runWorld, type WorldResult } from './ab-world.js';

const logger = createLogger({ mode: 'quiet' });

describe('simulate-ab worlds', () => {
  let dir: string;
  beforeAll(async () => {
    await useTfjsBackend({ prefer: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'thaw-ab-world-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two arms with the same recipe produce identical logs, fine-tunes included (common random numbers)', async () => {
    const twin = (id: string): ArmPlan => ({ id, label: id, role: 'treatment', variant: 'all', seedOffset: 0 });
    const arms: ArmPlan[] = [
      { id: 'baseline', label: 'baseline', role: 'control', variant: 'baseline', seedOffset: 0 },
      twin('a'),
      twin('b'),
    ];
    const out = join(dir, 'twins');
    const result = await runWorld(
      {
        out,
        online: { preset: 'tiny', days: 4 },
        arms,
        retrainEvery: 2,
        trainWindow: 2,
        boostMatch: 'daily',
        itemThresholds: { impressions: [10], saves: [1] },
        name: 'test',
        logger,
      },
      2,
      false,
    );
    const a = result.arms.a as WorldResult['arms'][string];
    const b = result.arms.b as WorldResult['arms'][string];
    expect(b.daily).toEqual(a.daily);
    expect(b.freshItems).toEqual(a.freshItems);
    expect(b.fineTunes.map((f) => f.rows)).toEqual(a.fineTunes.map((f) => f.rows));
    const arm = (id: string) => join(out, 'world-2', 'arms', id);
    const slates = readdirSync(arm('a')).filter((f) => f.endsWith('.slates'));
    expect(slates).toHaveLength(4);
    for (const file of slates) expect(readFileSync(join(arm('b'), file)).equals(readFileSync(join(arm('a'), file)))).toBe(true);
    // The fine-tuned weights are bit-identical too (content-addressed weight files: same name ⇔ same bytes).
    const weights = (id: string) => readFileSync(join(arm(id), 'fine-tune-after-day-001', 'weights.json'), 'utf8');
    expect(weights('b')).toBe(weights('a'));
    // …while the control, another recipe, showed something else on the same traffic.
    const control = result.arms.baseline as WorldResult['arms'][string];
    expect(control.daily.map((d) => d.impressions)).toEqual(a.daily.map((d) => d.impressions));
    expect(control.daily).not.toEqual(a.daily);
    expect(sharedTraffic([result], arms).requests[0]).toBe(a.daily.reduce((s, d) => s + d.requests, 0));
  });

  it('sharedTraffic refuses worlds whose arms saw different traffic', () => {
    const day = (impressions: number) => ({
      day: 0,
      requests: 3,
      impressions,
      freshImpressions: 0,
      engagements: { all: [0, 0, 0], fresh: [0, 0, 0] },
      positions: { impressions: [impressions], engagements: [[0, 0, 0]] },
      utility: 1,
      bestUtility: 1,
    });
    const arm = (impressions: number) => ({
      daily: [day(impressions)],
      freshItems: { impressions: [], saves: [] },
      boost: 0,
      fineTunes: [],
    });
    const plans: ArmPlan[] = [
      { id: 'x', label: 'x', role: 'control', variant: 'baseline', seedOffset: 0 },
      { id: 'y', label: 'y', role: 'treatment', variant: 'all', seedOffset: 0 },
    ];
    const world = (y: number) => ({ world: 1, seconds: 0, arms: { x: arm(9), y: arm(y) } }) as unknown as WorldResult;
    expect(sharedTraffic([world(9)], plans)).toEqual({ requests: [3], impressions: [9] });
    expect(() => sharedTraffic([world(8)], plans)).toThrow(/world 1, day 0: arm y saw different traffic than x/);
  });

  it('freshImpressionShare counts fresh items among each request’s top `depth` (hand-computed)', () => {
    const chunk = {
      requests: [
        { id: 0, day: 0, time: 0, user: 0, query: 0, depth: 2 },
        { id: 1, day: 0, time: 0, user: 0, query: 0, depth: 5 },
      ],
      items: Int32Array.of(10, 11, 12, 20, 21, 22),
      offsets: Int32Array.of(0, 3, 6),
      fresh: Uint8Array.of(1, 0, 1, 0, 0, 1),
      frame: () => {
        throw new Error('not needed');
      },
    } satisfies CandidateChunk;
    // Request 0 shows candidates 2, 0 (both fresh); request 1 shows all 3 (depth 5 > 3 candidates), one fresh.
    const { share, impressions } = freshImpressionShare(chunk, [0.5, 0.1, 0.9, 0.3, 0.2, 0.1]);
    expect(impressions).toBe(5);
    expect(share).toBeCloseTo(3 / 5, 12);
  });

  it('trainRun fine-tunes from initialWeights (no training rows: the weights stay those given)', async () => {
    const sim = simulate('tiny', 4);
    const spec = variantSpec(sim.spec, 'baseline');
    const start = join(dir, 'start');
    const model = buildModel(spec, { seed: 77 });
    await saveModelWeights(model, runWeightsPath(start));
    model.dispose();
    const empty = { ...sim.split, rows: { ...sim.split.rows, train: new Int32Array(0) } };
    const tuned = join(dir, 'tuned');
    const run = await trainRun({
      spec,
      frame: sim.frame,
      split: empty,
      dataName: 'test',
      seed: 1,
      dir: tuned,
      resume: false,
      logger,
      label: 'fine-tune',
      initialWeights: runWeightsPath(start),
    });
    run.model.dispose();
    // Content-addressed weight files: the same name means the same bytes as the seed-77 start, not seed 1's.
    expect(readFileSync(runWeightsPath(tuned), 'utf8')).toBe(readFileSync(runWeightsPath(start), 'utf8'));

    // Through real steps of the default engine: a learning rate of 1e-9 keeps the weights at the start.
    const still = { ...spec, training: { ...spec.training, learningRate: 1e-9 } };
    const few = { ...sim.split, rows: { ...sim.split.rows, train: sim.split.rows.train.slice(0, 600) } };
    const stepped = await trainRun({
      spec: still,
      frame: sim.frame,
      split: few,
      dataName: 'test',
      seed: 1,
      dir: join(dir, 'stepped'),
      resume: false,
      logger,
      label: 'fine-tune',
      initialWeights: runWeightsPath(start),
    });
    expect(stepped.summary.steps).toBeGreaterThan(1);
    const startModel = buildModel(spec, { seed: 77 });
    const seedModel = buildModel(spec, { seed: 1 });
    const maxDiff = (a: ThawModel, b: ThawModel) =>
      Math.max(
        ...Object.entries(a.variables).map(([name, v]) => {
          const x = v.dataSync();
          const y = b.variables[name]?.dataSync() ?? [];
          let m = 0;
          for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs((x[k] as number) - (y[k] as number)));
          return m;
        }),
      );
    expect(maxDiff(stepped.model, startModel)).toBeLessThan(1e-5);
    expect(maxDiff(stepped.model, seedModel)).toBeGreaterThan(1e-2);
    for (const m of [stepped.model, startModel, seedModel]) m.dispose();
  });
});
