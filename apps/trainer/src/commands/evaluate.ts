import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Calibration } from '@thaw/model';
import { ARTIFACT_FILES, validateSpec } from '@thaw/spec';
import { buildModel } from '@thaw/tfjs';
import { loadWeights } from '@thaw/weights';
import { writeJsonAtomic } from '../atomic-write.js';
import { checkDataSource, loadDataSource } from '../data-source.js';
import { evaluatePredictions, predictionProbabilities, predictionRanking, predictionScores } from '../evaluate-predictions.js';
import { itemKey, verifyArtifacts } from '../model-artifacts.js';
import { describeScoring, predictRows } from '../predict-rows.js';
import { activateBackend, backendOption, type CommonOptions, ensureArtifactsDir, loggerFor } from './common.js';
import { formatMetrics } from './format-metrics.js';

/** Flags of `thaw-train evaluate`. */
export interface EvaluateCommandOptions extends CommonOptions {
  readonly model: string;
  readonly data: string;
  readonly mapping?: string;
  /** Also write every evaluation row's item, request and score here (JSON). */
  readonly predictions?: string;
}

/**
 * `thaw-train evaluate`: scores the evaluation window of `--data` with a trained artifacts
 * directory (its spec, weights and calibration) and reports the metrics.
 */
export async function evaluateCommand(options: EvaluateCommandOptions): Promise<void> {
  const backend = backendOption(options.backend);
  const dir = resolve(options.model);
  await ensureArtifactsDir(dir, ARTIFACT_FILES.spec);
  await verifyArtifacts(dir);
  const spec = validateSpec(JSON.parse(await readFile(join(dir, ARTIFACT_FILES.spec), 'utf8')), join(dir, ARTIFACT_FILES.spec));
  await checkDataSource(options.data, { spec, ...(options.mapping ? { mapping: options.mapping } : {}) });
  const logger = loggerFor(options);
  await activateBackend(backend);
  const data = await loadDataSource(options.data, {
    spec,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    vocabularies: 'fixed',
    specSource: join(dir, ARTIFACT_FILES.spec),
  });
  const calibration = JSON.parse(await readFile(join(dir, ARTIFACT_FILES.calibration), 'utf8')) as Calibration;
  const weights = await loadWeights(join(dir, ARTIFACT_FILES.weights));
  const model = buildModel(spec, { weights: weights.tensors });
  try {
    const progress = logger.progress('evaluate', data.split.rows.eval.length);
    const predictions = await predictRows(model, data.frame, data.split.rows.eval, { progress, warn: (m) => logger.warn(m) });
    progress.done(describeScoring(predictions.scoring));
    const probs = predictionProbabilities(spec, predictions, calibration);
    const ranking = predictionRanking(spec, predictions, probs);
    const metrics = evaluatePredictions(spec, predictions, probs, ranking);
    if (options.predictions) {
      const scores = predictionScores(spec, predictions, probs);
      const rows = Array.from(predictions.rows, (r, i) => ({
        requestId: predictions.requestId[i],
        itemId: itemKey(data.frame, data.frame.itemId[r] as number),
        score: scores[i],
      }));
      await writeJsonAtomic(resolve(options.predictions), rows);
    }
    if (options.json) process.stdout.write(`${JSON.stringify({ model: dir, data: data.name, metrics })}\n`);
    else process.stdout.write(`${formatMetrics(spec, metrics)}\n`);
  } finally {
    model.dispose();
  }
}
