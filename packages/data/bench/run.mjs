// `npm run bench`: every @thaw/data benchmark, one after the other.
await import('./simulate.mjs');
await import('./stream.mjs');
await import('./csv-logs.mjs');
await import('./movielens-summary.mjs');
