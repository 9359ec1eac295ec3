import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveOnlineOptions } from '@thaw/data';
import { AB_PRESETS, type AbPresetName, armPlans } from '../ab/ab-plan.js';
import { renderAbText } from '../ab/ab-report.js';
import { runSimulateAb } from '../ab/run-ab.js';
import { UsageError } from '../usage-error.js';
import { activateBackend, backendOption, type CommonOptions, checkVariant, ensureWritableDir, loggerFor } from './common.js';

/** Flags of `thaw-train simulate-ab`. */
export interface SimulateAbCommandOptions extends CommonOptions {
  readonly out: string;
  readonly arms?: string;
  readonly preset?: string;
  readonly days?: string;
  readonly worlds?: string;
  readonly requestsPerDay?: string;
  readonly candidates?: string;
  readonly retrainEvery?: string;
  readonly trainWindow?: string;
  readonly aa?: boolean;
  readonly boost?: boolean;
  readonly boostTarget?: string;
  readonly boostMatch?: string;
  readonly bootstrap?: string;
  readonly resume?: boolean;
}

function integer(value: string | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} must be an integer ≥ ${min} (got ${value})`);
  return n;
}

/** `thaw-train simulate-ab`: the online A/B test in simulation (Tables 2, 3, 5), with its report. */
export async function simulateAbCommand(options: SimulateAbCommandOptions): Promise<void> {
  // Everything the user typed is checked before any work starts.
  const presetName = (options.preset ?? 'demo') as AbPresetName;
  const preset = AB_PRESETS[presetName];
  if (!Object.hasOwn(AB_PRESETS, presetName) || !preset) {
    throw new UsageError(`--preset ${options.preset}: use one of ${Object.keys(AB_PRESETS).join(', ')}`);
  }
  const variants = (options.arms ?? 'baseline,all')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of variants) checkVariant(v, '--arms');
  const aa = options.aa ?? true;
  const boost = options.boost ?? true;
  try {
    armPlans(variants, { aa, boost, ...(options.boostTarget ? { boostTarget: options.boostTarget } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^simulate-ab: /, ''));
  }
  const boostMatch = options.boostMatch ?? 'daily';
  if (boostMatch !== 'daily' && boostMatch !== 'pilot') {
    throw new UsageError(
      `--boost-match ${boostMatch}: use daily (re-matched every day) or pilot (the day-0 boost for the whole run)`,
    );
  }
  const days = integer(options.days, '--days', 1);
  const worlds = integer(options.worlds, '--worlds', 1);
  const candidates = integer(options.candidates, '--candidates', 10);
  const retrainEvery = integer(options.retrainEvery, '--retrain-every', 0);
  const trainWindow = integer(options.trainWindow, '--train-window', 2);
  const bootstrap = integer(options.bootstrap, '--bootstrap', 1);
  let requestsPerDay: number | undefined;
  if (options.requestsPerDay !== undefined) {
    requestsPerDay = Number(options.requestsPerDay);
    if (!(requestsPerDay > 0) || !Number.isFinite(requestsPerDay)) {
      throw new UsageError(`--requests-per-day must be a number > 0 (got ${options.requestsPerDay})`);
    }
  }
  const online = {
    ...(days !== undefined ? { days } : {}),
    ...(requestsPerDay !== undefined ? { requestsPerDay } : {}),
    ...(candidates !== undefined ? { candidates } : {}),
  };
  try {
    resolveOnlineOptions({ ...preset.online, ...online });
  } catch (error) {
    throw new UsageError(
      (error as Error).message
        .replace(/^online: options\.days/, '--days')
        .replace(/^online: options\.candidates/, '--candidates')
        .replace(/^online: options\.requestsPerDay/, '--requests-per-day'),
    );
  }
  const backend = backendOption(options.backend);
  const out = resolve(options.out);
  if (!options.resume && existsSync(out)) {
    const entries = readdirSync(out).filter((e) => !e.startsWith('.write-test-'));
    if (entries.length > 0 && !entries.includes('.thaw-simulate-ab')) {
      throw new UsageError(`--out ${options.out}: not empty and not made by simulate-ab; choose another directory or empty it`);
    }
  }
  await ensureWritableDir(out);

  const logger = loggerFor(options);
  const effectiveDays = days ?? resolveOnlineOptions(preset.online).days;
  if (effectiveDays <= 28) {
    logger.warn(
      `--days ${effectiveDays}: items fresh at the start do not age out before day 28; the paper’s fresh window is 28 days`,
    );
  }
  if ((worlds ?? preset.worlds) < 2) logger.warn('one world: no interval can be computed (the unit of noise is the world)');
  const backendName = await activateBackend(backend);
  const ab = await runSimulateAb({
    presetName,
    preset,
    variants,
    aa,
    boost,
    ...(options.boostTarget ? { boostTarget: options.boostTarget } : {}),
    boostMatch,
    ...(worlds !== undefined ? { worlds } : {}),
    online,
    ...(retrainEvery !== undefined ? { retrainEvery } : {}),
    ...(trainWindow !== undefined ? { trainWindow } : {}),
    out,
    resume: options.resume ?? false,
    logger,
    backend: backendName,
    ...(bootstrap !== undefined ? { bootstrapSamples: bootstrap } : {}),
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ ab: join(out, 'ab.json'), report: join(out, 'ab.html'), totalSeconds: ab.seconds.total })}\n`,
    );
    return;
  }
  process.stdout.write(`\n${renderAbText(ab)}\n`);
  process.stdout.write(
    `\nreport: ${join(out, 'ab.html')}\nresults: ${join(out, 'ab.json')} (tables also in ab.md)\ntotal ${ab.seconds.total.toFixed(0)} s\n`,
  );
}
