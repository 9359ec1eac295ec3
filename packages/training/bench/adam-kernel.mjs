// Adam over ref-m's parameters (3.9 M values) on the host: the WebAssembly SIMD kernel of the
// onnxruntime engine's optimizer against the float64 JavaScript loop it replaced, in the same run,
// with their largest disagreement after 5 steps.
// Usage: node bench/adam-kernel.mjs [repeats = 20]
import { loadavg } from 'node:os';
import { countParameters, refMSpec } from '@thaw/spec';
import { createAdamArena } from '../dist/onnx/adam-kernel.js';

/** The loop the kernel replaced (host-optimizer.ts before the kernel): float64 arithmetic per value. */
function adamLoop(p, m, v, g, n, k) {
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = k.b1 * m[i] + k.c1 * gi;
    const vi = k.b2 * v[i] + k.c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] - (k.stepSize * mi) / (Math.sqrt(vi) * k.invSqrtCorrection2 + k.eps);
  }
}
const constants = (t) => ({
  b1: 0.9,
  c1: 0.1,
  b2: 0.999,
  c2: 0.001,
  stepSize: 1e-3 / (1 - 0.9 ** t),
  invSqrtCorrection2: 1 / Math.sqrt(1 - 0.999 ** t),
  eps: 1e-8,
});

export function benchAdamKernel(repeats = 20) {
  const n = countParameters(refMSpec).total;
  const arena = createAdamArena(4 * n);
  const [p, g] = [0, 3 * n].map((at) => arena.floats.subarray(at, at + n));
  for (let i = 0; i < n; i++) {
    p[i] = Math.sin(i) * 0.05;
    g[i] = Math.cos(i) * 1e-2;
  }
  const plain = [p.slice(), new Float32Array(n), new Float32Array(n), g.slice()];
  for (let t = 1; t <= 5; t++) {
    arena.update(0, n, 2 * n, 3 * n, n, constants(t));
    adamLoop(...plain, n, constants(t));
  }
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(p[i] - plain[0][i]));
  const time = (run) => {
    run(6);
    const t0 = performance.now();
    for (let r = 0; r < repeats; r++) run(7 + r);
    return (performance.now() - t0) / repeats;
  };
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const kernel = time((t) => arena.update(0, n, 2 * n, 3 * n, n, constants(t)));
  const loop = time((t) => adamLoop(...plain, n, constants(t)));
  console.log(
    `Adam over ref-m's ${n.toLocaleString('en')} parameters: WebAssembly SIMD kernel ${kernel.toFixed(2)} ms, JavaScript float64 loop ${loop.toFixed(2)} ms (same run): ${(loop / kernel).toFixed(1)}× faster; largest parameter difference after 5 steps ${worst.toExponential(1)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) benchAdamKernel(Number(process.argv[2] ?? 20));
