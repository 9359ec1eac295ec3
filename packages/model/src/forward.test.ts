import { type ModelSpec, validateSpec } from '@thaw/spec';
import { createTensor, referenceOps as ops, type ReferenceTensor, type Tensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { crossLayer } from './cross.js';
import { featuresOnBackend } from './embed.js';
import { forward } from './forward.js';
import { parameterInfos } from './parameter-infos.js';
import { paramsOnBackend } from './params.js';
import { tinySpec } from './test-utils/specs.js';
import { utilityScores } from './utility-scores.js';

const values = (t: ReferenceTensor) => Array.from(t.data);

describe('crossLayer (hand-computed)', () => {
  const x0 = ops.constant([1, 2], [1, 2]);
  const x = ops.constant([3, -1], [1, 2]);
  const bias = ops.constant([0.5, -0.5], [2]);

  it('full rank: x0 ⊙ (x·W + b) + x', () => {
    // x·W = [3·1 − 1·0, 3·2 − 1·1] = [3, 5]; + b = [3.5, 4.5]; ⊙ x0 = [3.5, 9]; + x = [6.5, 8]
    const kernel = ops.constant([1, 2, 0, 1], [2, 2]);
    expect(values(crossLayer(ops, x0, x, { kernel, bias }))).toEqual([6.5, 8]);
  });

  it('low rank: x0 ⊙ ((x·V)·U + b) + x', () => {
    // x·V = 3 − 2 = 1; ·U = [1, −1]; + b = [1.5, −1.5]; ⊙ x0 = [1.5, −3]; + x = [4.5, −4]
    const v = ops.constant([1, 2], [2, 1]);
    const u = ops.constant([1, -1], [1, 2]);
    expect(values(crossLayer(ops, x0, x, { v, u, bias }))).toEqual([4.5, -4]);
  });
});

describe('utilityScores (eq 12)', () => {
  it('s = Σ_t u_t ŷ_t with u = (2, 0.5)', () => {
    const probs = ops.constant([0.5, 0.2, 1, 0], [2, 2]);
    expect(values(utilityScores(ops, tinySpec, probs))).toEqual([1.1, 2]);
  });

  it('rejects probs with the wrong number of tasks', () => {
    expect(() => utilityScores(ops, tinySpec, ops.constant([1, 2, 3], [1, 3]))).toThrow(
      expect.objectContaining({
        name: 'ShapeError',
        message: 'utilityScores: probs must be [N, 2] (one column per task; got [1, 3])',
        tensorName: 'probs',
        expected: [null, 2],
      }),
    );
  });
});

/** Deterministic, varied weights without a RNG: w_i = ((7i + 3) mod 11 − 5) / 8. */
function fixedWeights(spec: ModelSpec): Record<string, Tensor<'float32'>> {
  const out: Record<string, Tensor<'float32'>> = {};
  let i = 0;
  for (const p of parameterInfos(spec)) {
    const size = p.shape.reduce((n, e) => n * e, 1);
    const data = Float32Array.from({ length: size }, () => (((7 * i++ + 3) % 11) - 5) / 8);
    out[p.name] = createTensor('float32', data, p.shape);
  }
  return out;
}

type Matrix = number[][];
const matrix = (t: Tensor | undefined): Matrix => {
  if (!t) throw new Error('missing parameter');
  const [rows = 1, cols = 1] = t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => t.data[r * cols + c] as number));
};
const vector = (t: Tensor | undefined) => matrix(t)[0] as number[];

/** y_j = Σ_k x_k W[k][j] + b_j, one sample, by explicit loops. */
function denseLoop(x: number[], w: Matrix, b: number[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < b.length; j++) {
    let s = b[j] as number;
    for (let k = 0; k < x.length; k++) s += (x[k] as number) * ((w[k] as number[])[j] as number);
    out.push(s);
  }
  return out;
}

/**
 * The tiny model of `tinySpec` (and its variants) for one sample, by explicit loops over
 * scalars: an implementation independent of the Ops-based code under test.
 */
