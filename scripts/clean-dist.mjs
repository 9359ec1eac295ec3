// Empties the calling package's dist/ before `tsc` writes it (each package's `build` runs it).
// tsc never deletes outputs whose source is gone, and turbo caches dist/** as it finds it: a file
// renamed or moved out of a package would otherwise live on in dist/ — and in the tarball, with
// source maps pointing at a source the tarball does not hold (pack-check refuses that).
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
