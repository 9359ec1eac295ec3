import { referenceOps as r, ShapeError } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyElements, binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** The textbook definition, fine for moderate logits: −y·log σ(x) − (1−y)·log(1 − σ(x)). */
const textbook = (y: number, x: number) => -y * Math.log(sigmoid(x)) - (1 - y) * Math.log(1 - sigmoid(x));
const scalar = (t: { data: ArrayLike<number> }) => t.data[0] as number;

const labels = [1, 0, 0.3, 1, 0, 0.75];
const logits = [2, -1, 0.5, -3, 0.2, 1.5];

describe('binaryCrossEntropyWithLogits', () => {
  it('is ln 2 for a zero logit, whatever the label', () => {
    const loss = binaryCrossEntropyWithLogits(r, r.constant([1, 0, 0.4], [3, 1]), r.constant([0, 0, 0], [3, 1]));
    expect(scalar(loss)).toBeCloseTo(Math.LN2, 15);
  });

  it('equals the textbook cross-entropy element by element and in the mean', () => {
    const y = r.constant(labels, [3, 2]);
    const x = r.constant(logits, [3, 2]);
    const elements = binaryCrossEntropyElements(r, y, x).data;
    labels.forEach((label, i) => {
      expect(elements[i]).toBeCloseTo(textbook(label, logits[i] as number), 13);
    });
    const mean = labels.reduce((s, label, i) => s + textbook(label, logits[i] as number), 0) / labels.length;
    expect(scalar(binaryCrossEntropyWithLogits(r, y, x))).toBeCloseTo(mean, 13);
  });

  it('is finite at |logit| = 100: 100 when wrong, ~0 when right', () => {
    const out = binaryCrossEntropyElements(r, r.constant([1, 0, 1, 0], [4]), r.constant([100, 100, -100, -100], [4])).data;
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
    expect(out[0]).toBeLessThan(1e-40);
    expect(out[1]).toBeCloseTo(100, 12);
    expect(out[2]).toBeCloseTo(100, 12);
    expect(out[3]).toBeLessThan(1e-40);
  });

  it('with a soft label y is minimised at x = logit(y), where it equals the entropy H(y)', () => {
    for (const y of [0.1, 0.3, 0.5, 0.9]) {
      const best = Math.log(y / (1 - y));
      const entropy = -y * Math.log(y) - (1 - y) * Math.log(1 - y);
      const at = (x: number) => scalar(binaryCrossEntropyWithLogits(r, r.constant([y], [1]), r.constant([x], [1])));
      expect(at(best)).toBeCloseTo(entropy, 13);
      expect(at(best + 0.01)).toBeGreaterThan(at(best));
      expect(at(best - 0.01)).toBeGreaterThan(at(best));
    }
  });

  it('weights per row [N, 1], per task [T] and per element [N, T] as mean(w ⊙ loss)', () => {
    const y = r.constant(labels, [3, 2]);
    const x = r.constant(logits, [3, 2]);
    const element = (i: number) => textbook(labels[i] as number, logits[i] as number);
    const rowW = [2, 0, 0.5];
    const taskW = [1, 3];
    const elemW = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const expectRow = labels.reduce((s, _, i) => s + (rowW[Math.floor(i / 2)] as number) * element(i), 0) / 6;
    const expectTask = labels.reduce((s, _, i) => s + (taskW[i % 2] as number) * element(i), 0) / 6;
    const expectElem = labels.reduce((s, _, i) => s + (elemW[i] as number) * element(i), 0) / 6;
    expect(scalar(binaryCrossEntropyWithLogits(r, y, x, { weights: r.constant(rowW, [3, 1]) }))).toBeCloseTo(expectRow, 13);
    expect(scalar(binaryCrossEntropyWithLogits(r, y, x, { weights: r.constant(taskW, [2]) }))).toBeCloseTo(expectTask, 13);
    expect(scalar(binaryCrossEntropyWithLogits(r, y, x, { weights: r.constant(elemW, [3, 2]) }))).toBeCloseTo(expectElem, 13);
  });

  it('rejects mismatched logits and weights that would grow the loss', () => {
    const y = r.constant(labels, [3, 2]);
    expect(() => binaryCrossEntropyWithLogits(r, y, r.constant(logits, [2, 3]))).toThrow(ShapeError);
    expect(() => binaryCrossEntropyWithLogits(r, y, r.constant(logits, [6]))).toThrow(
      'binaryCrossEntropyWithLogits: logits must have the shape of labels [3, 2] (got [6])',
    );
    expect(() => binaryCrossEntropyWithLogits(r, y, r.constant(logits, [3, 2]), { weights: r.constant([1, 1, 1], [3]) })).toThrow(
      /options\.weights of shape \[3\] does not broadcast to the loss shape \[3, 2\]; per-row weights are \[N, 1\] = \[3, 1\]/,
    );
  });
});
