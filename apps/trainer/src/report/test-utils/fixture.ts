import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsFile } from '../../results.js';

/** `T` with every `readonly` removed, so tests can edit a copy of the fixture. */
export type DeepMutable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

/** Absolute path of the synthetic example results (see fixtures/make-results-example.mjs). */
export const fixturePath = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'results.example.json');

/** A fresh, editable copy of the synthetic example results. */
export function loadFixture(): DeepMutable<ResultsFile> {
  return JSON.parse(readFileSync(fixturePath, 'utf8')) as DeepMutable<ResultsFile>;
}
