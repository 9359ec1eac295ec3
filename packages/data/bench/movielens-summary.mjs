// Loads MovieLens with the default protocol (catalogue negatives by release date, 4 per training
// request and 99 per calibration/evaluation request, temporal split by request fractions
// 0.8 / 0.05 / 0.15) and prints the per-split counts, the leakage check and the load time; then
// the leakage check of other protocols and negative counts: positive rates of warm, cold and
// no-history candidates (train and eval), the fresh Hits@3 of the reference scorers on eval and the
// requests that got fewer negatives than asked (train / eval). 'status-matched' is `match: 'status'`
// (negatives of the positive's fresh × history status, the trainer's headline design).
// Usage: node bench/movielens-summary.mjs [dir]   (default: ../shared/data/movielens-latest-small)
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hitsAtK } from '@thaw/metrics';
import {
  coldMask,
  formatLeakageReport,
  formatSplitCounts,
  leakageReport,
  loadMovieLens,
  movieLensFrame,
  readMovieLens,
  referenceScores,
  splitCounts,
} from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? resolve(here, '../../../../shared/data/movielens-latest-small');
if (!existsSync(dir)) {
  console.log(`movielens-summary: ${dir} not found; pass the directory of ml-latest-small or ml-100k`);
  process.exit(0);
}

/** Leakage figures of one dataset: rows, positive rates (engage) and fresh Hits@3 on eval. */
function leakageRow({ frame, spec, split }) {
  const coldDays = spec.coldStart.coldDays;
  const leak = leakageReport(frame, split, coldDays);
  const rows = split.rows.eval;
  const pick = (values) => Float64Array.from(rows, (r) => values[r]);
  const columns = {
    requestId: Int32Array.from(rows, (r) => frame.requestId[r]),
    labels: pick(frame.labels.engage),
    isCold: pick(coldMask(frame, coldDays)),
  };
  const scores = referenceScores(frame, 1);
  const fresh = (s) => hitsAtK({ ...columns, scores: pick(s) }, 3, { slice: 'fresh' });
  return {
    rows: { train: split.rows.train.length, eval: rows.length },
    rates: Object.fromEntries(
      ['train', 'eval'].map((part) => [part, ['warm', 'cold', 'noHistory'].map((g) => leak[part][g].positiveRate.engage)]),
    ),
    fresh: { random: fresh(scores.random), popularity: fresh(scores.popularity), noHistoryFirst: fresh(scores.noHistoryFirst) },
  };
}

let started = performance.now();
const data = await loadMovieLens(dir);
const seconds = (performance.now() - started) / 1000;
const { frame, spec, split, layout } = data;
console.log(
  `MovieLens ${layout} from ${dir}: ${frame.size} impressions (${new Set(frame.requestId).size} requests) loaded in ${seconds.toFixed(2)} s`,
);
console.log(formatSplitCounts(splitCounts(frame, split, spec.coldStart.coldDays)));
console.log(
  `requests short of negatives (short / missing / only the positive): ${Object.entries(data.negativeShortfall)
    .map(([part, s]) => `${part} ${s.shortRequests} / ${s.missingNegatives} / ${s.emptyRequests}`)
    .join(', ')}`,
);
started = performance.now();
const snapshot = data.itemSnapshot(split.windows.calibration.end);
console.log(
  `itemSnapshot(end of calibration): ${snapshot.size} movies (${snapshot.cold.reduce((a, b) => a + b, 0)} cold) in ${(performance.now() - started).toFixed(0)} ms`,
);
console.log('positive rates of candidates (all / warm / cold / no history):');
console.log(formatLeakageReport(leakageReport(frame, split, spec.coldStart.coldDays)));

// The grid: protocol × negatives per request (train / calibration = eval).
const tables = await readMovieLens(dir);
const januaryFirst = {
  ...tables,
  movies: { ...tables.movies, released: Float64Array.from(tables.movies.year, (y) => Date.UTC(y, 0, 1) / 1000) },
};
const protocols = [
  [
    'release 1 Jul (default)',
    tables,
    {},
    [
      [4, 4],
      [4, 19],
      [4, 49],
      [4, 99],
      [9, 99],
    ],
  ],
  [
    'status-matched',
    tables,
    { match: 'status' },
    [
      [4, 4],
      [4, 99],
    ],
  ],
  [
    'release 1 Jan',
    layout === 'latest-small' ? januaryFirst : undefined,
    {},
    [
      [4, 4],
      [4, 99],
    ],
  ],
  [
    'first rating',
    tables,
    { catalogueFrom: 'firstRating' },
    [
      [4, 4],
      [4, 99],
    ],
  ],
  [
    'history only',
    tables,
    { sampling: 'historyOnly' },
    [
      [4, 4],
      [4, 99],
    ],
  ],
];
const f = (v) => (Number.isNaN(v) ? '  —  ' : v.toFixed(3));
console.log(
  '\nleakage check on eval: engage positive rate of warm / cold / no-history candidates; fresh Hits@3 (rank all, fresh positives)',
);
console.log(
  `${'protocol'.padEnd(24)}${'neg tr/ev'.padEnd(11)}${'rows train'.padStart(11)}${'rows eval'.padStart(11)}` +
    `  ${'train w / c / nh'.padEnd(20)}  ${'eval w / c / nh'.padEnd(20)}  ${'H@3 rnd / pop / noHist'}   s  short tr / ev`,
);
for (const [name, source, options, grid] of protocols) {
  if (!source) continue;
  for (const [train, evaluation] of grid) {
    started = performance.now();
    const built =
      train === 4 && evaluation === 99 && source === tables && Object.keys(options).length === 0
        ? data
        : movieLensFrame(source, { ...options, negatives: { train, eval: evaluation } });
    const row = leakageRow(built);
    const time = (performance.now() - started) / 1000;
    console.log(
      `${name.padEnd(24)}${`${train} / ${evaluation}`.padEnd(11)}${String(row.rows.train).padStart(11)}${String(row.rows.eval).padStart(11)}` +
        `  ${row.rates.train.map(f).join(' ')}  ${row.rates.eval.map(f).join(' ')}` +
        `  ${[row.fresh.random, row.fresh.popularity, row.fresh.noHistoryFirst].map(f).join(' ')}  ${time.toFixed(1)}` +
        `  ${built.negativeShortfall.train.shortRequests} / ${built.negativeShortfall.eval.shortRequests}`,
    );
  }
}
