import { describe, expect, it } from 'vitest';
import { createGradientTape } from './gradient-tape.js';
import type { Ops } from './ops.js';
import { type ReferenceTensor, referenceOps as r } from './reference-ops.js';
import { createRng } from './rng.js';

type Fn = (o: Ops<ReferenceTensor>, xs: ReferenceTensor[]) => ReferenceTensor;

const rng = createRng(20240611);
const randomTensor = (shape: number[], scale = 1, offset = 0) =>
  r.constant(
    Array.from({ length: shape.reduce((n, e) => n * e, 1) }, () => offset + scale * rng.normal()),
    shape,
  );

/** `Σ w ⊙ f(xs)` with fixed random weights, so every output element's gradient is exercised. */
function weighted(f: Fn, outShape: readonly number[]): Fn {
  const w = randomTensor([...outShape]);
  return (o, xs) => o.sum(o.mul(f(o, xs), w));
}

/** Central differences of a scalar function of float64 inputs, h = 1e-6. */
function numericGradients(f: Fn, xs: ReferenceTensor[]): Float64Array[] {
  const h = 1e-6;
  return xs.map((x, k) => {
    if (x.dtype === 'int32') return new Float64Array(0);
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const at = (delta: number) => {
        const data = Float64Array.from(x.data);
        data[i] = (data[i] as number) + delta;
        const moved = xs.map((y, j) => (j === k ? r.constant(data, x.shape) : y));
        return f(r, moved).data[0] as number;
      };
      out[i] = (at(h) - at(-h)) / (2 * h);
    }
    return out;
  });
}

function expectGradientsMatch(f: Fn, xs: ReferenceTensor[], tolerance = 1e-6): void {
  const tape = createGradientTape(r);
  const y = f(tape.ops, xs);
  expect(y.shape).toEqual([]);
  const floats = xs.filter((x) => x.dtype !== 'int32');
  const analytic = tape.gradients(y, floats);
  const numeric = numericGradients(f, xs).filter((_, k) => xs[k]?.dtype !== 'int32');
  analytic.forEach((g, k) => {
    expect(g.shape).toEqual(floats[k]?.shape);
    const want = numeric[k] as Float64Array;
    for (let i = 0; i < want.length; i++) {
      const got = g.data[i] as number;
      expect(Math.abs(got - (want[i] as number))).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want[i] as number)));
    }
  });
}

