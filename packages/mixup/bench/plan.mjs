// Cost of drawing a mixup plan (derangement + Beta λ) on the host, per training step.
// Run: npm run bench -w @thaw/mixup (after a build). Prints figures; asserts nothing.
import { createRng } from '@thaw/tensor';
import { createMixupPlan, randomDerangement, sampleBeta } from '../dist/index.js';

const rng = createRng(1);
const time = (label, reps, body) => {
  for (let i = 0; i < Math.min(reps, 100); i++) body();
  const start = performance.now();
  for (let i = 0; i < reps; i++) body();
  const micros = ((performance.now() - start) / reps) * 1000;
  console.log(`${label.padEnd(40)} ${micros.toFixed(2).padStart(9)} µs`);
};

time('sampleBeta(α = 0.4)', 200_000, () => sampleBeta(rng, 0.4));
time('sampleBeta(α = 2)', 200_000, () => sampleBeta(rng, 2));
for (const n of [64, 512, 4096]) time(`randomDerangement(n = ${n})`, n > 1000 ? 2_000 : 20_000, () => randomDerangement(rng, n));
time('createMixupPlan(512, per batch)', 20_000, () => createMixupPlan(512, { alpha: 0.4, rng }));
time('createMixupPlan(512, per sample)', 5_000, () => createMixupPlan(512, { alpha: 0.4, rng, perSample: true }));
