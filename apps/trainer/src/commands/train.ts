import { join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../atomic-write.js';
import { checkDataSource, loadDataSource } from '../data-source.js';
import { evaluatePredictions, predictionProbabilities, predictionRanking } from '../evaluate-predictions.js';
import { calibrationByTask, writeModelArtifacts } from '../model-artifacts.js';
import { describeScoring, predictRows } from '../predict-rows.js';
import { renderTrainReportMarkdown } from '../report/train-report.js';
import { trainRun } from '../train-run.js';
import { withTrainingStats } from '../training-stats.js';
import { UsageError } from '../usage-error.js';
import { variantSpec } from '../variants.js';
import {
  activateBackend,
  backendOption,
  type CommonOptions,
  checkVariant,
  engineOption,
  ensureWritableDir,
  loggerFor,
  positiveInteger,
} from './common.js';
import { formatMetrics } from './format-metrics.js';
import { loadSpec } from './spec.js';

/** Flags of `thaw-train train`. */
export interface TrainCommandOptions extends CommonOptions {
  readonly data: string;
  readonly out: string;
  readonly spec?: string;
  readonly variant?: string;
  readonly seed?: string;
  readonly resume?: boolean;
  readonly mapping?: string;
  readonly checkpointEvery?: string;
}

/**
 * `thaw-train train`: trains one model (one variant, one seed) on the training window, calibrates
 * it on the calibration window, evaluates it on the evaluation window and writes the artifacts
 * directory (`spec.json`, weights, `calibration.json`, `model.onnx`, `items-table.bin`,
 * `evaluation.json` …).
 */
export async function trainCommand(options: TrainCommandOptions): Promise<void> {
  const variant = options.variant ?? 'all';
  checkVariant(variant, '--variant');
  const seed = options.seed === undefined ? 1 : Number(options.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer (got ${options.seed})`);
  const checkpointEvery = positiveInteger(options.checkpointEvery, '--checkpoint-every');
  const backend = backendOption(options.backend);
  const engine = engineOption(options.engine);
  const spec = options.spec ? await loadSpec(options.spec) : undefined;
  const sourceOptions = { ...(spec ? { spec } : {}), ...(options.mapping ? { mapping: options.mapping } : {}) };
  await checkDataSource(options.data, sourceOptions);
  const out = resolve(options.out);
  await ensureWritableDir(out);

  const logger = loggerFor(options);
  const backendName = await activateBackend(backend);
  const data = await loadDataSource(options.data, sourceOptions);
  // data.spec: the --spec with what loading it learnt (vocabularies), or the source's own spec.
  const base = withTrainingStats(data.spec, data.frame, data.split.rows.train);
  const trained = variantSpec(base, variant);
  logger.info(
    `training ${trained.name} / ${variant} (seed ${seed}) on ${data.name} (training engine ${engine}, tfjs backend ${backendName})`,
  );
  const { model, summary } = await trainRun({
    spec: trained,
    frame: data.frame,
    split: data.split,
    dataName: data.name,
    seed,
    dir: out,
    resume: options.resume ?? false,
    logger,
    label: variant,
    gradientEvery: 0,
    engine,
    ...(checkpointEvery ? { checkpointEvery } : {}),
  });
  try {
    await writeModelArtifacts({ dir: out, model, summary, data, variant, logger });
    const scoring = logger.progress('evaluate', data.split.rows.eval.length);
    const predictions = await predictRows(model, data.frame, data.split.rows.eval, {
      progress: scoring,
      warn: (m) => logger.warn(m),
    });
    scoring.done(describeScoring(predictions.scoring));
    const probs = predictionProbabilities(trained, predictions, calibrationByTask(trained, summary.calibration));
    const metrics = evaluatePredictions(trained, predictions, probs, predictionRanking(trained, predictions, probs));
    await writeJsonAtomic(join(out, 'evaluation.json'), {
      data: data.name,
      window: 'eval',
      rows: predictions.rows.length,
      metrics,
    });
    const report = join(out, 'report.md');
    await writeFileAtomic(
      report,
      renderTrainReportMarkdown({
        spec: trained,
        variant,
        data,
        summary,
        metrics,
        backend: backendName,
        createdAt: new Date().toISOString(),
      }),
    );
    if (options.json) process.stdout.write(`${JSON.stringify({ out, report, metrics })}\n`);
    else process.stdout.write(`${formatMetrics(trained, metrics)}\nartifacts: ${out}\nreport: ${report}\n`);
  } finally {
    model.dispose();
  }
}