describe('createGradientTape: every rule against central differences (float64 reference backend)', () => {
  const cases: [string, Fn, ReferenceTensor[], readonly number[]][] = [
    [
      'matMul',
      (o, [a, b]) => o.matMul(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([3, 4]), randomTensor([4, 2])],
      [3, 2],
    ],
    [
      'add broadcasting a row',
      (o, [a, b]) => o.add(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([3, 4]), randomTensor([4])],
      [3, 4],
    ],
    [
      'add broadcasting a column',
      (o, [a, b]) => o.add(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([3, 1]), randomTensor([3, 4])],
      [3, 4],
    ],
    [
      'sub broadcasting a scalar',
      (o, [a, b]) => o.sub(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([2, 3]), randomTensor([])],
      [2, 3],
    ],
    [
      'mul broadcasting [N,E,1] × [N,E,U]',
      (o, [a, b]) => o.mul(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([2, 3, 1]), randomTensor([2, 3, 4])],
      [2, 3, 4],
    ],
    [
      'div',
      (o, [a, b]) => o.div(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([2, 3]), randomTensor([2, 3], 0.5, 3)],
      [2, 3],
    ],
    [
      'maximum',
      (o, [a, b]) => o.maximum(a as ReferenceTensor, b as ReferenceTensor),
      [randomTensor([3, 3]), randomTensor([3])],
      [3, 3],
    ],
    ['neg', (o, [x]) => o.neg(x as ReferenceTensor), [randomTensor([4])], [4]],
    ['relu', (o, [x]) => o.relu(x as ReferenceTensor), [randomTensor([5, 2])], [5, 2]],
    ['sigmoid', (o, [x]) => o.sigmoid(x as ReferenceTensor), [randomTensor([5])], [5]],
    ['tanh', (o, [x]) => o.tanh(x as ReferenceTensor), [randomTensor([5])], [5]],
    ['exp', (o, [x]) => o.exp(x as ReferenceTensor), [randomTensor([5])], [5]],
    ['log', (o, [x]) => o.log(x as ReferenceTensor), [randomTensor([5], 0.3, 2)], [5]],
    ['abs', (o, [x]) => o.abs(x as ReferenceTensor), [randomTensor([5])], [5]],
    ['square', (o, [x]) => o.square(x as ReferenceTensor), [randomTensor([5])], [5]],
    ['sqrt', (o, [x]) => o.sqrt(x as ReferenceTensor), [randomTensor([5], 0.3, 2)], [5]],
    ['softmax (last axis)', (o, [x]) => o.softmax(x as ReferenceTensor), [randomTensor([3, 4])], [3, 4]],
    ['softmax (axis 0)', (o, [x]) => o.softmax(x as ReferenceTensor, 0), [randomTensor([3, 4])], [3, 4]],
    [
      'concat (axis 1)',
      (o, [a, b]) => o.concat([a as ReferenceTensor, b as ReferenceTensor], 1),
      [randomTensor([2, 3]), randomTensor([2, 1])],
      [2, 4],
    ],
    [
      'concat (axis 0, three inputs)',
      (o, [a, b, c]) => o.concat([a, b, c] as ReferenceTensor[], 0),
      [randomTensor([1, 2]), randomTensor([2, 2]), randomTensor([1, 2])],
      [4, 2],
    ],
    [
      'gather with duplicate ids',
      (o, [t, i]) => o.gather(t as ReferenceTensor, i as ReferenceTensor),
      [randomTensor([4, 3]), r.constant([2, 0, 2, 3], [4], 'int32')],
      [4, 3],
    ],
    [
      'gather by a matrix of ids',
      (o, [t, i]) => o.gather(t as ReferenceTensor, i as ReferenceTensor),
      [randomTensor([3, 2]), r.constant([1, 1, 0, 2], [2, 2], 'int32')],
      [2, 2, 2],
    ],
    [
      'scatterAdd (table and updates)',
      (o, [t, i, u]) => o.scatterAdd(t as ReferenceTensor, i as ReferenceTensor, u as ReferenceTensor),
      [randomTensor([3, 2]), r.constant([2, 0, 2], [3], 'int32'), randomTensor([3, 2])],
      [3, 2],
    ],
    ['sum over all', (o, [x]) => o.mul(o.sum(x as ReferenceTensor), o.sum(x as ReferenceTensor)), [randomTensor([2, 3])], []],
    ['sum over axis 0', (o, [x]) => o.sum(x as ReferenceTensor, 0), [randomTensor([3, 4])], [4]],
    [
      'sum over axes [0, 2], keepDims',
      (o, [x]) => o.sum(x as ReferenceTensor, [0, 2], true),
      [randomTensor([2, 3, 2])],
      [1, 3, 1],
    ],
    ['mean over axis 1', (o, [x]) => o.mean(x as ReferenceTensor, 1), [randomTensor([3, 4])], [3]],
    ['mean over all, squared', (o, [x]) => o.square(o.mean(x as ReferenceTensor)), [randomTensor([2, 3])], []],
    ['reshape', (o, [x]) => o.reshape(x as ReferenceTensor, [3, -1]), [randomTensor([2, 3])], [3, 2]],
    ['transpose (default)', (o, [x]) => o.transpose(x as ReferenceTensor), [randomTensor([2, 3])], [3, 2]],
    ['transpose (perm)', (o, [x]) => o.transpose(x as ReferenceTensor, [1, 2, 0]), [randomTensor([2, 3, 4])], [3, 4, 2]],
    [
      'slice (middle block, two axes)',
      (o, [x]) => o.slice(x as ReferenceTensor, [1, 1], [2, -1]),
      [randomTensor([4, 3])],
      [2, 2],
    ],
    ['slice (a prefix of columns)', (o, [x]) => o.slice(x as ReferenceTensor, [0, 0], [-1, 2]), [randomTensor([3, 5])], [3, 2]],
  ];
  for (const [name, f, xs, outShape] of cases) {
    it(name, () => expectGradientsMatch(outShape.length === 0 ? f : weighted(f, outShape), xs));
  }
});

