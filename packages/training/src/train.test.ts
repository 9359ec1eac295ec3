import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureBatch } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { buildModel, type ThawModel, useTfjsBackend } from '@thaw/tfjs';
import { syntheticBatches, syntheticSpec } from '@thaw/tfjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochContext } from './batch-source.js';
import { readCheckpoint } from './checkpoint.js';
import { train } from './train.js';

const pool = syntheticBatches({ rows: 960, batchSize: 64, seed: 11 });
/** A resumable source: the epoch's batches in an order shuffled with the context's seed. */
const source = ({ seed }: EpochContext): FeatureBatch[] =>
  createRng(seed)
    .shuffle([...pool])
    .slice(0, 5);

let dir = '';
beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'thaw-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function weightsOf(model: ThawModel) {
  return Object.fromEntries(Object.entries(await model.getWeights()).map(([k, t]) => [k, Array.from(t.data)]));
}

describe('train: resuming from a checkpoint gives results identical to an uninterrupted run', () => {
  it.each([
    [
      'Residual + ScoreReg + Mixup + Dropout',
      'onnxruntime',
      syntheticSpec({ residual: true, scoreRegWeight: 0.5, mixup: true, dropout: 0.3 }),
    ],
    ['ALDI (joint)', 'onnxruntime', syntheticSpec({ residual: false, mixup: true, aldi: true })],
    [
      'Residual + ScoreReg + Mixup + Dropout',
      'tfjs',
      syntheticSpec({ residual: true, scoreRegWeight: 0.5, mixup: true, dropout: 0.3 }),
    ],
  ] as const)('%s (%s engine)', { timeout: 120_000 }, async (label, engine, spec) => {
    const name = `${label}-${engine}`;
    const options = { seed: 21, epochs: 2, engine, checkpoint: { dir: join(dir, `${name}-a`), every: 3 } };
    const reference = buildModel(spec, { seed: 1 });
    const uninterrupted = await train(reference, source, options);
    expect(uninterrupted.steps).toBe(10);
    expect(uninterrupted.completed).toBe(true);

    // The same run, crashing in step 7's callback: the last checkpoint is after step 6.
    const crashDir = join(dir, `${name}-b`);
    const first = buildModel(spec, { seed: 1 });
    const crash = train(first, source, {
      ...options,
      checkpoint: { dir: crashDir, every: 3 },
      onStep: ({ step }) => {
        if (step === 7) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect((await readCheckpoint(crashDir))?.position).toEqual({ epoch: 1, batch: 1, step: 6, examples: 6 * 64 });

    // A new process: a model initialised differently, resumed from the checkpoint.
    const resumed = buildModel(spec, { seed: 999 });
    const rest = await train(resumed, source, { ...options, checkpoint: { dir: crashDir, every: 3 } });
    expect(rest.resumedFrom).toBe(6);
    expect(rest.steps).toBe(10);
    expect(rest.history).toEqual(uninterrupted.history);
    expect(await weightsOf(resumed)).toEqual(await weightsOf(reference));
    for (const m of [reference, first, resumed]) m.dispose();
  });

  it('maxSteps stops early and leaves a checkpoint from which the run completes identically', { timeout: 60_000 }, async () => {
    const spec = syntheticSpec({ residual: true, mixup: true, scoreRegWeight: 0.1 });
    const full = buildModel(spec, { seed: 2 });
    const whole = await train(full, source, { seed: 5, epochs: 1 });
    const ckpt = join(dir, 'max-steps');
    const part = buildModel(spec, { seed: 2 });
    const stopped = await train(part, source, { seed: 5, epochs: 1, maxSteps: 2, checkpoint: { dir: ckpt, every: 100 } });
    expect(stopped).toMatchObject({ completed: false, steps: 2 });
    const done = await train(part, source, { seed: 5, epochs: 1, checkpoint: { dir: ckpt, every: 100 } });
    expect(done).toMatchObject({ completed: true, steps: 5, resumedFrom: 2 });
    expect(done.history).toEqual(whole.history);
    expect(await weightsOf(part)).toEqual(await weightsOf(full));
    full.dispose();
    part.dispose();
  });

  it('refuses a checkpoint from another run', { timeout: 60_000 }, async () => {
    const spec = syntheticSpec({ residual: true });
    const ckpt = join(dir, 'other-run');
    const model = buildModel(spec, { seed: 2 });
    await train(model, source, { seed: 5, epochs: 1, maxSteps: 1, checkpoint: { dir: ckpt, every: 1 } });
    await expect(train(model, source, { seed: 6, checkpoint: { dir: ckpt, every: 1 } })).rejects.toThrow(
      /from another run .*seed 5; this run: .*seed 6/,
    );
    model.dispose();
  });

  it.each([
    [{ lambda1: 0.5 }, /options\.lambda1 is 0\.5 but the checkpoint has 0\.2/],
    [{ lambda2: 0.3 }, /options\.lambda2 is 0\.3 but the checkpoint has 0\.1/],
    [{ alpha: 1 }, /options\.alpha is 1 but the checkpoint has 0\.4/],
    [{ optimizer: { learningRate: 0.5 } }, /options\.optimizer\.learningRate is 0\.5 but the checkpoint has 0\.01/],
    [{ optimizer: { kind: 'sgd' } }, /options\.optimizer\.kind is "sgd" but the checkpoint has "adam"/],
    [{ batchSize: 32 }, /options\.batchSize is 32 but the checkpoint has 128/],
    [{ epochs: 3 }, /options\.epochs is 3 but the checkpoint has 1/],
  ] as const)('refuses to resume with other settings: %o', { timeout: 60_000 }, async (override, message) => {
    const spec = syntheticSpec({ residual: true, mixup: true, scoreRegWeight: 0.1 });
    const ckpt = join(dir, `settings-${JSON.stringify(override)}`);
    const model = buildModel(spec, { seed: 2 });
    await train(model, source, { seed: 5, maxSteps: 1, checkpoint: { dir: ckpt, every: 1 } });
    const resumed = train(model, source, { seed: 5, ...override, checkpoint: { dir: ckpt, every: 1 } });
    await expect(resumed).rejects.toThrow(message);
    await expect(resumed).rejects.toThrow(
      /Resume with the checkpoint's settings, or use another checkpoint dir or resume: false/,
    );
    // the same settings resume
    const same = await train(model, source, { seed: 5, checkpoint: { dir: ckpt, every: 1 } });
    expect(same.resumedFrom).toBe(1);
    model.dispose();
  });

  it("refuses to resume ALDI's student stage from a joint run", { timeout: 60_000 }, async () => {
    const spec = syntheticSpec({ residual: false, aldi: true });
    const ckpt = join(dir, 'aldi-stage');
    const model = buildModel(spec, { seed: 2 });
    await train(model, source, { seed: 5, maxSteps: 1, checkpoint: { dir: ckpt, every: 1 } });
    await expect(train(model, source, { seed: 5, aldiStage: 'student', checkpoint: { dir: ckpt, every: 1 } })).rejects.toThrow(
      /options\.aldiStage is "student" but the checkpoint has "joint"/,
    );
    model.dispose();
  });
});

describe('train: objective, baselines and callbacks', () => {
  // The terms' values are checked against PyTorch in torch-parity.test.ts; this checks that the λ
  // overrides of train reach the step.
  it('weighs the eq 11 terms with the λ1/λ2 overrides: total = bce + λ1·mixup + λ2·scoreReg', { timeout: 60_000 }, async () => {
    const spec = syntheticSpec({ residual: true, mixup: true, scoreRegWeight: 0.5 });
    const model = buildModel(spec, { seed: 3 });
    const { history } = await train(model, pool.slice(0, 4), { seed: 1, lambda1: 0.7, lambda2: 3 });
    for (const h of history) {
      expect(h.mixup).toBeGreaterThan(0);
      expect(h.scoreReg).toBeGreaterThan(0);
      expect(Math.abs(h.total - (h.bce + 0.7 * h.mixup + 3 * h.scoreReg))).toBeLessThan(1e-6);
    }
    model.dispose();
  });

  it('Dropout at rate 1: every row looks cold, the item-id table never moves', { timeout: 60_000 }, async () => {
    for (const [rate, moves] of [
      [1, false],
      [0.3, true],
    ] as const) {
      const model = buildModel(syntheticSpec({ residual: true, dropout: rate }), { seed: 4 });
      const before = (await model.getWeights())['embedding.item_id']?.data;
      await train(model, pool.slice(0, 3), { seed: 2 });
      const after = (await model.getWeights())['embedding.item_id']?.data;
      expect(Array.from(after ?? []).some((v, i) => v !== before?.[i])).toBe(moves);
      model.dispose();
    }
  });

  it("ALDI 'student' stage trains only the student and lowers its distillation loss", { timeout: 60_000 }, async () => {
    const model = buildModel(syntheticSpec({ residual: false, aldi: true }), { seed: 5 });
    const before = await model.getWeights();
    const batch = pool[0] as FeatureBatch;
    const { history } = await train(
      model,
      Array.from({ length: 25 }, () => batch),
      { seed: 3, aldiStage: 'student' },
    );
    const after = await model.getWeights();
    for (const name of Object.keys(before)) {
      const changed = Array.from(after[name]?.data ?? []).some((v, i) => v !== before[name]?.data[i]);
      expect(changed, name).toBe(name.startsWith('aldi.'));
    }
    const first = history[0]?.aldi as number;
    const last = history[history.length - 1]?.aldi as number;
    expect(last).toBeLessThan(0.8 * first);
    model.dispose();
  });

  it('calls progress, metrics and gradient hooks on schedule', { timeout: 60_000 }, async () => {
    const model = buildModel(syntheticSpec({ residual: true }), { seed: 6 });
    const steps: number[] = [];
    const gradientSteps: number[] = [];
    const result = await train(model, pool.slice(0, 6), {
      seed: 1,
      onStep: ({ step }) => void steps.push(step),
      metrics: { every: 2, compute: (_, info) => ({ bce: info.bce }) },
      gradients: {
        every: 3,
        onGradients: (report, { step }) => {
          gradientSteps.push(step);
          expect(report.features.map((f) => f.feature)).toEqual(['item_id', 'item_stats', 'content']);
          expect(report.ratio).toBeCloseTo(report.nonHistorical / report.historical, 10);
        },
      },
    });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(gradientSteps).toEqual([3, 6]);
    expect(result.metrics.map((m) => m.step)).toEqual([2, 4, 6]);
    model.dispose();
  });

  it('names what a batch lacks', async () => {
    const model = buildModel(syntheticSpec({ residual: true, scoreRegWeight: 0.1 }), { seed: 7 });
    const batch = pool[0] as FeatureBatch;
    await expect(train(model, [{ size: batch.size, features: batch.features }])).rejects.toThrow(
      'train: the batch of step 1 (batch 0 of epoch 0, both 0-based) has no labels',
    );
    await expect(train(model, [batch, batch, { ...batch, labels: undefined }])).rejects.toThrow(
      'train: the batch of step 3 (batch 2 of epoch 0, both 0-based) has no labels',
    );
    await expect(train(model, [{ ...batch, isCold: undefined }])).rejects.toThrow(/no isCold, which ScoreReg and ALDI need/);
    await expect(train(model, 42 as never)).rejects.toThrow(/not iterable/);
    const onGradients = () => undefined;
    const compute = () => ({});
    await expect(train(model, [batch], { metrics: { every: 0, compute } })).rejects.toThrow(
      'train: options.metrics.every must be an integer ≥ 1 (got 0)',
    );
    await expect(train(model, [batch], { gradients: { every: 1.5, onGradients } })).rejects.toThrow(
      'train: options.gradients.every must be an integer ≥ 1 (got 1.5)',
    );
    await expect(train(model, [batch], { epochs: 0 })).rejects.toThrow('train: options.epochs must be an integer ≥ 1 (got 0)');
    model.dispose();
  });
});

describe('train: engines', () => {
  const spec = syntheticSpec({ residual: true, scoreRegWeight: 0.5, mixup: true });

  it('onnxruntime and tfjs run the same steps (loss terms within float32 rounding) and say which ran', {
    timeout: 120_000,
  }, async () => {
    const a = buildModel(spec, { seed: 3 });
    const b = buildModel(spec, { seed: 3 });
    const onnx = await train(a, source, { seed: 5, epochs: 2, engine: 'onnxruntime' });
    const tfjs = await train(b, source, { seed: 5, epochs: 2, engine: 'tfjs' });
    expect(onnx.engine).toEqual({ name: 'onnxruntime', reason: 'requested' });
    expect(tfjs.engine).toEqual({ name: 'tfjs', reason: 'requested' });
    expect(onnx.history.length).toBe(10);
    onnx.history.forEach((h, i) => {
      const t = tfjs.history[i] as (typeof tfjs.history)[number];
      expect(Math.abs(h.total - t.total), `step ${h.step}`).toBeLessThan(1e-4 * t.total);
    });
    // train() leaves the trained weights in the model whichever engine ran.
    const wa = await weightsOf(a);
    const wb = await weightsOf(b);
    for (const [name, values] of Object.entries(wb)) {
      const other = wa[name] as number[];
      const diff = Math.sqrt(values.reduce((s, v, i) => s + (v - (other[i] as number)) ** 2, 0));
      const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
      expect(diff, name).toBeLessThan(1e-3 * norm + 1e-6);
    }
    a.dispose();
    b.dispose();
  });

  it("'auto' falls back to tfjs, saying why, when onnxruntime cannot be loaded", { timeout: 60_000 }, async () => {
    const model = buildModel(spec, { seed: 3 });
    const result = await train(model, source, {
      seed: 5,
      onnxruntime: {
        loadRuntime: () => Promise.reject(new Error("Cannot find package 'onnxruntime-node'")),
      },
    });
    expect(result.engine.name).toBe('tfjs');
    expect(result.engine.reason).toMatch(/needs the optional peer dependency onnxruntime-node .*Cannot find package/);
    await expect(
      train(model, source, {
        seed: 5,
        engine: 'onnxruntime',
        onnxruntime: { loadRuntime: () => Promise.reject(new Error('no')) },
      }),
    ).rejects.toThrow('the onnxruntime training engine needs the optional peer dependency onnxruntime-node');
    await expect(train(model, source, { engine: 'gpu' as never })).rejects.toThrow(
      `train: options.engine must be 'auto', 'onnxruntime' or 'tfjs' (got "gpu")`,
    );
    model.dispose();
  });

  it("a run resumes on the engine that wrote its checkpoint: 'auto' follows it, another engine is refused", {
    timeout: 120_000,
  }, async () => {
    const checkpoint = { dir: join(dir, 'engine-resume'), every: 2 };
    const first = buildModel(spec, { seed: 3 });
    await train(first, source, { seed: 5, epochs: 2, engine: 'tfjs', maxSteps: 4, checkpoint });
    expect((await readCheckpoint(checkpoint.dir))?.run.engine).toBe('tfjs');
    await expect(
      train(buildModel(spec, { seed: 3 }), source, { seed: 5, epochs: 2, engine: 'onnxruntime', checkpoint }),
    ).rejects.toThrow(`options.engine is "onnxruntime" but the checkpoint was written by "tfjs"`);
    const resumed = buildModel(spec, { seed: 3 });
    const rest = await train(resumed, source, { seed: 5, epochs: 2, checkpoint });
    expect(rest.resumedFrom).toBe(4);
    expect(rest.engine.name).toBe('tfjs');
    first.dispose();
    resumed.dispose();
  });
});
