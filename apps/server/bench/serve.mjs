// bench:serve — thaw-serve on ref-m weights under autocannon (512-candidate requests on loopback),
// the raw onnxruntime run time of the same batch, and the PyTorch-exported ref-m graph
// (../shared/bench/torch_ref.py) timed on onnxruntime with the same inputs and threads.
//
// Run: npm run bench -w @thaw/server   (after a build). Env: BENCH_SECONDS (10), BENCH_CONNECTIONS (4),
// BENCH_THREADS (2), BENCH_ITEMS (100000), TORCH_REF (/work/shared/bench/torch_ref.py).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initParameters } from '@thaw/model';
import { exportOnnx } from '@thaw/onnx';
import { toOrtTensor } from '@thaw/onnx/ort';
import { ARTIFACT_FILES, readItemsTable, refMSpec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import autocannon from 'autocannon';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { FeedBuilder } from '../dist/feeds.js';
import { parseRankRequest, rankRequestSchema } from '../dist/rank-request.js';
import { refMItemsTable, refMRequestBodies } from './ref-m-workload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 4);
const threads = Number(process.env.BENCH_THREADS ?? 2);
const itemCount = Number(process.env.BENCH_ITEMS ?? 100_000);
const torchRef = process.env.TORCH_REF ?? '/work/shared/bench/torch_ref.py';
const BATCH = 512;
const spec = refMSpec;
const rng = createRng(7);
const loadStart = loadavg()[0];

const fmt = (x, digits = 2) => x.toFixed(digits);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. A ref-m artifacts directory: random-init weights, model.onnx, an items table.
const dir = await mkdtemp(join(tmpdir(), 'thaw-bench-serve-'));
const weights = initParameters(spec, 1);
const modelBytes = exportOnnx(spec, weights, { modelVersion: 'bench' });
await writeFile(join(dir, ARTIFACT_FILES.spec), JSON.stringify(spec));
await writeFile(join(dir, ARTIFACT_FILES.onnx), modelBytes);
const { itemIds, bytes: itemsBytes } = refMItemsTable(itemCount, rng);
await writeFile(join(dir, ARTIFACT_FILES.items), itemsBytes);
// artifacts.json as thaw-train writes it: thaw-serve checks every file it reads against it.
const entry = (bytes) => ({ bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
const specBytes = new TextEncoder().encode(JSON.stringify(spec));
await writeFile(join(dir, ARTIFACT_FILES.spec), specBytes);
await writeFile(
  join(dir, ARTIFACT_FILES.manifest),
  JSON.stringify({
    files: {
      [ARTIFACT_FILES.spec]: entry(specBytes),
      [ARTIFACT_FILES.onnx]: entry(modelBytes),
      [ARTIFACT_FILES.items]: entry(itemsBytes),
    },
  }),
);
console.log(
  `ref-m artifacts: model.onnx ${fmt(modelBytes.byteLength / 2 ** 20, 1)} MiB, items table ${itemCount} items ${fmt(itemsBytes.byteLength / 2 ** 20, 1)} MiB`,
);

// Request bodies: 512 candidates, ~10% unknown (cold) items, one 64-d user sequence each.
const bodies = refMRequestBodies(itemIds, rng, { batch: BATCH });
const payloads = bodies.map((b) => JSON.stringify(b));

// 2. thaw-serve under autocannon.
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const server = spawn(
  process.execPath,
  [join(here, '../dist/cli.js'), '--model', dir, '--port', String(port), '--threads', String(threads), '--log-level', 'warn'],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const base = `http://127.0.0.1:${port}`;
for (let k = 0; ; k++) {
  const ok = await fetch(`${base}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (k > 600) throw new Error('thaw-serve did not become ready');
  await new Promise((r) => setTimeout(r, 100));
}
await autocannon({
  url: `${base}/v1/rank`,
  method: 'POST',
  connections,
  duration: 2,
  headers: { 'content-type': 'application/json' },
  requests: payloads.map((body) => ({ body })),
});
const result = await autocannon({
  url: `${base}/v1/rank`,
  method: 'POST',
  connections,
  duration: seconds,
  headers: { 'content-type': 'application/json' },
  requests: payloads.map((body) => ({ body })),
});
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
const rps = result.requests.average;
console.log(
  `thaw-serve (HTTP, ${connections} connections, ${threads} ORT threads, ${seconds}s): ${fmt(rps, 1)} req/s = ${fmt(rps * BATCH, 0)} candidates/s; ` +
    `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; non-2xx ${result.non2xx}, errors ${result.errors}`,
);

// 3. Raw onnxruntime run of the same 512-candidate batch: our graph vs the PyTorch-exported one.
const items = readItemsTable(itemsBytes, spec);
const ourFeeds = Object.fromEntries(
  Object.entries(
    new FeedBuilder(spec, items).build(parseRankRequest(rankRequestSchema(spec), bodies[0], { maxCandidates: 2000 })).feeds,
  ).map(([n, t]) => [n, toOrtTensor(t)]),
);
const options = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
const ours = await InferenceSession.create(modelBytes, options);

let torch;
const torchOnnx = join(tmpdir(), 'torch_ref.onnx');
if (!existsSync(torchRef)) console.log(`torch-exported graph: skipped (${torchRef} not found)`);
else {
  const run = spawnSync('/usr/bin/python3', [torchRef, '1', torchOnnx], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.log(
      `torch-exported graph: not measured — ${torchRef} failed (python3-torch installed? apt-get install -y python3-torch):\n${run.stderr.trim().split('\n').slice(-3).join('\n')}`,
    );
  } else {
    console.log(run.stdout.trim().replace(/^/gm, '  torch_ref.py: '));
    torch = await InferenceSession.create(torchOnnx, options);
  }
}
// The same rows for the PyTorch graph: hist_dense, item_id, user_seq, content, cat_0..3.
const torchFeeds = torch && {
  hist: ourFeeds.hist_dense,
  ids: ourFeeds.item_id,
  user: ourFeeds.user_seq,
  content: ourFeeds.content,
  cats: (() => {
    const cats = new BigInt64Array(BATCH * 4);
    for (let i = 0; i < BATCH; i++)
      for (let c = 0; c < 4; c++) cats[i * 4 + c] = BigInt(Math.min(Number(ourFeeds[`cat_${c}`].data[i]), 999));
    return new Tensor('int64', cats, [BATCH, 4]);
  })(),
};

// Interleaved runs (ours, torch, ours, torch …) so both graphs see the same background load.
const runMs = async (session, feeds) => {
  const t0 = process.hrtime.bigint();
  await session.run(feeds);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
for (let k = 0; k < 20; k++) {
  await runMs(ours, ourFeeds);
  if (torch) await runMs(torch, torchFeeds);
}
const oursTimes = [];
const torchTimes = [];
const ratios = [];
for (let k = 0; k < 300; k++) {
  const a = await runMs(ours, ourFeeds);
  oursTimes.push(a);
  if (torch) {
    const b = await runMs(torch, torchFeeds);
    torchTimes.push(b);
    ratios.push(a / b);
  }
}
const oursMs = median(oursTimes);
console.log(
  `raw ORT run, thaw graph (${threads} threads, ${BATCH} candidates): median ${fmt(oursMs, 3)} ms = ${fmt((BATCH / oursMs) * 1000, 0)} candidates/s`,
);
console.log(
  `HTTP + JSON overhead: ${fmt(1000 / rps - oursMs, 2)} ms per request beyond the raw run (at ${connections} connections)`,
);
if (torch) {
  const torchMs = median(torchTimes);
  console.log(
    `raw ORT run, PyTorch-exported graph (same inputs, threads): median ${fmt(torchMs, 3)} ms = ${fmt((BATCH / torchMs) * 1000, 0)} candidates/s`,
  );
  console.log(
    `ratio ours/torch-exported run time: median of ${ratios.length} interleaved pairs ${fmt(median(ratios), 3)}, of medians ${fmt(oursMs / torchMs, 3)} (< 1 = ours faster)`,
  );
}
console.log(
  `load average (1 min) at start ${fmt(loadStart, 2)}, at end ${fmt(loadavg()[0], 2)} (2 cores; other processes share them)`,
);
await ours.release();
if (torch) await torch.release();
await rm(dir, { recursive: true, force: true });
