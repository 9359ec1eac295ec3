import * as tf from '@tensorflow/tfjs-core';
import { LOSS_TERMS, type ObjectiveConfig, objectiveConfigFromSpec } from '@thaw/model';
import type { FeatureBatch } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { buildModel } from '../model/build-model.js';
import { syntheticBatches, syntheticSpec } from '../testing/synthetic-cold-start.js';
import { createOptimizer } from './optimizer.js';
import { trainStep } from './train-step.js';

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

const spec = syntheticSpec({ residual: true, mixup: true, scoreRegWeight: 0.1, aldi: true });
const batch = syntheticBatches({ rows: 32, batchSize: 32, seed: 3 })[0] as FeatureBatch;
const base = objectiveConfigFromSpec(spec);

async function initialWeights() {
  const model = buildModel(spec, { seed: 2 });
  const weights = await model.getWeights();
  model.dispose();
  return weights;
}

/** One SGD step (lr 0.1) from the same initial weights; returns the weights after it and the loss terms. */
async function stepOnce(config: ObjectiveConfig) {
  const model = buildModel(spec, { seed: 2 });
  const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.1 });
  const termsTensor = trainStep(model, batch, createRng(9), config, optimizer);
  const terms = Object.fromEntries(LOSS_TERMS.map((k, i) => [k, termsTensor.dataSync()[i] as number]));
  termsTensor.dispose();
  const weights = await model.getWeights();
  optimizer.dispose();
  model.dispose();
  return { weights, terms };
}

describe('trainStep with the ALDI baseline', () => {
  it('joint: the distillation loss moves only the student — every other parameter steps as under eq 11 alone', async () => {
    const { aldiStage: _, ...withoutAldi } = base;
    const initial = await initialWeights();
    const joint = await stepOnce({ ...base, aldiStage: 'joint' });
    const plain = await stepOnce(withoutAldi);
    // the same dropout/mixup draws: eq 11's terms agree
    expect(joint.terms.bce).toBe(plain.terms.bce);
    expect(joint.terms.mixup).toBe(plain.terms.mixup);
    expect(joint.terms.aldi).toBeGreaterThan(0);
    for (const name of Object.keys(initial)) {
      const a = Array.from(joint.weights[name]?.data as Float32Array);
      const b = Array.from(plain.weights[name]?.data as Float32Array);
      if (name.startsWith('aldi.')) {
        expect(b, name).toEqual(Array.from(initial[name]?.data as Float32Array)); // eq 11 does not reach the student
        expect(a, name).not.toEqual(b);
      } else {
        for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number)), name).toBeLessThan(1e-6);
      }
    }
  });

  it('joint: copies no embedding table to freeze the teacher (only what interact/predict read is frozen)', async () => {
    const model = buildModel(spec, { seed: 2 });
    const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.1 });
    const tables = new Set(
      Object.entries(model.variables)
        .filter(([name]) => name.startsWith('embedding.'))
        .map(([, v]) => JSON.stringify(v.shape)),
    );
    expect(tables.size).toBeGreaterThan(0);
    const profile = await tf.profile(() => {
      trainStep(model, batch, createRng(9), { ...base, aldiStage: 'joint' }, optimizer).dispose();
    });
    const copies = profile.kernels.filter((k) => k.name === 'Identity' && tables.has(JSON.stringify(k.outputShapes[0])));
    expect(copies).toEqual([]);
    optimizer.dispose();
    model.dispose();
  });

  it('student: trains only aldi.* on the distillation loss, with no mixup pass (mixup reported 0)', async () => {
    const initial = await initialWeights();
    const student = await stepOnce({ ...base, aldiStage: 'student' });
    const joint = await stepOnce({ ...base, aldiStage: 'joint' });
    expect(student.terms.mixup).toBe(0);
    expect(student.terms.total).toBe(student.terms.aldi);
    expect(student.terms.bce).toBe(joint.terms.bce); // the model before the step, on the same batch
    for (const name of Object.keys(initial)) {
      const moved = Array.from(student.weights[name]?.data as Float32Array).some((v, i) => v !== initial[name]?.data[i]);
      expect(moved, name).toBe(name.startsWith('aldi.'));
    }
  });
});

describe('trainStep with label-conditional ScoreReg', () => {
  it('passes the spec condition to the objective: the ScoreReg term changes, the supervised loss does not', async () => {
    const labelSpec = {
      ...spec,
      coldStart: { ...spec.coldStart, scoreReg: { ...spec.coldStart.scoreReg, condition: 'label' as const } },
    };
    const config = objectiveConfigFromSpec(labelSpec);
    expect(config.scoreReg.condition).toBe('label');
    const { aldiStage: _, ...plain } = base;
    const conditional = await stepOnce({ ...plain, scoreReg: config.scoreReg });
    const paper = await stepOnce(plain);
    expect(conditional.terms.bce).toBe(paper.terms.bce);
    expect(conditional.terms.scoreReg).toBeGreaterThan(0);
    expect(conditional.terms.scoreReg).not.toBeCloseTo(paper.terms.scoreReg as number, 6);
  });
});
