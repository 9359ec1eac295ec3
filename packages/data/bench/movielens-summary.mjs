// Loads MovieLens with the default protocol (catalogue negatives, temporal split by request
// fractions 0.8 / 0.05 / 0.15) and prints the per-split counts, the leakage check and the time.
// Usage: node bench/movielens-summary.mjs [dir]   (default: ../shared/data/movielens-latest-small)
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLeakageReport, formatSplitCounts, leakageReport, loadMovieLens, splitCounts } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? resolve(here, '../../../../shared/data/movielens-latest-small');
if (!existsSync(dir)) {
  console.log(`movielens-summary: ${dir} not found; pass the directory of ml-latest-small or ml-100k`);
  process.exit(0);
}
const started = performance.now();
const { frame, spec, split, layout } = await loadMovieLens(dir);
const seconds = (performance.now() - started) / 1000;
console.log(
  `MovieLens ${layout} from ${dir}: ${frame.size} impressions (${new Set(frame.requestId).size} requests) loaded in ${seconds.toFixed(2)} s`,
);
console.log(formatSplitCounts(splitCounts(frame, split, spec.coldStart.coldDays)));
console.log('positive rates of candidates (all / warm / cold / no history):');
console.log(formatLeakageReport(leakageReport(frame, split, spec.coldStart.coldDays)));
