import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { leakageReport, referenceScores, type SplitName, splitCounts } from '@thaw/data';
import { hitsAtK, hitsAtKPerRequest, pairedBootstrap, type RankingSet, rankingSet } from '@thaw/metrics';
import { countParameters, type ModelSpec, modelDimensions, specHash } from '@thaw/spec';
import { createTensor } from '@thaw/tensor';
import type { TrainingEngineChoice } from '@thaw/training';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import type { LoadedData } from './data-source.js';
import { evaluatePredictions, predictionProbabilities, predictionRanking } from './evaluate-predictions.js';
import { ExperimentEvaluation } from './experiment-evaluation.js';
import type { Logger } from './logger.js';
import { calibrationByTask, writeModelArtifacts } from './model-artifacts.js';
import { predictRows, type RowPredictions } from './predict-rows.js';
import { renderReportHtml, renderReportMarkdown } from './report/index.js';
import {
  HITS_K,
  HITS_METRIC,
  type Lift,
  type MetricSet,
  type ReferenceScorerResult,
  type ResultsFile,
  type SplitCounts,
  type VariantResult,
} from './results.js';
import { ablationOf, explainedVarianceOf, scoreGapOf } from './run-analyses.js';
import { trainRun } from './train-run.js';
import { withTrainingStats } from './training-stats.js';
import { variantSpec } from './variants.js';

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** The data; the variants are derived from `data.spec` (the --spec it was loaded with, vocabularies filled). */
  readonly data: LoadedData;
  readonly out: string;
  readonly variants: readonly string[];
  readonly seeds: number;
  readonly resume: boolean;
  readonly logger: Logger;
  readonly bootstrapSamples?: number;
  /** Record the gradient-norm ratio every this many steps (default: ~40 points per run). */
  readonly gradientEvery?: number;
  /** The variant exported for serving to `<out>/model` (default `all` when trained, else the last). */
  readonly serveVariant?: string;
  readonly backend: string;
  /** The training engine (default `'auto'`: onnxruntime when installed). */
  readonly engine?: TrainingEngineChoice;
}

interface SeedOutcome {
  readonly ranking: RankingSet;
  readonly metrics: { fresh: MetricSet; all: MetricSet };
  readonly trainSeconds: number;
  readonly examplesPerSecond: number;
}

const SLICES = ['fresh', 'all'] as const;

function meanMetrics(outcomes: readonly SeedOutcome[]): { fresh: MetricSet; all: MetricSet } {
  const mean = (slice: 'fresh' | 'all', metric: keyof MetricSet) => {
    const first = outcomes[0]?.metrics[slice][metric] ?? {};
    return Object.fromEntries(
      Object.keys(first).map((task) => [
        task,
        outcomes.reduce((s, o) => s + (o.metrics[slice][metric][task] as number), 0) / outcomes.length,
      ]),
    );
  };
  const set = (slice: 'fresh' | 'all'): MetricSet => ({
    [HITS_METRIC]: mean(slice, HITS_METRIC),
    prAuc: mean(slice, 'prAuc'),
    rocAuc: mean(slice, 'rocAuc'),
    logLoss: mean(slice, 'logLoss'),
  });
  return { fresh: set('fresh'), all: set('all') };
}

function splitSummary(data: LoadedData, coldDays: number): ResultsFile['split'] {
  const counts = splitCounts(data.frame, data.split, coldDays);
  const leakage = data.frame.itemHistory ? leakageReport(data.frame, data.split, coldDays) : undefined;
  const part = (name: SplitName): SplitCounts => {
    const c = counts[name];
    const l = leakage?.[name];
    return {
      requests: c.requests,
      impressions: c.impressions,
      positives: c.positives,
      freshItems: c.freshItems,
      freshImpressions: c.freshImpressions,
      ...(l
        ? { positiveRate: { warm: l.warm.positiveRate, cold: l.cold.positiveRate, noHistory: l.noHistory.positiveRate } }
        : {}),
    };
  };
  return { train: part('train'), calibration: part('calibration'), evaluation: part('eval') };
}

