// Training throughput on the ref-m workload (design.md): batch 512, the full objective
// BCE + 0.2·mixup BCE + 0.1·ScoreReg, Adam 1e-3 — thaw's two engines (tfjs on the given tfjs
// backend; onnxruntime on 1 and 2 threads) and, in the same invocation, the PyTorch reference
// ../shared/bench/torch_ref.py on 1 and 2 threads, with every ratio to the best PyTorch figure.
// Usage: node bench/train-throughput.mjs [tfjs backend = wasm] [steps = 30]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { countParameters, parameterOverhead, refMSpec } from '@thaw/spec';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { randomFeatureBatch } from '@thaw/tfjs/testing';
import { train } from '../dist/index.js';

const torchScript = fileURLToPath(new URL('../../../../shared/bench/torch_ref.py', import.meta.url));

/** PyTorch's ex/s on `threads` threads, or a reason it could not run. */
function torchThroughput(threads) {
  if (!existsSync('/usr/bin/python3') || !existsSync(torchScript)) {
    return { skipped: `${existsSync('/usr/bin/python3') ? torchScript : '/usr/bin/python3'} not found` };
  }
  const run = spawnSync('/usr/bin/python3', [torchScript, String(threads)], { encoding: 'utf8', timeout: 900_000 });
  const line = (run.stdout ?? '').split('\n').find((l) => l.includes('train:'));
  const match = line?.match(/train: (\d+) ex\/s/);
  if (run.status !== 0 || !match) {
    const why = (run.stderr ?? '').includes("No module named 'torch'")
      ? 'python3-torch is not installed (apt-get install -y python3-torch)'
      : (run.stderr || run.error?.message || 'no output').trim().split('\n').pop();
    return { skipped: why };
  }
  return { exPerSecond: Number(match[1]), line: line.trim() };
}

export async function benchTrainThroughput(backend = 'wasm', steps = 30) {
  const name = await useTfjsBackend({ prefer: backend });
  const spec = refMSpec;
  const batchSize = spec.training.batchSize;
  const counts = countParameters(spec);
  const overhead = parameterOverhead(spec);
  console.log(
    `ref-m: ${counts.total.toLocaleString('en')} parameters (${counts.dense.toLocaleString('en')} dense); Residual adds ${overhead.residual.parameters.toLocaleString('en')} (+${overhead.residual.percentOfDense.toFixed(2)}% dense), an ALDI student ${overhead.aldi.parameters.toLocaleString('en')} (+${overhead.aldi.percentOfDense.toFixed(2)}% dense)`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (shared machine: compare ratios from one run only)`,
  );
  // 8 pre-built batches cycled, as torch_ref.py does
  const pool = Array.from({ length: 8 }, (_, i) => randomFeatureBatch(spec, { size: batchSize, seed: i }));
  const cycle = (n) => Array.from({ length: n }, (_, i) => pool[i % pool.length]);
  const ours = [];
  const engines = [
    { label: `thaw tfjs-${name}`, options: { engine: 'tfjs' } },
    { label: 'thaw onnxruntime, 1 thread', options: { engine: 'onnxruntime', onnxruntime: { threads: 1 } } },
    { label: 'thaw onnxruntime, 2 threads', options: { engine: 'onnxruntime', onnxruntime: { threads: 2 } } },
  ];
  for (const { label, options } of engines) {
    const model = buildModel(spec, { seed: 0 });
    await train(model, cycle(5), { seed: 1, ...options }); // warm-up (kernel setup, first allocations)
    const tensorsBefore = tf.memory().numTensors;
    // train() builds its engine (graph, session) before its clock starts: this is the steps alone.
    const result = await train(model, cycle(steps), { seed: 2, ...options });
    ours.push({ label, exPerSecond: result.examplesPerSecond });
    console.log(
      `${label} train: ${result.examplesPerSecond.toFixed(0)} ex/s (${steps} steps of ${batchSize}, ${((1000 * result.seconds) / steps).toFixed(1)} ms/step; loss ${result.history.at(-1)?.total.toFixed(4)}; engine ${result.engine.name}; tfjs tensors leaked: ${tf.memory().numTensors - tensorsBefore})`,
    );
    model.dispose();
  }

  const torch = [1, 2].map((threads) => ({ threads, ...torchThroughput(threads) }));
  for (const t of torch) console.log(t.line ?? `PyTorch reference (${t.threads} thread(s)) skipped: ${t.skipped}`);
  const measured = torch.filter((t) => t.exPerSecond !== undefined);
  if (measured.length === 0) {
    console.log('only our figures are printed');
    return;
  }
  const best = measured.reduce((a, b) => (b.exPerSecond > a.exPerSecond ? b : a));
  for (const o of ours) {
    console.log(
      `ratio ${o.label} / PyTorch best (${best.threads} thread${best.threads > 1 ? 's' : ''}, same run): ${(o.exPerSecond / best.exPerSecond).toFixed(2)}×`,
    );
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`)
  await benchTrainThroughput(process.argv[2] ?? 'wasm', Number(process.argv[3] ?? 30));
