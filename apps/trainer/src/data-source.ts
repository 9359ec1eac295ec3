import { readFile, stat } from 'node:fs/promises';
import {
  expandFilePattern,
  type FeatureFrame,
  type FrameSplit,
  type ItemSnapshot,
  inferVocabularies,
  loadCsvFrame,
  loadMovieLens,
  loadParquetFrame,
  SIMULATION_PRESETS,
  type Simulation,
  type SimulationPreset,
  simulate,
  temporalSplit,
} from '@thaw/data';
import type { ModelSpec } from '@thaw/spec';
import { UsageError } from './usage-error.js';

/** A dataset ready for training: the frame, the spec its features follow, and its split. */
export interface LoadedData {
  /** A short name for reports: `sim:demo`, `movielens:ml-latest-small` … */
  readonly name: string;
  readonly frame: FeatureFrame;
  readonly spec: ModelSpec;
  readonly split: FrameSplit;
  /** Training seeds per variant when `--seeds` is not given. */
  readonly defaultSeeds: number;
  /** Why the default differs from 5, when it does. */
  readonly seedsNote?: string;
  /** Item-source features of every item as of a time, from the source's event log (when it has one). */
  readonly itemSnapshot?: (asOf: number) => ItemSnapshot;
  /** The ground truth of a simulated source: every retrieved candidate with p* (never a training input). */
  readonly oracle?: EvaluationOracle;
}

/**
 * What the oracle evaluation reads: every retrieved candidate of the calibration and evaluation
 * requests (real and probe), with features as of the request and `truth[task]` = the position-free
 * true probability p*_t. Training never sees it.
 */
export interface EvaluationOracle {
  readonly candidates: FeatureFrame;
  /** Candidate rows of the calibration and evaluation windows. */
  readonly rows: { readonly calibration: Int32Array; readonly eval: Int32Array };
  /** Real and probe requests per window. */
  readonly requests: {
    readonly calibration: { readonly real: number; readonly probe: number };
    readonly eval: { readonly real: number; readonly probe: number };
  };
  /** The logging policy's deterministic score per candidate row (a reference ranker). */
  readonly policyScore: Float64Array;
}

/** The split of CSV/Parquet data: fractions of the requests in time order. */
const FILE_SPLIT = { fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } } as const;

/** The forms `--data` takes. */
export const SOURCE_FORMS = [
  'sim[:tiny|demo|paper]',
  'movielens:<dir>',
  'movielens-catalogue:<dir>',
  'csv:<file-or-glob> --mapping m.json --spec s.json',
  'parquet:<file-or-glob> --mapping m.json --spec s.json',
];

const SIM_SEEDS: Record<SimulationPreset, { seeds: number; note?: string }> = {
  tiny: { seeds: 2, note: 'the tiny preset trains 2 seeds per variant (for tests); use --seeds 5 or more for claims' },
  demo: {
    seeds: 3,
    note: 'the demo preset trains 3 seeds per variant to finish in minutes; intervals are wider than with 5+ (use --seeds 5 or more for claims)',
  },
  paper: { seeds: 5 },
};

async function readJson(path: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${option} ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option} ${path}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * A simulation as a dataset: its logged frame, spec and split for training, and its oracle
 * (every retrieved candidate with p*) for evaluation. `preset` sets the default seed count.
 *
 * @example `simulationData(simulate({ preset: 'demo', qualityVisibility: 0.3 }, 2), 'sim:demo ν=0.3 world 2', 'demo')`
 */
export function simulationData(sim: Simulation, name: string, preset: SimulationPreset = 'demo'): LoadedData {
  const { seeds, note } = SIM_SEEDS[preset];
  return {
    name,
    frame: sim.frame,
    spec: sim.spec,
    split: sim.split,
    defaultSeeds: seeds,
    ...(note ? { seedsNote: note } : {}),
    oracle: {
      candidates: sim.oracle.candidates,
      rows: { calibration: sim.oracle.split.rows.calibration, eval: sim.oracle.split.rows.eval },
      requests: { calibration: sim.oracle.requests.calibration, eval: sim.oracle.requests.eval },
      policyScore: sim.oracle.policyScore,
    },
  };
}

/**
 * Checks a `--data` value without loading anything (so a typo fails before any work starts).
 *
 * @throws UsageError naming the value and the allowed forms.
 */
export async function checkDataSource(source: string, options: { spec?: ModelSpec; mapping?: string }): Promise<void> {
  const [scheme, ...rest] = source.split(':');
  const arg = rest.join(':');
  if (scheme === 'sim') {
    if (arg !== '' && !Object.hasOwn(SIMULATION_PRESETS, arg)) {
      throw new UsageError(
        `--data ${source}: unknown simulator preset '${arg}'; use one of ${Object.keys(SIMULATION_PRESETS).join(', ')}`,
      );
    }
    return;
  }
  if (scheme === 'movielens' || scheme === 'movielens-catalogue' || scheme === 'csv' || scheme === 'parquet') {
    if (arg === '') throw new UsageError(`--data ${source}: give a path after '${scheme}:'`);
    if (scheme === 'movielens' || scheme === 'movielens-catalogue') {
      try {
        await stat(arg);
      } catch {
        throw new UsageError(`--data ${source}: ${arg} does not exist`);
      }
    } else {
      try {
        await expandFilePattern(arg);
      } catch (error) {
        throw new UsageError(`--data ${source}: ${(error as Error).message}`);
      }
    }
    if ((scheme === 'csv' || scheme === 'parquet') && (!options.mapping || !options.spec)) {
      throw new UsageError(`--data ${source}: ${scheme} data needs --mapping <file.json> and --spec <file.json>`);
    }
    return;
  }
  throw new UsageError(`--data ${source}: unknown source; use one of ${SOURCE_FORMS.join(', ')}`);
}

