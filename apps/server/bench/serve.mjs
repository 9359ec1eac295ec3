// bench:serve — thaw-serve on ref-m weights, every figure a ratio to a reference measured in the same run:
// 1. our graph vs the PyTorch-exported ref-m graph (../shared/bench/torch_ref.py) on onnxruntime, same
//    inputs and options, interleaved run by run: wall time (BENCH_THREADS threads) and CPU time (1 thread,
//    robust on a shared machine); also our graph without thaw's graph passes (optimize: false);
// 2. thaw-serve over HTTP (autocannon, BENCH_CONNECTIONS connections, 512-candidate requests) vs raw
//    onnxruntime runs of the same batch at the same concurrency and session options, in alternating phases
//    (raw, HTTP, raw, HTTP, …): throughput ratio (target ≥ 0.9; median of the phase pairs' ratios) and HTTP
//    p99 / raw median (target ≤ 2), at BENCH_THREADS intra-op threads and again at 1;
// 3. where the request path spends its CPU outside onnxruntime, per stage, as a share of one raw run's CPU.
//
// Run: npm run bench:serve (builds), or node bench/serve.mjs after a build. Env: BENCH_SECONDS (4 per
// phase), BENCH_ROUNDS (4 phase pairs), BENCH_CONNECTIONS (4), BENCH_THREADS (2), BENCH_ITEMS (100000),
// BENCH_PAIRS (200),
// BENCH_SPIN_WAIT (0; 1 = onnxruntime threads spin, raw and thaw-serve --spin-wait), TORCH_REF
// (/work/shared/bench/torch_ref.py).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
import fastJson from 'fast-json-stringify';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { FeedBuilder } from '../dist/feeds.js';
import { parseJsonBody } from '../dist/json-body.js';
import { parseRankRequest, rankRequestSchema } from '../dist/rank-request.js';
import { rankResponseSchema } from '../dist/rank-response-schema.js';
import { onnxSessionOptions } from '../dist/session-options.js';
import { topKIndices } from '../dist/top-k.js';
import { refMItemsTable, refMRequestBodies } from './ref-m-workload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 4);
const threads = Number(process.env.BENCH_THREADS ?? 2);
const itemCount = Number(process.env.BENCH_ITEMS ?? 100_000);
const pairs = Number(process.env.BENCH_PAIRS ?? 200);
const torchRef = process.env.TORCH_REF ?? '/work/shared/bench/torch_ref.py';
const BATCH = 512;
const spec = refMSpec;
const rng = createRng(7);
const loadStart = loadavg();

const fmt = (x, digits = 2) => x.toFixed(digits);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const sha = (bytes) => ({ bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });

// ── A ref-m artifacts directory: random-init weights, model.onnx, an items table, artifacts.json.
const dir = await mkdtemp(join(tmpdir(), 'thaw-bench-serve-'));
const weights = initParameters(spec, 1);
const modelBytes = exportOnnx(spec, weights, { modelVersion: 'bench' });
const plainBytes = exportOnnx(spec, weights, { modelVersion: 'bench', optimize: false });
const specBytes = new TextEncoder().encode(JSON.stringify(spec));
const { itemIds, bytes: itemsBytes } = refMItemsTable(itemCount, rng);
await writeFile(join(dir, ARTIFACT_FILES.spec), specBytes);
await writeFile(join(dir, ARTIFACT_FILES.onnx), modelBytes);
await writeFile(join(dir, ARTIFACT_FILES.items), itemsBytes);
await writeFile(
  join(dir, ARTIFACT_FILES.manifest),
  JSON.stringify({
    files: {
      [ARTIFACT_FILES.spec]: sha(specBytes),
      [ARTIFACT_FILES.onnx]: sha(modelBytes),
      [ARTIFACT_FILES.items]: sha(itemsBytes),
    },
  }),
);
console.log(
  `ref-m artifacts: model.onnx ${fmt(modelBytes.byteLength / 2 ** 20, 1)} MiB, items table ${itemCount} items ${fmt(itemsBytes.byteLength / 2 ** 20, 1)} MiB`,
);
const bodies = refMRequestBodies(itemIds, rng, { batch: BATCH });
const payloads = bodies.map((b) => JSON.stringify(b));
const items = readItemsTable(itemsBytes, spec);
const schema = rankRequestSchema(spec);
const builder = new FeedBuilder(spec, items);
const limits = { maxCandidates: 2000 };
const ourFeeds = Object.fromEntries(
  Object.entries(builder.build(parseRankRequest(schema, bodies[0], limits)).feeds).map(([n, t]) => [n, toOrtTensor(t)]),
);
// The server's own session options (intra-op threads sleep while waiting unless BENCH_SPIN_WAIT=1, which
// also starts thaw-serve with --spin-wait): raw runs and thaw-serve always run the same configuration.
const spinWait = process.env.BENCH_SPIN_WAIT === '1';
const sessionOptions = (n) => onnxSessionOptions(n, spinWait);

