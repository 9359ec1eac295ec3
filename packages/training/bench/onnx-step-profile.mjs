// Where one ref-m step of the onnxruntime engine goes (the profile table of the README): onnxruntime's
// own per-node profile of the training graph on 1 thread, grouped by operator type, and the host
// parts timed alone — Adam over every parameter and the row gathers.
// Usage: node bench/onnx-step-profile.mjs [profiled steps = 10]
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawObjectiveRandomness, initParameters, objectiveConfigFromSpec } from '@thaw/model';
import { refMSpec as spec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { createOptimizer, useTfjsBackend } from '@thaw/tfjs';
import { randomFeatureBatch } from '@thaw/tfjs/testing';
import * as ort from 'onnxruntime-node';
import { buildTrainingGraph, createHostOptimizer, TRAINING_GRAPH_NAMES as N } from '../dist/index.js';

const cpuMs = (since, repeats) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000 / repeats;
};

export async function benchOnnxStepProfile(repeats = 10) {
  await useTfjsBackend({ prefer: 'cpu' });
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const config = objectiveConfigFromSpec(spec);
  const graph = buildTrainingGraph(spec, config);
  const dir = tmpdir();
  const prefix = join(dir, `thaw-onnx-step-${process.pid}`);
  const session = await ort.InferenceSession.create(graph.model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  const n = spec.training.batchSize;
  const init = initParameters(spec, 0);
  const batch = randomFeatureBatch(spec, { size: n, seed: 0 });
  const rng = createRng(1);
  const feeds = {};
  for (const name of graph.params)
    feeds[N.param(name)] = new ort.Tensor('float32', Float32Array.from(init[name].data), init[name].shape);
  for (const t of graph.tables) {
    feeds[N.rows(t.name)] = new ort.Tensor(
      'float32',
      Float32Array.from({ length: n * t.width }, () => rng.normal() * 0.01),
      [n, t.width],
    );
  }
  feeds[N.rowIndex] = new ort.Tensor(
    'int32',
    Int32Array.from({ length: n }, (_, i) => i),
    [n],
  );
  for (const f of graph.denseFeatures)
    feeds[N.feature(f.name)] = new ort.Tensor('float32', batch.features[f.name].data, [n, f.dim]);
  feeds[N.labels] = new ort.Tensor('float32', batch.labels.data, batch.labels.shape);
  feeds[N.isCold] = new ort.Tensor('float32', batch.isCold.data, [n]);
  const draws = drawObjectiveRandomness(createRng(2), n, config);
  feeds[N.mixupPartner] = new ort.Tensor('int32', draws.mixupPlan.partner, [n]);
  feeds[N.mixupLambda] = new ort.Tensor('float32', Float32Array.of(draws.mixupPlan.lambda), []);
  feeds[N.mixupOther] = new ort.Tensor('float32', Float32Array.of(1 - draws.mixupPlan.lambda), []);
  const warmup = 3;
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const c0 = process.cpuUsage();
  for (let i = 0; i < repeats; i++) await session.run(feeds);
  const runCpu = cpuMs(c0, repeats);
  session.endProfiling(); // writes <prefix>_<date>.json
  await session.release();
  const base = prefix.split('/').at(-1);
  const file = join(dir, readdirSync(dir).find((f) => f.startsWith(base)) ?? `${base} (no profile written)`);
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  const byType = new Map();
  let nodes = 0;
  for (const e of profile.filter((x) => x.cat === 'Node' && x.name.endsWith('_kernel_time'))) {
    const v = byType.get(e.args.op_name) ?? { us: 0, n: 0 };
    v.us += e.dur;
    v.n += 1;
    byType.set(e.args.op_name, v);
    nodes++;
  }
  const runs = warmup + repeats;
  const total = [...byType.values()].reduce((s, v) => s + v.us, 0) / runs;
  console.log(
    `session.run of the training graph: ${runCpu.toFixed(1)} ms CPU per step (1 thread, profiling on); ${Math.round(nodes / runs)} node runs, ${(total / 1000).toFixed(1)} ms in nodes`,
  );
  console.log('| operator | ms/step | share | nodes |');
  console.log('|---|---:|---:|---:|');
  for (const [op, v] of [...byType.entries()].sort((a, b) => b[1].us - a[1].us).slice(0, 10)) {
    console.log(
      `| ${op} | ${(v.us / runs / 1000).toFixed(2)} | ${((100 * v.us) / runs / total).toFixed(1)}% | ${Math.round(v.n / runs)} |`,
    );
  }
  // Host parts: Adam with the batch's table rows as gradients (as the engine gives them), and the gathers.
  const params = Object.entries(init).map(([name, t]) => ({ name, shape: t.shape, values: t.data }));
  const gradients = new Map(
    params.map((p) => {
      const table = graph.tables.find((t) => t.name === p.name);
      if (table)
        return [
          p.name,
          { kind: 'rows', rows: batch.features[table.feature].data, values: new Float32Array(n * table.width).fill(1e-3) },
        ];
      return [p.name, { kind: 'dense', values: new Float32Array(p.values.length).fill(1e-3) }];
    }),
  );
  const optimizer = createHostOptimizer(params, createOptimizer().config);
  for (let i = 0; i < warmup; i++) optimizer.apply(gradients);
  const a0 = process.cpuUsage();
  for (let i = 0; i < repeats; i++) optimizer.apply(gradients);
  console.log(
    `host Adam (dense, the default), gradients copied in and table rows added up: ${cpuMs(a0, repeats).toFixed(1)} ms CPU per step`,
  );
  const g0 = process.cpuUsage();
  for (let i = 0; i < repeats; i++) {
    for (const t of graph.tables) {
      const ids = batch.features[t.feature].data;
      const values = init[t.name].data;
      const out = new Float32Array(n * t.width);
      for (let r = 0; r < n; r++) out.set(values.subarray(ids[r] * t.width, (ids[r] + 1) * t.width), r * t.width);
    }
  }
  console.log(`host row gathers of ${graph.tables.length} tables: ${cpuMs(g0, repeats).toFixed(2)} ms CPU per step`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOnnxStepProfile(Number(process.argv[2] ?? 10));
