// The "nothing traded for speed" check of issue 13: a fixed-seed run on the ref-m workload of
// train-throughput.mjs (model seed 0, the 8 random batches of seeds 0–7 cycled, 5 warm-up steps
// with seed 1, then N steps with seed 2) ends at the same loss, whichever engine trains.
// Usage: node bench/loss-2000.mjs [engine = auto] [steps = 2000] [history.json]
import { writeFileSync } from 'node:fs';
import { refMSpec as spec } from '@thaw/spec';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { randomFeatureBatch } from '@thaw/tfjs/testing';
import { train } from '../dist/index.js';

const engine = process.argv[2] ?? 'auto';
const steps = Number(process.argv[3] ?? 2000);
const out = process.argv[4];
await useTfjsBackend({ prefer: 'wasm' });
const model = buildModel(spec, { seed: 0 });
const pool = Array.from({ length: 8 }, (_, i) => randomFeatureBatch(spec, { size: spec.training.batchSize, seed: i }));
const cycle = (n) => Array.from({ length: n }, (_, i) => pool[i % pool.length]);
await train(model, cycle(5), { seed: 1, engine });
const result = await train(model, cycle(steps), { seed: 2, engine });
const totals = result.history.map((h) => h.total);
const tail = totals.slice(-100);
console.log(
  `${steps} steps on ${result.engine.name}: final loss ${totals.at(-1)?.toFixed(6)}, mean of the last ${tail.length} ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(6)}, final bce ${result.history.at(-1)?.bce.toFixed(6)} (${result.examplesPerSecond.toFixed(0)} ex/s)`,
);
if (out) writeFileSync(out, JSON.stringify(result.history.map((h) => [h.total, h.bce, h.mixup, h.scoreReg])));
