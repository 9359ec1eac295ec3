// Throughput of a user's CSV log in several files: a three-file log of 300,000 impressions with
// two string categoricals (Zipf-distributed, 5,000 and 40 distinct values); inferVocabularies over
// all rows and over the training requests of a fractions split (two passes), then loadCsvFrame
// of the pattern with the filled spec.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSpec } from '@thaw/spec';
import { inferVocabularies, loadCsvFrame } from '../dist/index.js';

const categorical = (name, vocabSize) => ({
  name,
  group: 'nonHistorical',
  source: 'item',
  kind: 'categorical',
  vocabSize,
  embeddingDim: 8,
});
const spec = validateSpec({
  specVersion: 1,
  name: 'csv-bench',
  features: [
    { name: 'item', group: 'historical', source: 'item', kind: 'id', buckets: 10_000, embeddingDim: 8 },
    { name: 'score', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1 },
    categorical('brand', 1_000),
    categorical('country', 64),
  ],
  architecture: {
    cross: { count: 1 },
    deep: { units: [8] },
    residual: { enabled: false, projectionUnits: [4] },
    mmoe: { experts: 1, expertUnits: [4] },
    tower: { units: [] },
  },
  tasks: [{ name: 'click' }],
  utility: { click: 1 },
});
const mapping = {
  mappingVersion: 1,
  requestId: 'req',
  itemId: 'item',
  userId: 'user',
  timestamp: { column: 'ts', format: 'unixSeconds' },
  labels: { click: 'y' },
  features: { item: 'item', score: 'score', brand: 'brand', country: 'country' },
};

// Zipf(1) draws from a fixed-seed LCG, so the log is the same on every run.
let state = 1;
const uniform = () => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};
const zipf = (n) => Math.floor(Math.exp(uniform() * Math.log(n + 1))) - 1;

const dir = mkdtempSync(join(tmpdir(), 'thaw-data-csv-bench-'));
const rows = 300_000;
const perFile = rows / 3;
let bytes = 0;
for (let f = 0; f < 3; f++) {
  const lines = ['req,item,user,ts,score,brand,country,y'];
  for (let r = f * perFile; r < (f + 1) * perFile; r++) {
    lines.push(
      `q${r >> 3},i${zipf(10_000)},u${r % 997},${1_700_000_000 + r},${(r % 100) / 100},brand-${zipf(5_000)},c${zipf(40)},${uniform() < 0.1 ? 1 : 0}`,
    );
  }
  const path = join(dir, `day-${f}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  bytes += statSync(path).size;
}
const pattern = join(dir, 'day-*.csv');
const time = async (run) => {
  const started = performance.now();
  const result = await run();
  return [result, (performance.now() - started) / 1000];
};
const [all, allSeconds] = await time(() => inferVocabularies(pattern, mapping, spec));
const [train, trainSeconds] = await time(() =>
  inferVocabularies(pattern, mapping, spec, { trainingSplit: { fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } } }),
);
const [frame, loadSeconds] = await time(() => loadCsvFrame(pattern, mapping, train));
const brand = frame.features.brand;
let oov = 0;
for (const row of brand) if (row === 1_000) oov++;
const mb = (bytes / 1e6).toFixed(1);
console.log(
  `CSV log (3 files, ${rows} rows, ${mb} MB): inferVocabularies ${allSeconds.toFixed(2)} s (${Math.round(rows / allSeconds)} rows/s); with trainingSplit (2 passes) ${trainSeconds.toFixed(2)} s; loadCsvFrame ${loadSeconds.toFixed(2)} s (${Math.round(rows / loadSeconds)} rows/s)`,
);
const vocab = (s, name) => s.features.find((f) => f.name === name).vocabulary;
const allBrands = new Set(vocab(all, 'brand'));
console.log(
  `  brand: ${allBrands.size} of 5,000 values kept; the training-split vocabulary shares ${vocab(train, 'brand').filter((v) => allBrands.has(v)).length} with the all-rows one; OOV rows in the loaded frame ${((100 * oov) / frame.size).toFixed(1)}%; country: ${vocab(train, 'country').length} values`,
);
rmSync(dir, { recursive: true, force: true });
