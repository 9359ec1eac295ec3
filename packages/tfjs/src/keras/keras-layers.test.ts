import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mlpParameters } from '@thaw/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { CrossLayer } from './cross-layer.js';
import { MmoeLayer } from './mmoe-layer.js';
import { ResidualProjectionLayer } from './residual-projection-layer.js';

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

type Matrix = number[][];
const matrix = (t: tf.Tensor): Matrix => t.arraySync() as Matrix;
const dot = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => (b[0] as number[]).map((_, j) => row.reduce((s, v, k) => s + v * ((b[k] as number[])[j] as number), 0)));
const addRow = (a: Matrix, b: number[]): Matrix => a.map((row) => row.map((v, j) => v + (b[j] as number)));
const relu = (a: Matrix): Matrix => a.map((row) => row.map((v) => Math.max(v, 0)));
function expectClose(actual: Matrix, expected: Matrix): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, row] of actual.entries()) {
    for (const [j, v] of row.entries()) expect(v).toBeCloseTo((expected[i] as number[])[j] as number, 5);
  }
}
const x0Values: Matrix = [
  [0.5, -1, 2, 0.25],
  [-0.75, 1.5, 0, 1],
  [1, 1, -2, -0.5],
];

describe('CrossLayer', () => {
  it('full rank: x0 ⊙ (x·W + b) + x, by hand', () => {
    const layer = new CrossLayer({ seed: 1 });
    const x0 = tf.tensor2d(x0Values);
    const out = matrix(layer.apply(x0) as tf.Tensor);
    const [w, b] = layer.getWeights().map(matrix) as [Matrix, Matrix];
    const bias = b as unknown as number[];
    const projected = addRow(dot(x0Values, w), bias);
    const expected = x0Values.map((row, i) => row.map((v, j) => v * ((projected[i] as number[])[j] as number) + v));
    expectClose(out, expected);
    expect(layer.countParams()).toBe(4 * 4 + 4);
  });

  it('low rank on [x0, x]: x0 ⊙ ((x·V)·U + b) + x, by hand', () => {
    const layer = new CrossLayer({ lowRank: 2, seed: 2 });
    const x = x0Values.map((row) => row.map((v) => v * 0.5 + 0.1));
    const out = matrix(layer.apply([tf.tensor2d(x0Values), tf.tensor2d(x)]) as tf.Tensor);
    const [v, u, b] = layer.getWeights().map(matrix) as [Matrix, Matrix, Matrix];
    const projected = addRow(dot(dot(x, v), u), b as unknown as number[]);
    const expected = x0Values.map((row, i) =>
      row.map((a, j) => a * ((projected[i] as number[])[j] as number) + ((x[i] as number[])[j] as number)),
    );
    expectClose(out, expected);
    expect(layer.countParams()).toBe(2 * 4 * 2 + 4);
  });
});

describe('MmoeLayer and ResidualProjectionLayer', () => {
  it('MMoE: softmax-gated mixture of relu experts, one linear tower per task, by hand', () => {
    const layer = new MmoeLayer({ experts: 2, expertUnits: [3], tasks: 2, seed: 3 });
    const out = matrix(layer.apply(tf.tensor2d(x0Values)) as tf.Tensor);
    const w = Object.fromEntries(layer.weights.map((v) => [v.originalName.split('/').pop() as string, v.read().arraySync()]));
    const experts = [0, 1].map((e) =>
      relu(addRow(dot(x0Values, w[`expert.${e}.0.kernel`] as Matrix), w[`expert.${e}.0.bias`] as number[])),
    );
    for (let t = 0; t < 2; t++) {
      const gateLogits = addRow(dot(x0Values, w[`gate.${t}.0.kernel`] as Matrix), w[`gate.${t}.0.bias`] as number[]);
      for (let i = 0; i < 3; i++) {
        const [g0, g1] = gateLogits[i] as [number, number];
        const p0 = 1 / (1 + Math.exp(g1 - g0));
        const mixed = [0, 1, 2].map(
          (k) => p0 * ((experts[0] as Matrix)[i]?.[k] as number) + (1 - p0) * ((experts[1] as Matrix)[i]?.[k] as number),
        );
        const logit = addRow(dot([mixed], w[`tower.${t}.0.kernel`] as Matrix), w[`tower.${t}.0.bias`] as number[]);
        expect((out[i] as number[])[t]).toBeCloseTo((logit[0] as number[])[0] as number, 5);
      }
    }
    // experts 2·(4·3+3), gates 2·(4·2+2), towers 2·(3·1+1)
    expect(layer.countParams()).toBe(2 * mlpParameters(4, [3]) + 2 * mlpParameters(4, [2]) + 2 * mlpParameters(3, [1]));
  });

  it('Residual projection: hidden relu, last linear; parameter count of the MLP', () => {
    const layer = new ResidualProjectionLayer({ units: [3, 2], seed: 4 });
    const out = matrix(layer.apply(tf.tensor2d(x0Values)) as tf.Tensor);
    const [k0, b0, k1, b1] = layer.getWeights().map((t) => t.arraySync()) as [Matrix, number[], Matrix, number[]];
    const expected = addRow(dot(relu(addRow(dot(x0Values, k0), b0)), k1), b1);
    expectClose(out, expected);
    expect(layer.countParams()).toBe(mlpParameters(4, [3, 2]));
  });
});

