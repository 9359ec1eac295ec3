// Forward + backward GFLOP/s of the ref-m dense layers: tfjs's built-in matMul gradient (which
// uses transposeA/transposeB) vs denseMatMul (explicit transpose + plain matMul).
import * as tf from '@tensorflow/tfjs-core';
import { denseMatMul, useTfjsBackend } from '@thaw/tfjs';

const B = 512;
// [k, n, count] per ref-m layer; the prediction module F runs twice per step (original + mixup).
const shapes = [
  [240, 240, 3, 'cross 240→240 ×3'],
  [240, 512, 1, 'deep 240→512'],
  [512, 256, 1, 'deep 512→256'],
  [128, 32, 1, 'residual 128→32'],
  [288, 128, 8, 'experts 288→128 ×4 ×2'],
  [288, 4, 6, 'gates 288→4 ×3 ×2'],
  [128, 64, 6, 'towers 128→64 ×3 ×2'],
  [64, 1, 6, 'towers 64→1 ×3 ×2'],
];

function timeIt(fn, minMs = 400) {
  for (let i = 0; i < 2; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    fn();
    n++;
  }
  return (performance.now() - t0) / n;
}

export async function benchDenseMatMul(backend) {
  const name = await useTfjsBackend({ prefer: backend });
  console.log(`dense matMul forward+backward, batch ${B}, tfjs backend '${name}'`);
  let totalNaive = 0;
  let totalFixed = 0;
  let totalFlops = 0;
  for (const [k, n, count, label] of shapes) {
    const x = tf.randomNormal([B, k]);
    const w = tf.randomNormal([k, n]);
    const run = (mm) => () => {
      const grads = tf.tidy(() => tf.grads((a, b) => tf.sum(mm(a, b)))([x, w]));
      // read one value so the (synchronous on wasm/cpu) work is really done
      grads[1].dataSync();
      tf.dispose(grads);
    };
    const naive = timeIt(run((a, b) => tf.matMul(a, b)));
    const fixed = timeIt(run(denseMatMul));
    const flops = 3 * 2 * B * k * n;
    totalNaive += naive * count;
    totalFixed += fixed * count;
    totalFlops += flops * count;
    console.log(
      `  ${label.padEnd(24)} naive ${naive.toFixed(2).padStart(7)} ms ${(flops / naive / 1e6).toFixed(1).padStart(6)} GFLOP/s | fixed ${fixed.toFixed(2).padStart(7)} ms ${(flops / fixed / 1e6).toFixed(1).padStart(6)} GFLOP/s`,
    );
    tf.dispose([x, w]);
  }
  console.log(
    `  all ref-m dense layers (one step): naive ${totalNaive.toFixed(1)} ms (${(totalFlops / totalNaive / 1e6).toFixed(1)} GFLOP/s), fixed ${totalFixed.toFixed(1)} ms (${(totalFlops / totalFixed / 1e6).toFixed(1)} GFLOP/s), ${(totalNaive / totalFixed).toFixed(2)}× faster`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDenseMatMul(process.argv[2] ?? 'wasm');
