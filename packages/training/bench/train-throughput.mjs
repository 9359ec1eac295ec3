// Training throughput on the ref-m workload (design.md): batch 512, the full objective
// BCE + 0.2·mixup BCE + 0.1·ScoreReg, Adam 1e-3 — and, in the same run, the PyTorch reference
// ../shared/bench/torch_ref.py on one thread, with the ratio.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { countParameters, parameterOverhead, refMSpec } from '@thaw/spec';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { randomFeatureBatch } from '@thaw/tfjs/testing';
import { train } from '../dist/index.js';

const torchScript = fileURLToPath(new URL('../../../../shared/bench/torch_ref.py', import.meta.url));

export async function benchTrainThroughput(backend = 'wasm', steps = 30) {
  const name = await useTfjsBackend({ prefer: backend });
  const spec = refMSpec;
  const batchSize = spec.training.batchSize;
  const counts = countParameters(spec);
  const overhead = parameterOverhead(spec);
  console.log(
    `ref-m: ${counts.total.toLocaleString('en')} parameters (${counts.dense.toLocaleString('en')} dense); Residual adds ${overhead.residual.parameters.toLocaleString('en')} (+${overhead.residual.percentOfDense.toFixed(2)}% dense), an ALDI student ${overhead.aldi.parameters.toLocaleString('en')} (+${overhead.aldi.percentOfDense.toFixed(2)}% dense)`,
  );
  const model = buildModel(spec, { seed: 0 });
  // 8 pre-built batches cycled, as torch_ref.py does
  const pool = Array.from({ length: 8 }, (_, i) => randomFeatureBatch(spec, { size: batchSize, seed: i }));
  const cycle = (n) => Array.from({ length: n }, (_, i) => pool[i % pool.length]);
  await train(model, cycle(5), { seed: 1 }); // warm-up (kernel setup, first allocations)
  const tensorsBefore = tf.memory().numTensors;
  const result = await train(model, cycle(steps), { seed: 2 });
  const ours = result.examplesPerSecond;
  console.log(
    `thaw tfjs-${name} train: ${ours.toFixed(0)} ex/s (${steps} steps of ${batchSize}, ${((1000 * result.seconds) / steps).toFixed(1)} ms/step; loss ${result.history.at(-1)?.total.toFixed(4)}; tensors leaked: ${tf.memory().numTensors - tensorsBefore})`,
  );
  model.dispose();

  if (!existsSync('/usr/bin/python3') || !existsSync(torchScript)) {
    console.log(
      `PyTorch reference skipped: ${existsSync('/usr/bin/python3') ? torchScript : '/usr/bin/python3'} not found; only our figure is printed`,
    );
    return;
  }
  const run = spawnSync('/usr/bin/python3', [torchScript, '1'], { encoding: 'utf8', timeout: 600_000 });
  const line = (run.stdout ?? '').split('\n').find((l) => l.includes('train:'));
  const match = line?.match(/train: (\d+) ex\/s/);
  if (run.status !== 0 || !match) {
    const why = (run.stderr ?? '').includes("No module named 'torch'")
      ? 'python3-torch is not installed (apt-get install -y python3-torch)'
      : (run.stderr || run.error?.message || 'no output').trim().split('\n').pop();
    console.log(`PyTorch reference skipped: ${why}; only our figure is printed`);
    return;
  }
  const theirs = Number(match[1]);
  console.log(line.trim());
  console.log(`ratio thaw/torch (1 thread each, same run): ${(ours / theirs).toFixed(2)}×`);
}

if (import.meta.url === `file://${process.argv[1]}`)
  await benchTrainThroughput(process.argv[2] ?? 'wasm', Number(process.argv[3] ?? 30));