// ── 1. Graph vs the PyTorch-exported one.
let torchOnnx;
if (!existsSync(torchRef)) console.log(`torch-exported graph: skipped (${torchRef} not found)`);
else {
  torchOnnx = join(dir, 'torch_ref.onnx');
  const run = spawnSync('/usr/bin/python3', [torchRef, '1', torchOnnx], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.log(
      `torch-exported graph: not measured — ${torchRef} failed (python3-torch installed? apt-get install -y python3-torch):\n${run.stderr.trim().split('\n').slice(-3).join('\n')}`,
    );
    torchOnnx = undefined;
  }
}
// The same rows for the PyTorch graph: hist, ids, user, content, cats [N, 4].
const torchFeeds = {
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
const wallMs = async (session, feeds) => {
  const t0 = process.hrtime.bigint();
  await session.run(feeds);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const cpuMs = async (session, feeds) => {
  const c0 = process.cpuUsage();
  await session.run(feeds);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
/** Interleaved runs of every graph (one of each per round), `pairs` rounds after 20 warm-up rounds. */
async function interleaved(graphs, measure, n) {
  const sessions = [];
  for (const g of graphs) sessions.push(await InferenceSession.create(g.bytes, sessionOptions(n)));
  const times = graphs.map(() => []);
  for (let k = 0; k < 20 + pairs; k++) {
    for (const [i, g] of graphs.entries()) {
      const t = await measure(sessions[i], g.feeds);
      if (k >= 20) times[i].push(t);
    }
  }
  for (const s of sessions) await s.release();
  return times;
}
const graphs = [
  { name: 'thaw graph', bytes: modelBytes, feeds: ourFeeds },
  { name: 'thaw graph, passes off', bytes: plainBytes, feeds: ourFeeds },
  ...(torchOnnx ? [{ name: 'PyTorch-exported graph', bytes: torchOnnx, feeds: torchFeeds }] : []),
];
let rawSingleMs;
let rawCpuMs;
for (const [label, measure, n] of [
  [`wall time, ${threads} threads`, wallMs, threads],
  ['CPU time, 1 thread', cpuMs, 1],
]) {
  const times = await interleaved(graphs, measure, n);
  if (measure === wallMs) rawSingleMs = median(times[0]);
  else rawCpuMs = median(times[0]);
  const ref = times.at(-1);
  const line = graphs
    .map((g, i) => {
      const ratio = torchOnnx ? ` (×${fmt(median(times[i].map((t, k) => t / ref[k])), 3)})` : '';
      return `${g.name} ${fmt(median(times[i]), 3)} ms${ratio}`;
    })
    .join(', ');
  console.log(`raw ORT run, ${BATCH} candidates, ${label}, median of ${pairs} interleaved rounds: ${line}`);
}
if (torchOnnx)
  console.log('  (×r: median over rounds of the run-time ratio to the PyTorch-exported graph in the same round; < 1 = faster)');

// ── 2. HTTP vs raw runs at the same concurrency and the same session configuration, in alternating
// phases (raw, HTTP, raw, HTTP, …): a phase pair's ratio compares neighbouring seconds, so the drift of a
// shared machine between rounds cancels. Run at BENCH_THREADS intra-op threads and, when that is more
// than 1, again at 1 thread: on a machine with BENCH_THREADS cores the first leaves the request path no
// core of its own (its CPU comes out of onnxruntime's), the second does.
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
/** CPU seconds (user + system) of process `pid` so far, all threads and its main thread, from /proc (Linux). */
const processCpu = (pid) => {
  const ticks = (path) => {
    const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  };
  try {
    return { all: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return undefined;
  }
};
/** thaw-serve vs raw runs with `n` intra-op threads: `rounds` phase pairs of `seconds` each. */
async function httpVsRaw(n) {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      join(here, '../dist/cli.js'),
      '--model',
      dir,
      '--port',
      String(port),
      '--threads',
      String(n),
      '--log-level',
      'warn',
      ...(spinWait ? ['--spin-wait'] : []),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
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
  /** autocannon for `duration` s, with every response's latency (ms) for pooled quantiles. */
  const http = async (duration) => {
    const latencies = [];
    const instance = autocannon({
      url: `${base}/v1/rank`,
      method: 'POST',
      connections,
      duration,
      headers: { 'content-type': 'application/json' },
      requests: payloads.map((body) => ({ body })),
    });
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    return { ...(await instance), latencies };
  };
  const rawSession = await InferenceSession.create(modelBytes, sessionOptions(n));
  /** `connections` loops of session.run for `duration` s: runs/s and each run's latency (queueing included). */
  async function raw(duration) {
    const latencies = [];
    const end = performance.now() + duration * 1000;
    const loop = async () => {
      while (performance.now() < end) latencies.push(await wallMs(rawSession, ourFeeds));
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: connections }, loop));
    const elapsed = (performance.now() - t0) / 1000;
    return { rps: latencies.length / elapsed, latencies, elapsed };
  }
  /** `fn()` with the CPU it cost this process (bench + autocannon, or the raw runs) and the server process. */
  async function withCpu(fn) {
    const c0 = process.cpuUsage();
    const s0 = processCpu(server.pid);
    const result = await fn();
    const c = process.cpuUsage(c0);
    const s1 = processCpu(server.pid);
    const known = s0 !== undefined && s1 !== undefined;
    return {
      ...result,
      benchCpu: (c.user + c.system) / 1e6,
      serverCpu: known ? s1.all - s0.all : undefined,
      serverMainCpu: known ? s1.main - s0.main : undefined,
    };
  }
  await http(2);
  await raw(1);
  const phases = { raw: [], http: [] };
  for (let round = 0; round < rounds; round++) {
    phases.raw.push(await withCpu(() => raw(seconds)));
    phases.http.push(await withCpu(() => http(seconds)));
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  await rawSession.release();
  return phases;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const threadSettings = threads > 1 ? [threads, 1] : [threads];
for (const n of threadSettings) {
  const phases = await httpVsRaw(n);
  const httpRps = (p) => p.requests.total / p.duration;
  const pairRatios = phases.http.map((p, k) => httpRps(p) / phases.raw[k].rps);
  const rawRps = phases.raw.reduce((s, p) => s + p.latencies.length, 0) / phases.raw.reduce((s, p) => s + p.elapsed, 0);
  const httpTotal = phases.http.reduce((s, p) => s + p.requests.total, 0) / phases.http.reduce((s, p) => s + p.duration, 0);
  const rawLatencies = phases.raw.flatMap((p) => p.latencies);
  const rawMedian = median(rawLatencies);
  const httpLatencies = phases.http.flatMap((p) => p.latencies);
  const httpP50 = median(httpLatencies);
  const httpP99 = quantile(httpLatencies, 0.99);
  const errors = phases.http.reduce((s, p) => s + p.errors + p.non2xx, 0);
  const ratio = median(pairRatios);
  const ratioRange = `${fmt(Math.min(...pairRatios), 3)}–${fmt(Math.max(...pairRatios), 3)}`;
  console.log(
    `onnxruntime ${n} intra-op thread${n > 1 ? 's' : ''}${n === 1 && threads > 1 ? ' (the request path has a core onnxruntime does not use)' : ''}, ${connections} concurrent requests, ${rounds} rounds of (raw ${seconds} s, HTTP ${seconds} s):`,
  );
  console.log(
    `  raw ORT runs: ${fmt(rawRps, 1)} runs/s = ${fmt(rawRps * BATCH, 0)} candidates/s; per-run latency median ${fmt(rawMedian, 1)} ms, p99 ${fmt(quantile(rawLatencies, 0.99), 1)} ms`,
  );
  console.log(
    `  thaw-serve over HTTP: ${fmt(httpTotal, 1)} req/s = ${fmt(httpTotal * BATCH, 0)} candidates/s; p50 ${fmt(httpP50, 1)} ms, p99 ${fmt(httpP99, 1)} ms (all ${rounds} phases' responses); errors + non-2xx ${errors}`,
  );
  console.log(
    `  throughput HTTP / raw: ${fmt(ratio, 3)} (median of the ${rounds} rounds' ratios, range ${ratioRange}; pooled ${fmt(httpTotal / rawRps, 3)}) (target ≥ 0.9: ${ratio >= 0.9 ? 'met' : 'NOT met'})`,
  );
  const rawTail = quantile(rawLatencies, 0.99) / rawMedian;
  console.log(
    `  p99 HTTP / raw median: ${fmt(httpP99 / rawMedian, 3)} (target ≤ 2: ${httpP99 / rawMedian <= 2 ? 'met' : 'NOT met'})${n === threads ? `; p99 HTTP / one raw run alone: ${fmt(httpP99 / rawSingleMs, 2)}` : ''}; the machine's own tail, raw p99 / raw median: ${fmt(rawTail, 3)}${rawTail > 2 ? ' (above 2: the p99 target is out of reach here whatever the server does)' : ''}`,
  );
  // Where the CPU goes, per request (HTTP) or per run (raw), on this machine's cores: a request costs the
  // server's run + request path, and the client (autocannon, in this process) its own share. When the
  // cores are the limit, throughput HTTP / raw ≈ raw CPU per run / (server + client CPU per request).
  const perReq = (list, key, count) => (1000 * list.reduce((s, p) => s + (p[key] ?? Number.NaN), 0)) / count;
  const rawRuns = phases.raw.reduce((s, p) => s + p.latencies.length, 0);
  const httpRequests = phases.http.reduce((s, p) => s + p.requests.total, 0);
  const rawCpuPerRun = perReq(phases.raw, 'benchCpu', rawRuns);
  const serverCpuPerRequest = perReq(phases.http, 'serverCpu', httpRequests);
  const clientCpuPerRequest = perReq(phases.http, 'benchCpu', httpRequests);
  const serverMainPerRequest = perReq(phases.http, 'serverMainCpu', httpRequests);
  console.log(
    `  CPU per unit of work (all threads): raw ${fmt(rawCpuPerRun, 2)} ms per run; HTTP: server ${fmt(serverCpuPerRequest, 2)} ms (main thread ${fmt(serverMainPerRequest, 2)} ms, other threads ${fmt(serverCpuPerRequest - serverMainPerRequest, 2)} ms) + client (autocannon, same machine) ${fmt(clientCpuPerRequest, 2)} ms per request; raw / (server + client) = ${fmt(rawCpuPerRun / (serverCpuPerRequest + clientCpuPerRequest), 3)}; cores busy: raw ${fmt((rawRps * rawCpuPerRun) / 1000, 2)}, HTTP ${fmt((httpTotal * (serverCpuPerRequest + clientCpuPerRequest)) / 1000, 2)}`,
  );
}

// ── 3. The request path outside onnxruntime, per stage (CPU µs, median of 1000), as a share of the CPU time
// of one raw run (1 thread): on a shared machine CPU time is comparable, wall time is not.
const serialize = fastJson(rankResponseSchema);
const scores = Float32Array.from({ length: BATCH }, () => rng.uniform());
const response = {
  model: { name: 'ref-m', version: 'bench', specHash: 'x' },
  items: topKIndices(scores, 25).map((i) => ({
    itemId: itemIds[i],
    score: scores[i],
    tasks: { grid_click: scores[i], save: scores[i], click: scores[i] },
    cold: false,
  })),
};
const parsedBodies = payloads.map((p) => parseJsonBody(p));
const requests = parsedBodies.map((b) => parseRankRequest(schema, b, limits));
function cpuMedianUs(fn, runs = 1000) {
  for (let k = 0; k < 200; k++) fn(k);
  const t = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    fn(k);
    const c = process.cpuUsage(c0);
    t.push(c.user + c.system);
  }
  return median(t);
}
const stages = [
  ['JSON body parse (parseJsonBody)', (k) => parseJsonBody(payloads[k % 8])],
  ['parseRankRequest', (k) => parseRankRequest(schema, parsedBodies[k % 8], limits)],
  ['FeedBuilder.build', (k) => builder.build(requests[k % 8])],
  ['top-25 selection', () => topKIndices(scores, 25)],
  ['response serialisation (fast-json-stringify)', () => serialize(response)],
];
let total = 0;
for (const [label, fn] of stages) {
  const us = cpuMedianUs(fn);
  total += us;
  console.log(`  ${label}: ${fmt(us, 0)} µs CPU = ${fmt((100 * us) / 1000 / rawCpuMs, 1)}% of one raw run's CPU`);
}
console.log(
  `  request path total ${fmt(total, 0)} µs CPU = ${fmt((100 * total) / 1000 / rawCpuMs, 1)}% of one raw run's CPU (${fmt(rawCpuMs, 2)} ms, 1 thread)`,
);
console.log(
  `load average (1, 5, 15 min) at start ${loadStart.map((x) => fmt(x, 2)).join(', ')}; at end ${loadavg()
    .map((x) => fmt(x, 2))
    .join(', ')} (2 cores; other processes share them)`,
);
await rm(dir, { recursive: true, force: true });
