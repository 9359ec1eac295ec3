import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batches } from '@thaw/data';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { train } from '@thaw/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataSource } from './data-source.js';
import { createLogger } from './logger.js';
import { trainRun } from './train-run.js';
import { withTrainingStats } from './training-stats.js';
import { variantSpec } from './variants.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-aldi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

describe('trainRun with ALDI: two stages as in its paper', () => {
  it('trains the teacher first (student untouched), then only the student against it', async () => {
    const data = await loadDataSource('sim:tiny');
    const spec = variantSpec(withTrainingStats(data.spec, data.frame, data.split.rows.train), 'aldi');
    const logger = createLogger({ mode: 'quiet' });
    const run = await trainRun({
      spec,
      frame: data.frame,
      split: data.split,
      dataName: data.name,
      seed: 3,
      dir: join(dir, 'run'),
      resume: false,
      logger,
      label: 'aldi',
    });
    // The teacher stage alone, from the same initial weights and seed.
    const teacher = buildModel(spec, { seed: 3 });
    const initial = await teacher.getWeights();
    const rows = data.split.rows.train;
    const teacherResult = await train(
      teacher,
      ({ seed }) => batches(data.frame, spec, { rows, seed, batchSize: spec.training.batchSize }),
      { seed: 3, aldiStage: 'teacher' },
    );
    const afterTeacher = await teacher.getWeights();
    const final = await run.model.getWeights();
    const same = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) =>
      a !== undefined && b !== undefined && a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
    const names = Object.keys(initial);
    expect(names.some((n) => n.startsWith('aldi.'))).toBe(true);
    for (const name of names) {
      if (name.startsWith('aldi.')) {
        expect(same(afterTeacher[name]?.data, initial[name]?.data), `${name}: the teacher stage leaves the student`).toBe(true);
        expect(same(final[name]?.data, initial[name]?.data), `${name}: the student stage trains it`).toBe(false);
      } else {
        expect(same(final[name]?.data, afterTeacher[name]?.data), `${name}: the student stage leaves the teacher`).toBe(true);
      }
    }
    expect(run.summary.steps).toBe(2 * teacherResult.steps);
    expect(run.summary.finalLoss.aldi).toBeGreaterThan(0);
    expect(teacherResult.history.every((h) => h.aldi === 0)).toBe(true);
    expect(existsSync(join(dir, 'run', 'checkpoint-teacher'))).toBe(true);
    teacher.dispose();
    run.model.dispose();
  }, 300_000);
});
