import * as tf from '@tensorflow/tfjs-core';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { syntheticBatches, syntheticSpec } from '@thaw/tfjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from './train.js';

const trainBatches = syntheticBatches({ rows: 4096, batchSize: 128, seed: 1 });
const evalBatches = syntheticBatches({ rows: 1024, batchSize: 256, seed: 2 });

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

/** Mean predicted probability of warm minus cold rows, summed over tasks, on the eval batches. */
async function warmColdGap(model: ReturnType<typeof buildModel>): Promise<number> {
  const sums = { warm: [0, 0], cold: [0, 0] };
  const counts = { warm: 0, cold: 0 };
  for (const batch of evalBatches) {
    const probs = model.probabilities(batch);
    const p = await probs.data();
    probs.dispose();
    const cold = batch.isCold?.data as Float32Array;
    for (let i = 0; i < batch.size; i++) {
      const group = cold[i] === 1 ? 'cold' : 'warm';
      counts[group] += 1;
      for (let t = 0; t < 2; t++) sums[group][t] = (sums[group][t] as number) + (p[i * 2 + t] as number);
    }
  }
  return [0, 1].reduce((s, t) => s + (sums.warm[t] as number) / counts.warm - (sums.cold[t] as number) / counts.cold, 0);
}

/** Three runs per arm (model init seed, training seed); the direction is asserted on their mean. */
const SEEDS = [
  [3, 4],
  [13, 14],
  [23, 24],
] as const;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const show = (values: readonly number[]) => `${values.map((v) => v.toFixed(4)).join(', ')} (mean ${mean(values).toFixed(4)})`;

describe('the paper’s effects on a synthetic problem where cold items depend only on content (3 seeds each)', () => {
  it('Residual raises the gradient l2-norm ratio non-historical / historical (Fig 6b)', { timeout: 240_000 }, async () => {
    const ratios: Record<'baseline' | 'residual', number[]> = { baseline: [], residual: [] };
    for (const [modelSeed, trainSeed] of SEEDS) {
      for (const residual of [false, true]) {
        const model = buildModel(syntheticSpec({ residual }), { seed: modelSeed });
        const seen: number[] = [];
        await train(model, trainBatches, {
          seed: trainSeed,
          epochs: 2,
          gradients: { every: 4, onGradients: (report) => void seen.push(report.ratio) },
        });
        ratios[residual ? 'residual' : 'baseline'].push(mean(seen));
        model.dispose();
      }
    }
    if (process.env.THAW_REPORT)
      console.log(`[effect] gradient ratio nh/h per seed: baseline ${show(ratios.baseline)}; residual ${show(ratios.residual)}`);
    expect(mean(ratios.residual)).toBeGreaterThan(mean(ratios.baseline));
  });

  it('ScoreReg shrinks the warm/cold mean-score gap (Fig 6c)', { timeout: 240_000 }, async () => {
    const gaps: Record<'baseline' | 'scoreReg', number[]> = { baseline: [], scoreReg: [] };
    for (const [modelSeed, trainSeed] of SEEDS) {
      for (const weight of [0, 1]) {
        const model = buildModel(syntheticSpec({ residual: true, scoreRegWeight: weight }), { seed: modelSeed });
        await train(model, trainBatches, { seed: trainSeed, epochs: 2 });
        gaps[weight === 0 ? 'baseline' : 'scoreReg'].push(await warmColdGap(model));
        model.dispose();
      }
    }
    if (process.env.THAW_REPORT)
      console.log(
        `[effect] warm − cold mean score (sum over tasks) per seed: baseline ${show(gaps.baseline)}; ScoreReg λ2=1 ${show(gaps.scoreReg)}`,
      );
    expect(mean(gaps.baseline)).toBeGreaterThan(0);
    expect(Math.abs(mean(gaps.scoreReg))).toBeLessThan(Math.abs(mean(gaps.baseline)));
  });

  it('training lowers the loss on held-out data (the problem is learnable)', { timeout: 60_000 }, async () => {
    const spec = syntheticSpec({ residual: true, mixup: true, scoreRegWeight: 0.1 });
    const model = buildModel(spec, { seed: 5 });
    const heldOut = async () => {
      let total = 0;
      for (const b of evalBatches) {
        const logits = model.forward(b).logits;
        const y = tf.tensor(b.labels?.data as Float32Array, [b.size, 2]);
        const loss = tf.mean(tf.sub(tf.add(tf.relu(logits), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))), tf.mul(logits, y)));
        total += (await loss.data())[0] as number;
        tf.dispose([logits, y, loss]);
      }
      return total / evalBatches.length;
    };
    const before = await heldOut();
    await train(model, trainBatches, { seed: 6, epochs: 2 });
    const after = await heldOut();
    expect(after).toBeLessThan(before - 0.05);
    model.dispose();
  });
});
