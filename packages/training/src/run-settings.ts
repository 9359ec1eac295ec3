import type { CheckpointRun } from './checkpoint.js';

/** The option a {@link CheckpointRun} setting comes from, for error messages. */
function optionName(path: string): string {
  const [head, ...rest] = path.split('.');
  if (head === 'stepConfig') {
    const key = rest.join('.');
    return ['lambda1', 'lambda2', 'alpha', 'aldiStage'].includes(key) ? `options.${key}` : `spec.coldStart (${key})`;
  }
  return `options.${path}`;
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) flatten(v, prefix === '' ? key : `${prefix}.${key}`, out);
  } else out.set(prefix, value);
}

const show = (value: unknown) => (value === undefined ? 'unset' : JSON.stringify(value));

/**
 * Refuses to resume a run whose settings differ from the checkpoint's: another spec or seed, or
 * another objective (λ1, λ2, α, ALDI stage), optimizer, batch size, epoch count or training
 * engine — mixing them into a resumed run would silently give a run that neither setting
 * describes. Settings a 0.1 checkpoint did not record are not compared (a checkpoint without an
 * engine was written by tfjs).
 *
 * @throws TypeError naming each differing option with the checkpoint's value and this run's.
 */
export function checkResumable(saved: CheckpointRun, current: Required<CheckpointRun>, dir: string): void {
  if (saved.specHash !== current.specHash || saved.seed !== current.seed) {
    throw new TypeError(
      `train: the checkpoint in ${dir} is from another run (spec hash ${saved.specHash}, seed ${saved.seed}; this run: ${current.specHash}, seed ${current.seed}); use another checkpoint dir or resume: false`,
    );
  }
  const differences: string[] = [];
  for (const key of ['stepConfig', 'optimizer', 'batchSize', 'epochs'] as const) {
    if (saved[key] === undefined) continue; // not recorded (a 0.1 checkpoint)
    const before = new Map<string, unknown>();
    const now = new Map<string, unknown>();
    flatten(saved[key], key, before);
    flatten(current[key], key, now);
    for (const path of new Set([...before.keys(), ...now.keys()])) {
      if (JSON.stringify(before.get(path)) !== JSON.stringify(now.get(path))) {
        differences.push(`${optionName(path)} is ${show(now.get(path))} but the checkpoint has ${show(before.get(path))}`);
      }
    }
  }
  const savedEngine = saved.engine ?? 'tfjs'; // checkpoints before the onnxruntime engine
  if (savedEngine !== current.engine) {
    differences.push(
      `options.engine is ${show(current.engine)} but the checkpoint was written by ${show(savedEngine)} (the engines agree to float32 rounding, not bit for bit)`,
    );
  }
  if (differences.length > 0) {
    throw new TypeError(
      `train: cannot resume from the checkpoint in ${dir} with other settings: ${differences.join('; ')}. Resume with the checkpoint's settings, or use another checkpoint dir or resume: false`,
    );
  }
}