function referenceScorers(data: LoadedData, spec: ModelSpec, evaluation: RowPredictions): ReferenceScorerResult[] {
  if (!data.frame.itemHistory) return [];
  const scores = referenceScores(data.frame, 0);
  const descriptions = {
    random: 'uniform random scores (chance level)',
    popularity: 'prior positives of the item as of the impression',
    noHistoryFirst: 'items with no history ranked first (the leak detector)',
  } as const;
  const T = spec.tasks.length;
  const n = evaluation.rows.length;
  return (['random', 'popularity', 'noHistoryFirst'] as const).map((name) => {
    const column = scores[name];
    const s = Float32Array.from(evaluation.rows, (r) => column[r] as number);
    const set = rankingSet({
      requestId: evaluation.requestId,
      labels: createTensor('float32', evaluation.labels, [n, T]),
      scores: s,
      tasks: spec.tasks.map((t) => t.name),
      isCold: evaluation.isCold,
    });
    const hits = (slice: 'fresh' | 'all') =>
      Object.fromEntries(spec.tasks.map((t, i) => [t.name, hitsAtK(set, HITS_K, { task: i, slice })]));
    return {
      name,
      description: descriptions[name],
      metrics: { fresh: { [HITS_METRIC]: hits('fresh') }, all: { [HITS_METRIC]: hits('all') } },
    };
  });
}

function liftsOver(
  baseline: readonly SeedOutcome[],
  variant: readonly SeedOutcome[],
  spec: ModelSpec,
  samples: number,
  seed: number,
): NonNullable<VariantResult['liftPct']> {
  const out = { fresh: { [HITS_METRIC]: {} as Record<string, Lift> }, all: { [HITS_METRIC]: {} as Record<string, Lift> } };
  spec.tasks.forEach((task, t) => {
    for (const slice of SLICES) {
      const result = pairedBootstrap(
        (set) => hitsAtKPerRequest(set, HITS_K, { task: t, slice }),
        baseline.map((o) => o.ranking),
        variant.map((o) => o.ranking),
        { samples, seed },
      );
      const perSeed = variant.map((o, i) => {
        const a = baseline[i % baseline.length]?.metrics[slice][HITS_METRIC][task.name] as number;
        const b = o.metrics[slice][HITS_METRIC][task.name] as number;
        return 100 * (b / a - 1);
      });
      out[slice][HITS_METRIC][task.name] = {
        value: result.lift,
        ci95: [result.ci[0], result.ci[1]],
        p: result.pValue,
        significant: result.ci[0] > 0 || result.ci[1] < 0,
        perSeed,
      };
    }
  });
  return out;
}

const RUNS_MARKER = '.thaw-experiment-runs';

/**
 * Makes `<out>/runs` ready: kept as is for `--resume`; else emptied — but only when it is a runs
 * directory this command made (it holds the marker file), so `--out .` never wipes a foreign
 * `runs/` folder.
 */
async function prepareRunsDir(dir: string, resume: boolean): Promise<void> {
  if (existsSync(dir) && !resume) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(RUNS_MARKER)) {
      throw new Error(`${dir} exists and was not made by thaw-train experiment; choose another --out or remove it`);
    }
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, RUNS_MARKER), 'per-variant, per-seed runs of thaw-train experiment\n');
}

