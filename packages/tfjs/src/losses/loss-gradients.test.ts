import {
  binaryCrossEntropyWithLogits,
  meanSquaredError,
  multiTaskLoss,
  scoreRegLoss,
  softplus,
  warmerObjective,
} from '@thaw/losses';
import type { Ops } from '@thaw/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import {
  at,
  type CheckInput,
  expectGradientsMatch,
  gradientErrors,
  randomValues,
  type ScalarFunction,
} from '../test-utils/gradient-check.js';

const N = 6;
const T = 3;
const logits = (seed: number): CheckInput => ({ shape: [N, T], data: randomValues(seed, N * T, 2) });
const constant = (shape: number[], data: number[]): CheckInput => ({ shape, data, differentiate: false });
const softLabels = constant(
  [N, T],
  randomValues(5, N * T).map((v) => Math.fround(1 / (1 + Math.exp(-v)))),
);
const isCold = constant([N], [0, 1, 0, 0, 1, 0]);
const rowWeights = constant([N, 1], [1, 0.5, 2, 1, 0, 1.5]);

const cases: { name: string; f: ScalarFunction; inputs: Record<string, CheckInput> }[] = [
  {
    name: 'binaryCrossEntropyWithLogits (soft labels, row weights)',
    f: (ops, xs) => binaryCrossEntropyWithLogits(ops, at(xs, 'y'), at(xs, 'logits'), { weights: at(xs, 'w') }),
    inputs: { y: softLabels, logits: logits(1), w: rowWeights },
  },
  {
    name: 'binaryCrossEntropyWithLogits at large |logit|',
    f: (ops, xs) => binaryCrossEntropyWithLogits(ops, at(xs, 'y'), at(xs, 'logits')),
    inputs: { y: constant([2, 2], [1, 0, 0, 1]), logits: { shape: [2, 2], data: [30, -30, 25, -12] } },
  },
  {
    name: 'meanSquaredError',
    f: (ops, xs) => meanSquaredError(ops, at(xs, 'y'), at(xs, 'p')),
    inputs: { y: softLabels, p: logits(2) },
  },
  {
    name: "multiTaskLoss with 'bce' and 'mse' tasks",
    f: (ops, xs) => multiTaskLoss(ops, at(xs, 'y'), at(xs, 'logits'), { taskLosses: ['bce', 'mse', 'bce'] }),
    inputs: { y: softLabels, logits: logits(3) },
  },
  {
    name: 'softplus (summed)',
    f: (ops, xs) => ops.sum(softplus(ops, at(xs, 'x'))),
    inputs: { x: logits(4) },
  },
  {
    name: 'scoreRegLoss, mean form (eq 6)',
    f: (ops, xs) => scoreRegLoss(ops, ops.sigmoid(at(xs, 'logits')), at(xs, 'cold')),
    inputs: { logits: logits(6), cold: isCold },
  },
  {
    name: 'scoreRegLoss, RBF-kernel MMD (eq 5)',
    f: (ops, xs) => scoreRegLoss(ops, ops.sigmoid(at(xs, 'logits')), at(xs, 'cold'), { kernel: 'rbf', bandwidth: 0.3 }),
    inputs: { logits: logits(7), cold: isCold },
  },
  {
    name: 'warmerObjective (eq 11) w.r.t. original and mixed logits',
    f: (ops, xs) =>
      warmerObjective(ops, {
        labels: at(xs, 'y'),
        logits: at(xs, 'logits'),
        mixedLabels: at(xs, 'yMix'),
        mixedLogits: at(xs, 'mixedLogits'),
        isCold: at(xs, 'cold'),
        lambda1: 0.2,
        lambda2: 0.1,
      }).total,
    inputs: {
      y: constant([N, T], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1]),
      logits: logits(8),
      yMix: softLabels,
      mixedLogits: logits(9),
      cold: isCold,
    },
  },
];

describe('gradients of every loss: tfjs autodiff (float32) vs float64 central differences on the reference backend', () => {
  beforeAll(async () => {
    await useTfjsBackend({ prefer: 'wasm' });
  });
  it.each(cases)('$name', async ({ name, f, inputs }) => {
    await expectGradientsMatch(name, f, inputs, 1e-4);
  });

  it('ScoreReg has exactly zero gradient when the batch has no cold sample', async () => {
    const f: ScalarFunction = <T>(ops: Ops<T>, xs: Readonly<Record<string, T>>) =>
      ops.add(scoreRegLoss(ops, ops.sigmoid(at(xs, 'logits')), at(xs, 'cold')), ops.scalar(0));
    const errors = await gradientErrors(f, { logits: logits(10), cold: constant([N], [0, 0, 0, 0, 0, 0]) });
    // central differences give exactly 0, and tfjs's gradient is exactly 0 too (relative = ‖g‖/1e-30)
    expect(errors.logits?.norm).toBe(0);
    expect(errors.logits?.relative).toBe(0);
  });
});
