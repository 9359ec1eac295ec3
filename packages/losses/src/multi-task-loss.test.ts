import { referenceOps as r } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { multiTaskLoss } from './multi-task-loss.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const bce = (y: number, x: number) => -y * Math.log(sigmoid(x)) - (1 - y) * Math.log(1 - sigmoid(x));
const labels = [1, 0.2, 0, 0.9];
const logits = [0.3, -1, 2, 0.4];
const y = () => r.constant(labels, [2, 2]);
const x = () => r.constant(logits, [2, 2]);

describe('multiTaskLoss', () => {
  it('is the mean BCE over samples and tasks by default (eq 11)', () => {
    const expected = labels.reduce((s, l, i) => s + bce(l, logits[i] as number), 0) / 4;
    expect(multiTaskLoss(r, y(), x()).data[0]).toBeCloseTo(expected, 13);
  });

  it("scores 'mse' tasks by (σ(logit) − y)² and mixes kinds per column", () => {
    const sq = (i: number) => (sigmoid(logits[i] as number) - (labels[i] as number)) ** 2;
    const el = (i: number) => (i % 2 === 0 ? bce(labels[i] as number, logits[i] as number) : sq(i));
    const mixed = (el(0) + el(1) + el(2) + el(3)) / 4;
    expect(multiTaskLoss(r, y(), x(), { taskLosses: ['bce', 'mse'] }).data[0]).toBeCloseTo(mixed, 13);
    const allMse = (sq(0) + sq(1) + sq(2) + sq(3)) / 4;
    expect(multiTaskLoss(r, y(), x(), { taskLosses: ['mse', 'mse'] }).data[0]).toBeCloseTo(allMse, 13);
  });

  it('applies row weights to the mixed kinds', () => {
    const weights = [3, 0];
    const sq = (i: number) => (sigmoid(logits[i] as number) - (labels[i] as number)) ** 2;
    const expected = (3 * (bce(labels[0] as number, logits[0] as number) + sq(1))) / 4;
    const loss = multiTaskLoss(r, y(), x(), { taskLosses: ['bce', 'mse'], weights: r.constant(weights, [2, 1]) });
    expect(loss.data[0]).toBeCloseTo(expected, 13);
  });

  it('rejects a taskLosses list of the wrong length or with an unknown kind', () => {
    expect(() => multiTaskLoss(r, y(), x(), { taskLosses: ['bce'] })).toThrow(
      'multiTaskLoss: options.taskLosses must list one loss per task column (2) (got 1)',
    );
    expect(() => multiTaskLoss(r, y(), x(), { taskLosses: ['bce', 'hinge' as never] })).toThrow(
      `multiTaskLoss: options.taskLosses[1] must be 'bce' or 'mse' (got "hinge")`,
    );
    expect(() => multiTaskLoss(r, r.constant(labels, [4]), r.constant(logits, [4]))).toThrow(/labels must be \[N, T\]/);
  });
});