function tinyLoop(spec: ModelSpec, w: Record<string, Tensor<'float32'>>, h: number, id: number, c: number, n: number) {
  const act = spec.architecture.activation === 'tanh' ? Math.tanh : (v: number) => Math.max(v, 0);
  const xh = [(h - 1) / 2, (matrix(w['embedding.id'])[id] as number[])[0] as number];
  const xnh = [(matrix(w['embedding.c'])[c] as number[])[0] as number, n];
  const x0 = [...xh, ...xnh];
  let x = x0;
  for (let k = 0; k < spec.architecture.cross.count; k++) {
    const b = vector(w[`cross.${k}.bias`]);
    const projected =
      spec.architecture.cross.lowRank === undefined
        ? denseLoop(x, matrix(w[`cross.${k}.kernel`]), b)
        : denseLoop(
            denseLoop(x, matrix(w[`cross.${k}.v`]), new Array<number>(spec.architecture.cross.lowRank).fill(0)),
            matrix(w[`cross.${k}.u`]),
            b,
          );
    x = x0.map((v, j) => v * (projected[j] as number) + (x[j] as number));
  }
  const deepOf = (input: number[]) => denseLoop(input, matrix(w['deep.0.kernel']), vector(w['deep.0.bias'])).map(act);
  const z = spec.architecture.structure === 'parallel' ? [...x, ...deepOf(x0)] : deepOf(x);
  const residual = denseLoop(xnh, matrix(w['residual.0.kernel']), vector(w['residual.0.bias'])); // linear
  const zBar = [...z, ...residual];
  const experts = [0, 1].map((e) => denseLoop(zBar, matrix(w[`expert.${e}.0.kernel`]), vector(w[`expert.${e}.0.bias`])).map(act));
  const logits = [0, 1].map((t) => {
    const g = denseLoop(zBar, matrix(w[`gate.${t}.0.kernel`]), vector(w[`gate.${t}.0.bias`]));
    const m = Math.max(...g);
    const eg = g.map((v) => Math.exp(v - m));
    const gate = eg.map((v) => v / eg.reduce((a, b) => a + b, 0));
    const mixed = [0, 1].map(
      (j) =>
        (gate[0] as number) * ((experts[0] as number[])[j] as number) +
        (gate[1] as number) * ((experts[1] as number[])[j] as number),
    );
    return denseLoop(mixed, matrix(w[`tower.${t}.0.kernel`]), vector(w[`tower.${t}.0.bias`]))[0] as number;
  });
  return { xh, xnh, zBar, logits };
}

describe('forward on the reference backend equals explicit loops (tiny spec, d = 4)', () => {
  const rows = { h: [3, -1, 0.5], id: [0, 2, 1], c: [1, 2, 0], n: [0.25, -2, 1.5] }; // c = 2 is the OOV row
  const batch = {
    size: 3,
    features: {
      h: createTensor('float32', rows.h, [3, 1]),
      id: createTensor('int32', rows.id, [3]),
      c: createTensor('int32', rows.c, [3]),
      n: createTensor('float32', rows.n, [3, 1]),
    },
  };
  const variants: [string, ModelSpec][] = [
    ['stacked, full rank, relu', tinySpec],
    [
      'parallel, low rank, tanh',
      validateSpec({
        ...tinySpec,
        architecture: { ...tinySpec.architecture, cross: { count: 2, lowRank: 1 }, structure: 'parallel', activation: 'tanh' },
      }),
    ],
  ];

  it.each(variants)('%s', (_, spec) => {
    const w = fixedWeights(spec);
    const out = forward(ops, spec, paramsOnBackend(ops, w), featuresOnBackend(ops, spec, batch));
    const expected = rows.h.map((h, i) => tinyLoop(spec, w, h, rows.id[i] as number, rows.c[i] as number, rows.n[i] as number));
    expect(out.logits.shape).toEqual([3, 2]);
    expect(out.embedded.historical.shape).toEqual([3, 2]);
    const close = (actual: ReferenceTensor, wanted: number[]) => {
      expect(actual.data.length).toBe(wanted.length);
      for (const [i, v] of wanted.entries()) expect(actual.data[i]).toBeCloseTo(v, 12);
    };
    close(
      out.embedded.historical,
      expected.flatMap((e) => e.xh),
    );
    close(
      out.embedded.nonHistorical,
      expected.flatMap((e) => e.xnh),
    );
    close(
      out.zBar,
      expected.flatMap((e) => e.zBar),
    );
    close(
      out.logits,
      expected.flatMap((e) => e.logits),
    );
    // The logits are not trivially zero: the check has teeth.
    expect(Math.max(...values(out.logits).map(Math.abs))).toBeGreaterThan(0.05);
  });
});
