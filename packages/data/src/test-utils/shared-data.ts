import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The real ml-latest-small, read in place from `../shared/data` beside the checkout (its licence
 * forbids redistribution, so it is never in the repository).
 */
export const latestSmallDir = resolve(packageDir, '../../../shared/data/movielens-latest-small');

/**
 * `describe` for tests of data that lives outside the repository. When the data is present they
 * run. When it is absent they are skipped, with the reason in their title and on stderr — except
 * in CI (`CI=true`), which must have the data: there they run and fail on the missing directory.
 */
export function describeWithSharedData(title: string, dir: string, body: () => void): void {
  if (existsSync(dir) || process.env.CI === 'true' || process.env.CI === '1') {
    describe(title, () => {
      it(`${dir} is there`, () => {
        expect(existsSync(dir), `${dir} is missing; CI needs ../shared/data beside the checkout`).toBe(true);
      });
      body();
    });
    return;
  }
  const reason = `skipped: ${dir} is absent (the MovieLens licence forbids bundling it; CI runs these tests with ../shared beside the clone)`;
  process.stderr.write(`${title} — ${reason}\n`);
  describe.skip(`${title} — ${reason}`, body);
}
