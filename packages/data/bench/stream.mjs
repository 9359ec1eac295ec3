// Throughput of the Parquet path: write the demo frame in row groups, stream it back in chunks.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameParquetMapping, simulate, streamParquetFrames, writeFrameParquet } from '../dist/index.js';

const { frame, spec } = simulate('demo', 0);
const dir = mkdtempSync(join(tmpdir(), 'thaw-data-bench-'));
const path = join(dir, 'demo.parquet');
let started = performance.now();
await writeFrameParquet(frame, spec, path, { rowGroupSize: 16_384 });
const write = (performance.now() - started) / 1000;
started = performance.now();
let rows = 0;
let chunks = 0;
for await (const chunk of streamParquetFrames(path, frameParquetMapping(spec, { truth: true, itemHistory: true }), spec, {
  chunkRows: 16_384,
})) {
  rows += chunk.size;
  chunks++;
}
const read = (performance.now() - started) / 1000;
const mb = statSync(path).size / 1e6;
console.log(
  `Parquet: wrote ${frame.size} rows (${mb.toFixed(1)} MB) in ${write.toFixed(2)} s; streamed ${rows} rows in ${chunks} chunks in ${read.toFixed(2)} s (${Math.round(rows / read)} rows/s)`,
);
rmSync(dir, { recursive: true, force: true });
