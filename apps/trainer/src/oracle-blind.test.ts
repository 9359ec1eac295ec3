import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FeatureFrame, simulate } from '@thaw/data';
import { createRng } from '@thaw/tensor';
import { useTfjsBackend } from '@thaw/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadedData, simulationData } from './data-source.js';
import { runExperiment } from './experiment.js';
import { createLogger } from './logger.js';
import { HITS_METRIC, type ResultsFile } from './results.js';

const VARIANTS = ['baseline', 'scorereg'];

/** Every weight file of every run of an experiment, by run directory. */
function weightBytes(out: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const variant of VARIANTS) {
    const dir = join(out, 'runs', variant, 'seed-1');
    const bin = readdirSync(dir).find((f) => f.startsWith('weights.') && f.endsWith('.bin'));
    if (!bin) throw new Error(`no weights in ${dir}`);
    files[variant] = readFileSync(join(dir, bin));
  }
  return files;
}

function randomised(columns: Readonly<Record<string, Float32Array>> | undefined, rows: ArrayLike<number> | 'all', seed: number) {
  const rng = createRng(seed);
  return Object.fromEntries(
    Object.entries(columns ?? {}).map(([task, column]) => {
      const copy = Float32Array.from(column);
      const pick = rows === 'all' ? Array.from({ length: copy.length }, (_, i) => i) : Array.from(rows);
      for (const r of pick) copy[r] = rng.uniform();
      return [task, copy];
    }),
  );
}

async function run(data: LoadedData): Promise<{ out: string; results: ResultsFile }> {
  const out = mkdtempSync(join(tmpdir(), 'thaw-oracle-blind-'));
  const results = await runExperiment({
    data,
    out,
    variants: VARIANTS,
    seeds: 1,
    resume: false,
    logger: createLogger({ mode: 'quiet' }),
    bootstrapSamples: 50,
    backend: 'test',
  });
  return { out, results };
}

describe('the oracle never reaches training; the boosts are chosen on calibration rows only', () => {
  const sim = simulate({ preset: 'tiny', oracleRequestsPerDay: 30 }, 1);
  const clean = simulationData(sim, 'sim:tiny', 'tiny');
  const oracle = clean.oracle as NonNullable<LoadedData['oracle']>;
  let reference: { out: string; results: ResultsFile };

  beforeAll(async () => {
    await useTfjsBackend({ prefer: 'cpu' });
    reference = await run(clean);
  }, 300_000);

  it('scrambling every oracle column and the frame truth leaves every trained weight byte-identical', async () => {
    const candidates: FeatureFrame = { ...oracle.candidates, truth: randomised(oracle.candidates.truth, 'all', 1) };
    const scrambled: LoadedData = {
      ...clean,
      frame: { ...clean.frame, truth: randomised(clean.frame.truth, 'all', 2) },
      oracle: { ...oracle, candidates, policyScore: oracle.policyScore.map(() => Math.random()) },
    };
    const other = await run(scrambled);
    const a = weightBytes(reference.out);
    const b = weightBytes(other.out);
    for (const variant of VARIANTS) expect(b[variant]?.equals(a[variant] as Buffer), variant).toBe(true);
    // The scramble reached the evaluation: the oracle table changed.
    expect(other.results.oracle?.variants[0]?.utilityRatio.value).not.toBe(
      reference.results.oracle?.variants[0]?.utilityRatio.value,
    );
  }, 300_000);

  it('poisoning the evaluation window (labels and truth) changes no weight and no chosen boost', async () => {
    const evalRows = clean.split.rows.eval;
    const candidates: FeatureFrame = { ...oracle.candidates, truth: randomised(oracle.candidates.truth, oracle.rows.eval, 3) };
    const flip = Object.fromEntries(
      Object.entries(clean.frame.labels).map(([task, column]) => {
        const copy = Float32Array.from(column);
        for (const r of evalRows) copy[r] = 1 - (copy[r] as number);
        return [task, copy];
      }),
    );
    const poisoned: LoadedData = { ...clean, frame: { ...clean.frame, labels: flip }, oracle: { ...oracle, candidates } };
    const other = await run(poisoned);
    const a = weightBytes(reference.out);
    const b = weightBytes(other.out);
    for (const variant of VARIANTS) expect(b[variant]?.equals(a[variant] as Buffer), variant).toBe(true);
    const boosts = (r: ResultsFile) => ({
      oracle: r.oracle?.frontier.placements.map((p) => [p.freshMatched.boost, p.allMatched.boost]),
      logged: r.loggedFrontier?.placements.map((p) => [p.freshMatched.boost, p.allMatched.boost]),
      calibration: r.oracle?.frontier.calibration,
    });
    expect(boosts(other.results)).toEqual(boosts(reference.results));
    expect(boosts(reference.results).oracle).toHaveLength(2);
    // The poison reached the evaluation side.
    expect(other.results.oracle?.frontier.evaluation).not.toEqual(reference.results.oracle?.frontier.evaluation);
    expect(other.results.variants[0]?.metrics.all[HITS_METRIC]).not.toEqual(
      reference.results.variants[0]?.metrics.all[HITS_METRIC],
    );
  }, 300_000);
});