/** Options of {@link loadDataSource}. */
export interface LoadDataSourceOptions {
  /** The spec the data is read with; for the simulator and MovieLens it replaces the source's own. Required for CSV/Parquet. */
  readonly spec?: ModelSpec;
  /** The column mapping file (CSV/Parquet). */
  readonly mapping?: string;
  /**
   * `'infer'` (default, for training): categorical features without a vocabulary get one from the
   * training rows. `'fixed'` (for a trained model): the spec's vocabularies are used as they are,
   * and a raw categorical column without one is refused — a vocabulary counted from another file
   * would give the same value another code.
   */
  readonly vocabularies?: 'infer' | 'fixed';
  /** How errors name the spec, e.g. `runs/mine/spec.json`. */
  readonly specSource?: string;
}

/** The categorical features a mapping reads as raw values (not `"encoded": true`). */
function rawCategoricals(spec: ModelSpec, mapping: Parameters<typeof loadCsvFrame>[1]) {
  return spec.features.filter((f) => {
    if (f.kind !== 'categorical') return false;
    const entry = (mapping as { features?: Record<string, unknown> }).features?.[f.name];
    return !(typeof entry === 'object' && entry !== null && (entry as { encoded?: boolean }).encoded === true);
  });
}

function refuseMissingVocabularies(spec: ModelSpec, mapping: Parameters<typeof loadCsvFrame>[1], specSource: string): void {
  const missing = rawCategoricals(spec, mapping).filter((f) => f.kind === 'categorical' && f.vocabulary === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `${specSource} has no vocabulary for ${missing.map((f) => `'${f.name}'`).join(', ')}, so the codes the model was trained with are unknown ` +
        '(a vocabulary counted from this file could give a value another code); train the model again with this thaw-train, which writes ' +
        'the vocabulary it used to spec.json, or map the column with "encoded": true if it already holds embedding rows',
    );
  }
}

/**
 * Loads a `--data` source: the built-in simulator, MovieLens (ml-latest-small or ml-100k layout),
 * or CSV / Parquet impression logs (a file, a list or a glob like `logs/day-*.csv`) with a column
 * mapping. Frames from files get the temporal split of their requests in fractions
 * 0.8 / 0.05 / 0.15 (train / calibration / eval), and their categorical features without a
 * vocabulary get one from the training rows (the `vocabSize` most frequent values).
 *
 * Call {@link checkDataSource} first (the commands do, before any other work): this function
 * trusts the source's form.
 */
export async function loadDataSource(source: string, options: LoadDataSourceOptions = {}): Promise<LoadedData> {
  const [scheme, ...rest] = source.split(':');
  const arg = rest.join(':');
  if (scheme === 'sim') {
    const preset = (arg || 'demo') as SimulationPreset;
    // The user's --spec (e.g. with trained vocabularies) replaces the simulator's own.
    const data = simulationData(simulate(preset, 0), `sim:${preset}`, preset);
    return options.spec ? { ...data, spec: options.spec } : data;
  }
  if (scheme === 'movielens' || scheme === 'movielens-catalogue') {
    // movielens: freshness-matched negatives (each positive's negatives share its fresh × history
    // status, the same in every window); movielens-catalogue: any catalogue movie (the design
    // before issue 11, whose fresh slice rewards a uniform lift of fresh scores).
    const data = await loadMovieLens(arg, { match: scheme === 'movielens' ? 'status' : 'none' });
    return {
      name: `${scheme}:${arg.split('/').filter(Boolean).pop()}`,
      frame: data.frame,
      spec: options.spec ?? data.spec,
      split: data.split,
      defaultSeeds: 5,
    };
  }
  const mapping = (await readJson(options.mapping as string, '--mapping')) as Parameters<typeof loadCsvFrame>[1];
  let spec = options.spec as ModelSpec;
  if (options.vocabularies === 'fixed') {
    refuseMissingVocabularies(spec, mapping, options.specSource ?? 'the spec');
  } else {
    // Categorical features without a vocabulary get the most frequent values of the training rows.
    spec = await inferVocabularies(arg, mapping, spec, { format: scheme as 'csv' | 'parquet', trainingSplit: FILE_SPLIT });
  }
  const frame = scheme === 'csv' ? await loadCsvFrame(arg, mapping, spec) : await loadParquetFrame(arg, mapping, spec);
  const split = temporalSplit(frame, FILE_SPLIT);
  return { name: `${scheme}:${arg.split('/').pop()}`, frame, spec, split, defaultSeeds: 5 };
}
