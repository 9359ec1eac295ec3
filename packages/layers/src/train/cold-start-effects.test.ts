import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build-model.js';
import { syntheticBatches, syntheticSpec } from '../test-utils/synthetic-cold-start.js';
import { useTfjsBackend } from '../tfjs/backend.js';
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

describe('the paper’s effects on a synthetic problem where cold items depend only on content', () => {
  it('Residual raises the gradient l2-norm ratio non-historical / historical (Fig 6b)', { timeout: 120_000 }, async () => {
    const ratios: Record<string, number> = {};
    for (const residual of [false, true]) {
      const spec = syntheticSpec({ residual });
      const model = buildModel(spec, { seed: 3 });
      const seen: number[] = [];
      await train(model, trainBatches, {
        seed: 4,
        epochs: 2,
        gradients: { every: 4, onGradients: (report) => void seen.push(report.ratio) },
      });
      ratios[residual ? 'residual' : 'baseline'] = seen.reduce((a, b) => a + b, 0) / seen.length;
      model.dispose();
    }
    if (process.env.THAW_REPORT)
      console.log(
        `[effect] gradient ratio nh/h: baseline ${ratios.baseline?.toFixed(3)}, residual ${ratios.residual?.toFixed(3)}`,
      );
    expect(ratios.residual).toBeGreaterThan(ratios.baseline as number);
  });

  it('ScoreReg shrinks the warm/cold mean-score gap (Fig 6c)', { timeout: 120_000 }, async () => {
    const gaps: Record<string, number> = {};
    for (const weight of [0, 1]) {
      const spec = syntheticSpec({ residual: true, scoreRegWeight: weight });
      const model = buildModel(spec, { seed: 3 });
      await train(model, trainBatches, { seed: 4, epochs: 2 });
      gaps[weight === 0 ? 'baseline' : 'scoreReg'] = await warmColdGap(model);
      model.dispose();
    }
    if (process.env.THAW_REPORT)
      console.log(
        `[effect] warm − cold mean score (sum over tasks): baseline ${gaps.baseline?.toFixed(4)}, ScoreReg λ2=1 ${gaps.scoreReg?.toFixed(4)}`,
      );
    expect(gaps.baseline).toBeGreaterThan(0);
    expect(Math.abs(gaps.scoreReg as number)).toBeLessThan(Math.abs(gaps.baseline as number));
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