describe('createGradientTape', () => {
  it('sums the gradients of a value used several times (x·x + 3x)', () => {
    const tape = createGradientTape(r);
    const o = tape.ops;
    const x = r.constant([2, -1], [2]);
    const y = o.sum(o.add(o.mul(x, x), o.mul(x, o.scalar(3))));
    const [g] = tape.gradients(y, [x]);
    expect(Array.from(g?.data ?? [])).toEqual([7, 1]);
  });

  it('gives zeros for an input the output does not depend on', () => {
    const tape = createGradientTape(r);
    const x = r.constant([1, 2], [2]);
    const unused = r.constant([5, 6, 7], [3]);
    const [g] = tape.gradients(tape.ops.sum(tape.ops.square(x)), [unused]);
    expect(Array.from(g?.data ?? [])).toEqual([0, 0, 0]);
  });

  it('takes a cotangent for a non-scalar output', () => {
    const tape = createGradientTape(r);
    const x = r.constant([1, 2, 3], [3]);
    const y = tape.ops.mul(x, r.constant([2, 2, 2], [3]));
    const [g] = tape.gradients(y, [x], r.constant([1, 10, 100], [3]));
    expect(Array.from(g?.data ?? [])).toEqual([2, 20, 200]);
  });

  it('stopGradient holds a value constant: d/dx (x · stop(x)) = stop(x)', () => {
    const tape = createGradientTape(r);
    const o = tape.ops;
    const x = r.constant([3, -2], [2]);
    const [g] = tape.gradients(o.sum(o.mul(x, tape.stopGradient(x))), [x]);
    expect(Array.from(g?.data ?? [])).toEqual([3, -2]);
  });

  it('relu has gradient 0 at 0 and maximum gives ties to its first operand (as tfjs)', () => {
    const tape = createGradientTape(r);
    const o = tape.ops;
    const x = r.constant([0, 1], [2]);
    const b = r.constant([0, 2], [2]);
    const [gx] = tape.gradients(o.sum(o.relu(x)), [x]);
    expect(Array.from(gx?.data ?? [])).toEqual([0, 1]);
    const [ga, gb] = tape.gradients(o.sum(o.maximum(x, b)), [x, b]);
    expect(Array.from(ga?.data ?? [])).toEqual([1, 0]);
    expect(Array.from(gb?.data ?? [])).toEqual([0, 1]);
  });

  it('a two-layer network with a logistic loss matches central differences', () => {
    const x = randomTensor([6, 4]);
    const y = r.constant([1, 0, 0, 1, 1, 0], [6, 1]);
    const f: Fn = (o, [w1, b1, w2]) => {
      const h = o.relu(o.add(o.matMul(x, w1 as ReferenceTensor), b1 as ReferenceTensor));
      const logits = o.matMul(h, w2 as ReferenceTensor);
      // softplus(z) − y·z, written with maximum/abs/log/exp as the losses package does
      const softplus = o.add(o.maximum(logits, o.scalar(0)), o.log(o.add(o.scalar(1), o.exp(o.neg(o.abs(logits))))));
      return o.mean(o.sub(softplus, o.mul(y, logits)));
    };
    expectGradientsMatch(f, [randomTensor([4, 5]), randomTensor([5], 0.1), randomTensor([5, 1])]);
  });
});
