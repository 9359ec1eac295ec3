import { SIMULATION_PRESETS, type SimulationOptions, type SimulationPreset } from './simulation-options.js';

/** A preset name, or a preset plus overrides (`{ preset: 'demo', requestsPerDay: 100 }`). */
export type SimulationInput = SimulationPreset | (Partial<SimulationOptions> & { readonly preset?: SimulationPreset });

const integers: readonly [keyof SimulationOptions, number][] = [
  ['users', 1],
  ['initialItems', 1],
  ['candidatesRetrieved', 1],
  ['impressionsPerRequest', 1],
  ['trainDays', 1],
  ['calibrationDays', 0],
  ['evalDays', 1],
  ['warmupDays', 0],
  ['latentDim', 1],
  ['categories', 1],
  ['itemBuckets', 1],
  ['poolSize', 1],
  ['engagementBuffer', 1],
  ['propensitySamples', 1],
];
const nonNegative: readonly (keyof SimulationOptions)[] = [
  'newItemsPerDay',
  'requestsPerDay',
  'initialItemAgeDays',
  'itemSpread',
  'userSpread',
  'contentNoise',
  'qualityStd',
  'actionStd',
  'positionDecay',
  'freshWindowDays',
  'historySmoothing',
  'oracleRequestsPerDay',
];

/**
 * Merges a preset (default `demo`) with overrides and checks every value.
 *
 * @throws RangeError naming the option, its value and what is allowed.
 * @example `resolveSimulationOptions({ preset: 'tiny', users: 50 }).users // 50`
 */
export function resolveSimulationOptions(input: SimulationInput): SimulationOptions {
  const { preset = 'demo', ...overrides } = typeof input === 'string' ? { preset: input } : input;
  const presetOptions = SIMULATION_PRESETS[preset];
  if (!presetOptions) {
    throw new RangeError(
      `simulate: preset must be one of ${Object.keys(SIMULATION_PRESETS).join(', ')} (got ${JSON.stringify(preset)})`,
    );
  }
  const options: SimulationOptions = { ...presetOptions, ...overrides };
  const fail = (key: string, what: string, value: unknown): never => {
    throw new RangeError(`simulate: options.${key} must be ${what} (got ${JSON.stringify(value)})`);
  };
  for (const [key, min] of integers) {
    const v = options[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(key, `an integer ≥ ${min}`, v);
  }
  for (const key of nonNegative) {
    const v = options[key];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) fail(key, 'a finite number ≥ 0', v);
  }
  if (!Number.isFinite(options.startTime)) fail('startTime', 'a time in seconds since the epoch', options.startTime);
  if (!(options.categoryNoise >= 0 && options.categoryNoise <= 1))
    fail('categoryNoise', 'a probability in [0, 1]', options.categoryNoise);
  const calibrationProbes = options.oracleCalibrationRequestsPerDay;
  if (
    calibrationProbes !== undefined &&
    !(typeof calibrationProbes === 'number' && calibrationProbes >= 0 && Number.isFinite(calibrationProbes))
  ) {
    fail(
      'oracleCalibrationRequestsPerDay',
      'a finite number ≥ 0 (or undefined: the same as oracleRequestsPerDay)',
      calibrationProbes,
    );
  }
  if (!(options.qualityVisibility >= 0 && options.qualityVisibility <= 1))
    fail('qualityVisibility', 'a share in [0, 1]', options.qualityVisibility);
  const windows = options.oracleWindows;
  if (!Array.isArray(windows) || !windows.every((w) => w === 'train' || w === 'calibration' || w === 'eval')) {
    fail('oracleWindows', "a list of 'train', 'calibration', 'eval'", windows);
  }
  if (options.impressionsPerRequest > options.candidatesRetrieved) {
    fail('impressionsPerRequest', `≤ candidatesRetrieved (${options.candidatesRetrieved})`, options.impressionsPerRequest);
  }
  const { content, engagement, fresh } = options.retrieval;
  if (![content, engagement, fresh].every((v) => v >= 0) || content + engagement + fresh <= 0) {
    fail('retrieval', 'shares ≥ 0 with a positive sum', options.retrieval);
  }
  return options;
}
