import { join, resolve } from 'node:path';
import { SIMULATION_PRESETS } from '@thaw/data';
import { checkDataSource, loadDataSource } from '../data-source.js';
import { runExperiment } from '../experiment.js';
import { renderLiftTable } from '../report/index.js';
import { UsageError } from '../usage-error.js';
import { PAPER_VARIANTS } from '../variants.js';
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
import { loadSpec } from './spec.js';

/** Flags of `thaw-train experiment`. */
export interface ExperimentCommandOptions extends CommonOptions {
  readonly data: string;
  readonly out: string;
  readonly spec?: string;
  readonly preset?: string;
  readonly variants?: string;
  readonly seeds?: string;
  readonly resume?: boolean;
  readonly mapping?: string;
  readonly bootstrap?: string;
  readonly serveVariant?: string;
  /** False with `--no-tune`. */
  readonly tune?: boolean;
}

/** `thaw-train experiment`: the paper's comparison set on one dataset, with the report. */
export async function experimentCommand(options: ExperimentCommandOptions): Promise<void> {
  // Everything the user typed is checked before any work starts.
  let data = options.data;
  if (options.preset !== undefined) {
    if (!Object.hasOwn(SIMULATION_PRESETS, options.preset)) {
      throw new UsageError(`--preset ${options.preset}: use one of ${Object.keys(SIMULATION_PRESETS).join(', ')}`);
    }
    if (data !== 'sim' && !data.startsWith('sim:'))
      throw new UsageError(`--preset applies to the simulator only (--data sim), not ${data}`);
    data = `sim:${options.preset}`;
  }
  const variants = (options.variants ?? PAPER_VARIANTS.join(','))
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of variants) checkVariant(v, '--variants');
  if (options.serveVariant) checkVariant(options.serveVariant, '--serve-variant');
  if (new Set(variants).size !== variants.length) throw new UsageError('--variants lists a variant twice');
  if (!variants.includes('baseline')) throw new UsageError('--variants must include baseline: every lift is measured against it');
  if (options.serveVariant && !variants.includes(options.serveVariant)) {
    throw new UsageError(`--serve-variant ${options.serveVariant} is not among --variants (${variants.join(',')})`);
  }
  const seeds = positiveInteger(options.seeds, '--seeds');
  const bootstrap = positiveInteger(options.bootstrap, '--bootstrap');
  const backend = backendOption(options.backend);
  const engine = engineOption(options.engine);
  const spec = options.spec ? await loadSpec(options.spec) : undefined;
  await checkDataSource(data, { ...(spec ? { spec } : {}), ...(options.mapping ? { mapping: options.mapping } : {}) });
  const out = resolve(options.out);
  await ensureWritableDir(out);

  const logger = loggerFor(options);
  const backendName = await activateBackend(backend);
  logger.info(`loading ${data} …`);
  const loaded = await loadDataSource(data, {
    ...(spec ? { spec } : {}),
    ...(options.mapping ? { mapping: options.mapping } : {}),
  });
  const seedCount = seeds ?? loaded.defaultSeeds;
  if (seeds === undefined && loaded.seedsNote) logger.info(`note: ${loaded.seedsNote}`);
  logger.info(
    `${loaded.name}: ${loaded.frame.size} impressions (train ${loaded.split.rows.train.length}, calibration ${loaded.split.rows.calibration.length}, eval ${loaded.split.rows.eval.length}); ${variants.length} variants × ${seedCount} seeds; training engine ${engine === 'auto' ? 'auto (onnxruntime when installed, else tfjs)' : engine}, tfjs backend ${backendName}`,
  );
  const results = await runExperiment({
    data: loaded,
    out,
    variants,
    seeds: seedCount,
    resume: options.resume ?? false,
    logger,
    backend: backendName,
    engine,
    ...(bootstrap ? { bootstrapSamples: bootstrap } : {}),
    ...(options.serveVariant ? { serveVariant: options.serveVariant } : {}),
    tune: options.tune ?? true,
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ results: join(out, 'results.json'), report: join(out, 'report.html'), totalSeconds: results.totalSeconds })}\n`,
    );
    return;
  }
  process.stdout.write(`\n${renderLiftTable(results)}\n`);
  process.stdout.write(
    `\nreport: ${join(out, 'report.html')}\nresults: ${join(out, 'results.json')}\nmodel for thaw-serve: ${join(out, 'model')}\ntotal ${results.totalSeconds.toFixed(0)} s\n`,
  );
}
