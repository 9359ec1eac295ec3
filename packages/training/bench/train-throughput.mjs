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

// torch_ref.py as it is, with `time.perf_counter` also noting the process CPU time (all threads,
// user + system) at each call: its first two calls bracket the timed training loop.
const torchCpuWrapper = `
import sys, time, runpy
marks = []
_perf = time.perf_counter
def perf():
    marks.append(time.process_time())
    return _perf()
time.perf_counter = perf
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
print(f"training loop CPU seconds: {marks[1] - marks[0]:.4f}" if len(marks) == 4 else f"training loop CPU seconds: unknown ({len(marks)} perf_counter calls)")
`;

/** PyTorch's ex/s and CPU seconds per step on `threads` threads, or a reason it could not run. */
function torchThroughput(threads) {
  if (!existsSync('/usr/bin/python3') || !existsSync(torchScript)) {
    return { skipped: `${existsSync('/usr/bin/python3') ? torchScript : '/usr/bin/python3'} not found` };
  }
  const run = spawnSync('/usr/bin/python3', ['-c', torchCpuWrapper, torchScript, String(threads)], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  const lines = (run.stdout ?? '').split('\n');
  const line = lines.find((l) => l.includes('train:'));
  const match = line?.match(/train: (\d+) ex\/s/);
  if (run.status !== 0 || !match) {
    const why = (run.stderr ?? '').includes("No module named 'torch'")
      ? 'python3-torch is not installed (apt-get install -y python3-torch)'
      : (run.stderr || run.error?.message || 'no output').trim().split('\n').pop();
    return { skipped: why };
  }
  // torch_ref.py times 60 steps of 512.
  const cpu = lines.find((l) => l.startsWith('training loop CPU seconds:'))?.match(/: ([\d.]+)$/);
  const exPerSecond = Number(match[1]);
  return { exPerSecond, cpuMsPerStep: cpu ? (1000 * Number(cpu[1])) / 60 : undefined, line: line.trim() };
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
    // CPU time (process-wide: onnxruntime's threads too) from the end of step 1 to the end of the last.
    let cpuAfterFirst;
    let cpuAtEnd;
    let done = 0;
    const result = await train(model, cycle(steps), {
      seed: 2,
      ...options,
      onStep: () => {
        done += 1;
        if (done === 1) cpuAfterFirst = process.cpuUsage();
        if (done === steps) cpuAtEnd = process.cpuUsage(cpuAfterFirst);
      },
    });
    const cpuMsPerStep = cpuAtEnd ? (cpuAtEnd.user + cpuAtEnd.system) / 1000 / (steps - 1) : undefined;
    ours.push({ label, exPerSecond: result.examplesPerSecond, cpuMsPerStep });
    console.log(
      `${label} train: ${result.examplesPerSecond.toFixed(0)} ex/s (${steps} steps of ${batchSize}, ${((1000 * result.seconds) / steps).toFixed(1)} ms/step, ${cpuMsPerStep?.toFixed(1) ?? '?'} ms CPU/step; loss ${result.history.at(-1)?.total.toFixed(4)}; engine ${result.engine.name}; tfjs tensors leaked: ${tf.memory().numTensors - tensorsBefore})`,
    );
    model.dispose();
  }

  const torch = [1, 2].map((threads) => ({ threads, ...torchThroughput(threads) }));
  for (const t of torch) {
    console.log(
      t.line
        ? `${t.line}, ${t.cpuMsPerStep?.toFixed(1) ?? '?'} ms CPU/step`
        : `PyTorch reference (${t.threads} thread(s)) skipped: ${t.skipped}`,
    );
  }
  const measured = torch.filter((t) => t.exPerSecond !== undefined);
  if (measured.length === 0) {
    console.log('only our figures are printed');
    return;
  }
  const best = measured.reduce((a, b) => (b.exPerSecond > a.exPerSecond ? b : a));
  // CPU time per step does not depend on how many other jobs share the cores: the steadier ratio.
  const cpuBest = measured
    .filter((t) => t.cpuMsPerStep !== undefined)
    .reduce((a, b) => (a === undefined || b.cpuMsPerStep < a.cpuMsPerStep ? b : a), undefined);
  for (const o of ours) {
    console.log(
      `ratio ${o.label} / PyTorch best (${best.threads} thread${best.threads > 1 ? 's' : ''}, same run): ${(o.exPerSecond / best.exPerSecond).toFixed(2)}× ex/s` +
        (cpuBest && o.cpuMsPerStep
          ? `; CPU per step PyTorch best (${cpuBest.threads} thread${cpuBest.threads > 1 ? 's' : ''}) / ours: ${(cpuBest.cpuMsPerStep / o.cpuMsPerStep).toFixed(2)}×`
          : ''),
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
