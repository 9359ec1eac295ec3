import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatLeakageReport, leakageReport } from '@thaw/data';
import { type RankingSet, requestClusters } from '@thaw/metrics';
import { countParameters, modelDimensions, specHash } from '@thaw/spec';
import type { TrainingEngineChoice } from '@thaw/training';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import type { LoadedData } from './data-source.js';
import { evaluatePredictions, predictionProbabilities, predictionRanking } from './evaluate-predictions.js';
import { ExperimentEvaluation } from './experiment-evaluation.js';
import { meanMetrics, referenceScorers, splitSummary } from './experiment-summary.js';
import { type CellLift, liftTable } from './lift-statistics.js';
import type { Logger } from './logger.js';
import { calibrationByTask, writeModelArtifacts } from './model-artifacts.js';
import { describeScoring, predictRows, type RowPredictions } from './predict-rows.js';
import { renderReportHtml, renderReportMarkdown } from './report/index.js';
import { HITS_K, HITS_METRIC, type Lift, type MetricSet, type ResultsFile, type VariantResult } from './results.js';
import { ablationOf, explainedVarianceOf, scoreGapOf } from './run-analyses.js';
import { trainRun } from './train-run.js';
import { withTrainingStats } from './training-stats.js';
import { type TunedChoice, tuneSharedChoices } from './tuning.js';
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
  /**
   * Tune the shared choices (learning rate; Dropout's rate when a Dropout variant is trained) on
   * the calibration window before training the variants (default true); false keeps the spec's.
   */
  readonly tune?: boolean;
}

interface SeedOutcome {
  readonly ranking: RankingSet;
  readonly metrics: { fresh: MetricSet; all: MetricSet };
  readonly trainSeconds: number;
  readonly examplesPerSecond: number;
}

/** The `liftPct` of one variant from the lift table's cells. */
function liftsOf(cells: readonly CellLift[], variant: string): NonNullable<VariantResult['liftPct']> {
  const out = { fresh: { [HITS_METRIC]: {} as Record<string, Lift> }, all: { [HITS_METRIC]: {} as Record<string, Lift> } };
  for (const c of cells.filter((x) => x.variant === variant)) {
    out[c.slice][HITS_METRIC][c.task] = {
      value: c.value,
      ci95: c.ci95,
      p: c.p,
      points: c.points,
      pointsCi95: c.pointsCi95,
      primary: c.primary,
      ...(c.pHolm === undefined ? {} : { pHolm: c.pHolm }),
      significant: c.significant,
      perSeed: c.perSeed,
    };
  }
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
 * Trains the paper's comparison set (Table 1) on one dataset and split. First the shared choices
 * are tuned on the calibration window (`tune`, see `tuneSharedChoices`); then every variant is
 * trained with `seeds` training seeds and evaluated on the evaluation window; lifts over the
 * baseline come with a bootstrap over users (all their requests together) and seeds paired across
 * arms, declared primary cells and Holm over the rest (`liftTable`); the analyses (Fig 2, 6, 7) run
 * on each variant's first seed, reference scorers check for shortcuts, the ground truth and the
 * fresh-boost frontiers are measured (`ExperimentEvaluation`); writes `results.json`,
 * `report.html`, `report.md` and the serving artifacts of one variant.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ResultsFile> {
  const started = performance.now();
  const { data, out, logger } = options;
  // data.spec: the --spec with what loading it learnt (vocabularies), or the source's own spec.
  const withStats = withTrainingStats(data.spec, data.frame, data.split.rows.train);
  const coldDays = withStats.coldStart.coldDays;
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const samples = options.bootstrapSamples ?? 1000;
  await prepareRunsDir(join(out, 'runs'), options.resume);
  if (data.frame.itemHistory) {
    // The leakage check per window: a status whose positive rate flips between training and evaluation is a trap.
    logger.info('positive rates of candidates per window (all / warm / cold / no history):');
    for (const line of formatLeakageReport(leakageReport(data.frame, data.split, coldDays)).split('\n')) logger.info(`  ${line}`);
  }
  let tuning: TunedChoice[] | undefined;
  let base = withStats;
  if (options.tune ?? true) {
    const tuned = await tuneSharedChoices(withStats, options.variants, {
      data,
      dir: join(out, 'runs', 'tuning'),
      resume: options.resume,
      logger,
      ...(options.engine ? { engine: options.engine } : {}),
    });
    base = tuned.spec;
    tuning = tuned.choices;
  }

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
        const predictions = await predictRows(model, data.frame, evalRows, {
          representation: first,
          progress: scoring,
          warn: (m) => logger.warn(m),
        });
        scoring.done(describeScoring(predictions.scoring));
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
  let table: ReturnType<typeof liftTable> | undefined;
  if (baseline && evaluationOrder) {
    const first = baseline[0]?.ranking as RankingSet;
    table = liftTable({
      tasks: base.tasks.map((t) => t.name),
      baseline: baseline.map((o) => o.ranking),
      variants: new Map(
        variants.filter((v) => v.name !== 'baseline').map((v) => [v.name, (outcomes.get(v.name) ?? []).map((o) => o.ranking)]),
      ),
      users: requestClusters(
        first,
        Int32Array.from(evaluationOrder.rows, (r) => data.frame.userId[r] as number),
      ),
      samples,
      seed: 1000,
    });
  }
  const withLifts = variants.map((v) => (table && v.name !== 'baseline' ? { ...v, liftPct: liftsOf(table.cells, v.name) } : v));
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
    ...(table ? { liftStatistics: table.statistics } : {}),
    ...(tuning ? { tuning } : {}),
    totalSeconds: (performance.now() - started) / 1000,
  };
  await writeJsonAtomic(join(out, 'results.json'), results);
  await writeFileAtomic(join(out, 'report.html'), renderReportHtml(results));
  await writeFileAtomic(join(out, 'report.md'), renderReportMarkdown(results));
  return results;
}