/**
 * Trains the paper's comparison set (Table 1) on one dataset and split — every variant with
 * `seeds` training seeds — evaluates each on the evaluation window, measures lifts over the
 * baseline with a hierarchical bootstrap over requests and seeds, runs the analyses (Fig 2, 6, 7)
 * on each variant's first seed, adds reference scorers as leakage checks, and writes
 * `results.json`, `report.html`, `report.md` and the serving artifacts of one variant.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ResultsFile> {
  const started = performance.now();
  const { data, out, logger } = options;
  // data.spec: the --spec with what loading it learnt (vocabularies), or the source's own spec.
  const base = withTrainingStats(data.spec, data.frame, data.split.rows.train);
  const coldDays = base.coldStart.coldDays;
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const samples = options.bootstrapSamples ?? 1000;
  await prepareRunsDir(join(out, 'runs'), options.resume);

  const outcomes = new Map<string, SeedOutcome[]>();
  const variants: VariantResult[] = [];
  let evaluationOrder: RowPredictions | undefined;
  const baselineParams = countParameters(variantSpec(base, 'baseline')).total;
  const steps = Math.ceil(data.split.rows.train.length / base.training.batchSize) * base.training.epochs;
  const gradientEvery = options.gradientEvery ?? Math.max(1, Math.floor(steps / 40));
  const serveVariant = options.serveVariant ?? (options.variants.includes('all') ? 'all' : options.variants.at(-1));
  const evaluation = new ExperimentEvaluation(data, 'baseline');

  for (const name of options.variants) {
    const spec = variantSpec(base, name);
    const perSeed: SeedOutcome[] = [];
    let analyses: Partial<VariantResult> = {};
    for (const seed of seeds) {
      const dir = join(out, 'runs', name, `seed-${seed}`);
      const first = seed === seeds[0];
      const { model, summary } = await trainRun({
        spec,
        frame: data.frame,
        split: data.split,
        dataName: data.name,
        seed,
        dir,
        resume: options.resume,
        logger,
        label: `${name} seed ${seed}`,
        gradientEvery: first ? gradientEvery : 0,
        ...(options.engine ? { engine: options.engine } : {}),
      });
      try {
        const evalRows = data.split.rows.eval;
        const scoring = logger.progress(`evaluate ${name} seed ${seed}`, evalRows.length);
        const predictions = await predictRows(model, data.frame, evalRows, { representation: first, progress: scoring });
        scoring.done();
        evaluationOrder ??= { ...predictions, representation: undefined };
        const probs = predictionProbabilities(spec, predictions, calibrationByTask(spec, summary.calibration));
        const ranking = predictionRanking(spec, predictions, probs);
        await evaluation.add(name, model, summary.calibration, predictions, probs, logger, `${name} seed ${seed}`);
        perSeed.push({
          ranking,
          metrics: evaluatePredictions(spec, predictions, probs, ranking),
          trainSeconds: summary.trainSeconds,
          examplesPerSecond: summary.examplesPerSecond,
        });
        if (first) {
          const tasks = spec.tasks.map((t) => t.name);
          analyses = {
            gradNormRatio: summary.gradNormRatio,
            scoreGap: scoreGapOf(predictions, tasks),
            explainedVariance: explainedVarianceOf(predictions, modelDimensions(spec).prediction),
            ablation: await ablationOf(model, data.frame, evalRows, logger),
          };
          if (name === serveVariant) {
            await writeModelArtifacts({ dir: join(out, 'model'), model, summary, data, variant: name, logger });
          }
        }
      } finally {
        model.dispose();
      }
    }
    outcomes.set(name, perSeed);
    const params = countParameters(spec).total;
    variants.push({
      name,
      params,
      paramsIncreasePct: (100 * (params - baselineParams)) / baselineParams,
      trainSeconds: perSeed.reduce((s, o) => s + o.trainSeconds, 0) / perSeed.length,
      examplesPerSecond: perSeed.reduce((s, o) => s + o.examplesPerSecond, 0) / perSeed.length,
      seeds,
      metrics: meanMetrics(perSeed),
      ...analyses,
    });
    logger.info(`${name}: done (${perSeed.length} seed${perSeed.length === 1 ? '' : 's'})`);
  }

  const baseline = outcomes.get('baseline');
  const withLifts = variants.map((v, i) =>
    baseline && v.name !== 'baseline'
      ? { ...v, liftPct: liftsOver(baseline, outcomes.get(v.name) ?? [], base, samples, 1000 + i) }
      : v,
  );
  const truth = evaluation.results(base, samples, 7);
  const results: ResultsFile = {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    settings: {
      data: data.name,
      spec: base.name,
      specHash: specHash(base),
      seeds: seeds.length,
      ...(data.seedsNote && seeds.length === data.defaultSeeds ? { seedsNote: data.seedsNote } : {}),
      epochs: base.training.epochs,
      batchSize: base.training.batchSize,
      learningRate: base.training.learningRate,
      lambda1: base.coldStart.mixup.weight,
      lambda2: base.coldStart.scoreReg.weight,
      alpha: base.coldStart.mixup.alpha,
      coldDays,
      k: HITS_K,
      bootstrapSamples: samples,
      backend: options.backend,
    },
    dataset: {
      name: data.name,
      rows: data.frame.size,
      requests: new Set(data.frame.requestId).size,
      items: new Set(data.frame.itemId).size,
      users: new Set(data.frame.userId).size,
    },
    split: splitSummary(data, coldDays),
    tasks: base.tasks.map((t) => t.name),
    baseline: 'baseline',
    variants: withLifts,
    referenceScorers: evaluationOrder ? referenceScorers(data, base, evaluationOrder) : [],
    ...truth,
    totalSeconds: (performance.now() - started) / 1000,
  };
  await writeJsonAtomic(join(out, 'results.json'), results);
  await writeFileAtomic(join(out, 'report.html'), renderReportHtml(results));
  await writeFileAtomic(join(out, 'report.md'), renderReportMarkdown(results));
  return results;
}
