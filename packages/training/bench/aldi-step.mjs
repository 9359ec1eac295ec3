// Training-step time of the ALDI baseline on ref-m (batch 512): the joint stage (eq 11 + the
// student's distillation loss) and the student stage (only the student trains), next to the plain
// eq 11 step. The ALDI loss runs interact/predict on frozen copies of their parameters only (not
// the embedding tables), and the student stage skips the eq 11 mixup pass it would discard.
import * as tf from '@tensorflow/tfjs-core';
import { refMSpec, validateSpec } from '@thaw/spec';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { randomFeatureBatch } from '@thaw/tfjs/testing';
import { train } from '../dist/index.js';

export async function benchAldiStep(backend = 'wasm', steps = 10) {
  const name = await useTfjsBackend({ prefer: backend });
  const spec = validateSpec(
    { ...refMSpec, coldStart: { ...refMSpec.coldStart, aldi: { ...refMSpec.coldStart.aldi, enabled: true } } },
    'ref-m + ALDI',
  );
  const size = spec.training.batchSize;
  const pool = Array.from({ length: 4 }, (_, i) => randomFeatureBatch(spec, { size, seed: i, coldFraction: 0.2 }));
  const cycle = (n) => Array.from({ length: n }, (_, i) => pool[i % pool.length]);
  const model = buildModel(spec, { seed: 0 });
  const cases = [
    ['eq 11 only (ALDI off)', { lambda1: 0.2 }, refMSpec],
    ['ALDI joint', { aldiStage: 'joint' }, spec],
    ['ALDI student stage', { aldiStage: 'student' }, spec],
  ];
  const plain = buildModel(refMSpec, { seed: 0 });
  for (const [label, options, s] of cases) {
    const m = s === spec ? model : plain;
    await train(m, cycle(2), { seed: 1, ...options }); // warm-up
    const before = tf.memory().numTensors;
    const result = await train(m, cycle(steps), { seed: 2, ...options });
    console.log(
      `ref-m tfjs-${name} ${label}: ${((1000 * result.seconds) / steps).toFixed(1)} ms/step (${steps} steps of ${size}; tensors leaked: ${tf.memory().numTensors - before})`,
    );
  }
  model.dispose();
  plain.dispose();
}

if (import.meta.url === `file://${process.argv[1]}`)
  await benchAldiStep(process.argv[2] ?? 'wasm', Number(process.argv[3] ?? 10));
