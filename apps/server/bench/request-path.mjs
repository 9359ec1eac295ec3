// The per-request CPU path of POST /v1/rank before onnxruntime runs: parseRankRequest + FeedBuilder.build
// for 512-candidate ref-m requests (~10% unknown items) against a 100,000-item table, and the top-25 selection.
//
// Run: npm run bench -w @thaw/server (after a build), or node bench/request-path.mjs. Env: BENCH_ITEMS (100000).
import { readItemsTable, refMSpec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { FeedBuilder } from '../dist/feeds.js';
import { parseRankRequest, rankRequestSchema } from '../dist/rank-request.js';
import { topKIndices } from '../dist/top-k.js';
import { refMItemsTable, refMRequestBodies } from './ref-m-workload.mjs';

const spec = refMSpec;
const itemCount = Number(process.env.BENCH_ITEMS ?? 100_000);
const BATCH = 512;
const rng = createRng(7);
const { itemIds, bytes } = refMItemsTable(itemCount, rng);
const items = readItemsTable(bytes, spec);
// Bodies as fastify hands them over (parsed JSON).
const bodies = refMRequestBodies(itemIds, rng, { batch: BATCH }).map((b) => JSON.parse(JSON.stringify(b)));
const scores = Array.from({ length: 8 }, () => Float32Array.from({ length: BATCH }, () => rng.uniform()));

const schema = rankRequestSchema(spec);
const builder = new FeedBuilder(spec, items);
const limits = { maxCandidates: 2000 };

/** Median and p90 in µs of `runs` calls of `fn(k)`, after as many warm-up calls. */
function time(fn, runs = 2000) {
  for (let k = 0; k < runs; k++) fn(k);
  const t = new Float64Array(runs);
  for (let k = 0; k < runs; k++) {
    const t0 = process.hrtime.bigint();
    fn(k);
    t[k] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  t.sort();
  return { median: t[runs >> 1], p90: t[Math.floor(runs * 0.9)] };
}
const show = (label, { median, p90 }) => console.log(`${label}: median ${median.toFixed(1)} µs, p90 ${p90.toFixed(1)} µs`);

show(
  `parseRankRequest + FeedBuilder.build (ref-m, ${BATCH} candidates)`,
  time((k) => builder.build(parseRankRequest(schema, bodies[k % 8], limits))),
);
show(
  `  parseRankRequest alone`,
  time((k) => parseRankRequest(schema, bodies[k % 8], limits)),
);
const parsed = bodies.map((b) => parseRankRequest(schema, b, limits));
show(
  `  FeedBuilder.build alone`,
  time((k) => builder.build(parsed[k % 8])),
);
show(
  `topKIndices (25 of ${BATCH})`,
  time((k) => topKIndices(scores[k % 8], 25)),
);
