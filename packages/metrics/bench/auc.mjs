// Times prAuc / rocAuc on 10 million scores (run after `npm run build`: `npm run bench`).
// Prints wall-clock figures; the target is < 5 s per call on the 2-core dev machine.
import { createRng } from '@thaw/tensor';
import { prAuc, rocAuc } from '../dist/index.js';

const n = Number(process.env.AUC_BENCH_N ?? 10_000_000);
const rng = createRng(1);
const labels = new Uint8Array(n);
const scores = new Float32Array(n);
const scores64 = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const label = rng.uniform() < 0.1 ? 1 : 0;
  labels[i] = label;
  // A sigmoid output: as float32 (tfjs / onnxruntime, with exact ties) and as float64 (JS numbers).
  scores64[i] = 1 / (1 + Math.exp(-(rng.normal() + 1.2 * label - 2)));
  scores[i] = scores64[i];
}

function time(name, fn) {
  const runs = [];
  let value = 0;
  for (let r = 0; r < 3; r++) {
    const start = process.hrtime.bigint();
    value = fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const best = Math.min(...runs);
  console.log(
    `${name.padEnd(14)} n=${n.toLocaleString('en-US')}  value=${value.toFixed(6)}  best ${best.toFixed(2)} s  (runs: ${runs.map((t) => t.toFixed(2)).join(', ')} s)`,
  );
}

time('prAuc  float32', () => prAuc(labels, scores));
time('rocAuc float32', () => rocAuc(labels, scores));
time('prAuc  float64', () => prAuc(labels, scores64));
time('rocAuc float64', () => rocAuc(labels, scores64));