describe('seeding and input checks', () => {
  it('layers are seeded by default (seed 0, as buildModel): the same arguments give the same initial weights', () => {
    const build = (make: () => tfl.layers.Layer, shape: number[]) => {
      const layer = make();
      layer.apply(tfl.input({ shape }));
      return { weights: layer.getWeights().map((w) => Array.from(w.dataSync())), config: layer.getConfig() };
    };
    const makers: (() => tfl.layers.Layer)[] = [
      () => new CrossLayer({}),
      () => new CrossLayer({ lowRank: 2 }),
      () => new MmoeLayer({ experts: 2, expertUnits: [3], tasks: 2 }),
      () => new ResidualProjectionLayer({ units: [3] }),
    ];
    for (const make of makers) {
      const a = build(make, [4]);
      const b = build(make, [4]);
      expect(a.config.seed).toBe(0);
      expect(b.weights).toEqual(a.weights);
      expect(a.weights.flat().some((v) => v !== 0)).toBe(true);
    }
    const seeded = build(() => new CrossLayer({ seed: 5 }), [4]);
    expect(seeded.weights[0]).not.toEqual(build(() => new CrossLayer({}), [4]).weights[0]);
  });

  it('names the layer and the shape it got when the input width is unknown', () => {
    const unknownWidth = [[null, null]] as unknown as tfl.Shape;
    expect(() => new CrossLayer({}).build(unknownWidth)).toThrow(
      "CrossLayer: the input's last dimension must be known (got shape [null, null])",
    );
    expect(() => new MmoeLayer({ experts: 2, expertUnits: [3], tasks: 2 }).build(unknownWidth)).toThrow(
      "MmoeLayer: the input's last dimension must be known (got shape [null, null])",
    );
    expect(() => new ResidualProjectionLayer({ units: [3] }).build(unknownWidth)).toThrow(
      "ResidualProjectionLayer: the input's last dimension must be known (got shape [null, null])",
    );
  });
});

describe('serialisation', () => {
  it('a Keras-style model of the three layers saves to JSON + weights and loads back identical', async () => {
    const x0 = tfl.input({ shape: [4] });
    const x1 = new CrossLayer({ name: 'cross_full' }).apply(x0) as tfl.SymbolicTensor;
    const x2 = new CrossLayer({ lowRank: 2, name: 'cross_low' }).apply([x0, x1]) as tfl.SymbolicTensor;
    const p = new ResidualProjectionLayer({ units: [2], name: 'residual' }).apply(x0) as tfl.SymbolicTensor;
    const zBar = tfl.layers.concatenate().apply([x2, p]) as tfl.SymbolicTensor;
    const logits = new MmoeLayer({
      experts: 2,
      expertUnits: [3],
      tasks: 3,
      towerUnits: [2],
      gateUnits: [2],
      activation: 'tanh',
      name: 'mmoe',
    }).apply(zBar) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x0, outputs: logits });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(saved?.modelTopology);
    for (const name of [
      'ThawCross',
      'ThawResidualProjection',
      'ThawMmoe',
      '"low_rank":2',
      '"tower_units":[2]',
      '"activation":"tanh"',
    ]) {
      expect(topology).toContain(name);
    }
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const input = tf.tensor2d(x0Values);
    const a = (model.predict(input) as tf.Tensor).arraySync();
    const b = (loaded.predict(input) as tf.Tensor).arraySync();
    expect(b).toEqual(a);
    expect(loaded.countParams()).toBe(model.countParams());
  });
});
