import type { ModelSpec } from '@thaw/spec';
import { createRng, type Rng } from '@thaw/tensor';
import { type FeatureFrame, SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { FrameBuilder } from '../frame/frame-builder.js';
import { HistoryState } from '../history/history-state.js';
import type { ItemSnapshot } from '../snapshot/item-snapshot.js';
import type { FrameSplit } from '../split/frame-split.js';
import { temporalSplit } from '../split/temporal-split.js';
import { resolveSimulationOptions, type SimulationInput } from './resolve-options.js';
import { contentCosine, retrieveCandidates } from './retrieve.js';
import { drawCumulative, gumbel, poisson, sigmoid } from './sampling.js';
import { type ImpressionLog, SimulatedItems, simulatedItemHistory } from './simulated-items.js';
import type { SimulationOptions } from './simulation-options.js';
import { simulatorSpec } from './simulator-spec.js';
import { createWorld, type SimulatedWorld } from './world.js';

/** The result of {@link simulate}. */
export interface Simulation {
  /** Impressions of the emitted days (warm-up excluded), with ground-truth probabilities. */
  readonly frame: FeatureFrame;
  /** The spec matching the frame's features (`demoSpec` for the default options). */
  readonly spec: ModelSpec;
  /** The temporal split on the simulated windows (train / calibration / eval days). */
  readonly split: FrameSplit;
  readonly options: SimulationOptions;
  readonly seed: number;
  /**
   * The item-source features of every item as of `asOf` (seconds since the epoch) — for the
   * serving items table at the end of training, e.g. `itemSnapshot(split.windows.calibration.end)`:
   * every item created strictly before `asOf`; `item_stats` from every impression strictly before
   * `asOf` (warm-up included, the same tallies as the frame's rows); `item_age` at `asOf`;
   * `item_id`, `item_content`, `item_category` as in the frame. Keys are `String(itemId)`.
   *
   * @throws RangeError when `asOf` is not a finite number.
   */
  itemSnapshot(asOf: number): ItemSnapshot;
}

const TASKS = ['grid_click', 'save', 'click'] as const;

interface Shown {
  item: number;
  truth: [number, number, number];
  labels: [number, number, number];
}

function pickQuery(world: SimulatedWorld, rng: Rng, user: number, existing: number, engaged: Int32Array, engagedCount: number) {
  const d = world.d;
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let n = 0; n < 16; n++) {
    const i = n < 8 && engagedCount > 0 ? (engaged[rng.int(engagedCount)] as number) : rng.int(existing);
    let dot = 0;
    for (let k = 0; k < d; k++) dot += (world.userTaste[user * d + k] as number) * (world.itemLatent[i * d + k] as number);
    const score = dot / d + gumbel(rng) / 2;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/**
 * Simulates a Related-Pins-like "related items" surface with a known ground truth (the generative
 * process and its equations are in the package README): latent users and items, items created
 * continuously, a three-source retrieval stage that includes fresh items, a logging policy that
 * favours items with history (exposure bias), position-dependent examination, three tasks
 * (grid-click, save, click) and as-of historical features.
 *
 * Deterministic by `seed`. Presets: `tiny` (tests), `demo` (`npm start`), `paper`.
 *
 * @throws RangeError for an unknown preset or an invalid option.
 * @example
 * ```ts
 * const { frame, spec, split } = simulate('tiny', 1);
 * split.rows.train.length; // training impressions
 * ```
 */
export function simulate(input: SimulationInput = 'demo', seed = 0): Simulation {
  const options = resolveSimulationOptions(input);
  const root = createRng(seed);
  const world = createWorld(options, root.fork(1));
  const rng = root.fork(2);
  const spec = simulatorSpec(options);
  const d = world.d;
  const K = options.impressionsPerRequest;
  const emittedDays = options.trainDays + options.calibrationDays + options.evalDays;
  const builder = new FrameBuilder(spec, {
    truth: true,
    itemHistory: true,
    capacity: Math.ceil(emittedDays * options.requestsPerDay * K * 1.1) + 16,
  });
  const items = simulatedItemHistory(options.historySmoothing);
  const itemFeatures = new SimulatedItems(world, options.itemBuckets, options.historySmoothing);
  const log = { time: [] as number[], item: [] as number[], labels: [] as number[] };
  const users = new HistoryState({ labels: 0, profileDim: d });
  const stats = new Float64Array(items.statsWidth);
  const profile = new Float64Array(d);
  const engaged = new Int32Array(options.engagementBuffer);
  let engagedCount = 0;
  let engagedNext = 0;
  let pending: { user: number; shown: Shown[] }[] = [];
  let lastTime = Number.NEGATIVE_INFINITY;
  let existing = 0;
  let freshStart = 0;
  let requestId = 0;
  const { bias } = options;

  const flush = () => {
    for (const { user, shown } of pending) {
      for (const s of shown) {
        items.record(s.item, s.labels);
        if (s.labels[0] === 1) {
          users.recordProfile(user, world.itemContent, s.item * d);
          engaged[engagedNext] = s.item;
          engagedNext = (engagedNext + 1) % engaged.length;
          engagedCount = Math.min(engagedCount + 1, engaged.length);
        }
      }
    }
    pending = [];
  };

  const warmStart = options.startTime - options.warmupDays * SECONDS_PER_DAY;
  for (let day = 0; day < options.warmupDays + emittedDays; day++) {
    const times: number[] = [];
    for (let n = poisson(rng, options.requestsPerDay); n > 0; n--)
      times.push(warmStart + (day + rng.uniform()) * SECONDS_PER_DAY);
    times.sort((a, b) => a - b);
    for (const t of times) {
      // As-of rule: events of earlier instants become history; same-instant events do not.
      if (t > lastTime) flush();
      lastTime = t;
      while (existing < world.itemCount && (world.itemCreatedAt[existing] as number) <= t) existing++;
      while (
        freshStart < existing &&
        (world.itemCreatedAt[freshStart] as number) < t - options.freshWindowDays * SECONDS_PER_DAY
      ) {
        freshStart++;
      }
      if (existing < 2) continue;
      const user = drawCumulative(rng, world.userActivity);
      const query = pickQuery(world, rng, user, existing, engaged, engagedCount);
      const candidates = retrieveCandidates(world, options, { existing, freshStart, engaged, engagedCount }, rng, query);
      const ranked = candidates.map((item) => {
        items.writeStats(item, stats, 0);
        const rate = Math.min(1 - 1e-4, Math.max(1e-4, stats[4] as number));
        const score =
          options.policy.similarity * contentCosine(world, query, item) +
          options.policy.ctr * Math.log(rate / (1 - rate)) +
          options.policy.popularity * Math.log1p(items.count(item)) +
          options.policy.noise * gumbel(rng);
        return { item, score };
      });
      ranked.sort((a, b) => b.score - a.score);
      const shown: Shown[] = ranked.slice(0, K).map(({ item }, position) => {
        let userDot = 0;
        let queryDot = 0;
        for (let k = 0; k < d; k++) {
          const v = world.itemLatent[item * d + k] as number;
          userDot += (world.userTaste[user * d + k] as number) * v;
          queryDot += (world.itemLatent[query * d + k] as number) * v;
        }
        const relevance =
          (options.userWeight * userDot + options.queryWeight * queryDot) / d + (world.itemQuality[item] as number);
        const examined = (position + 1) ** -options.positionDecay;
        const gridClick = examined * sigmoid(bias.gridClick + relevance);
        const saveGiven = sigmoid(bias.save + relevance + (world.itemSave[item] as number));
        const clickGiven = sigmoid(bias.click + 0.5 * relevance + (world.itemClick[item] as number));
        const g = rng.uniform() < gridClick ? 1 : 0;
        const s = g === 1 && rng.uniform() < saveGiven ? 1 : 0;
        const c = g === 1 && rng.uniform() < clickGiven ? 1 : 0;
        return { item, truth: [gridClick, gridClick * saveGiven, gridClick * clickGiven], labels: [g, s, c] };
      });
      if (t >= options.startTime) {
        users.writeProfile(user, profile, 0);
        for (const s of rng.shuffle([...shown])) {
          const r = builder.addRow();
          const item = s.item;
          const created = world.itemCreatedAt[item] as number;
          builder.setMeta(r, { requestId, itemId: item, userId: user, timestamp: t, itemCreatedAt: created });
          itemFeatures.write(builder, r, item, t, items);
          builder.setDense('user_history', r, profile);
          builder.setDense('query_content', r, world.itemContent, query * d);
          TASKS.forEach((task, k) => {
            builder.setLabel(task, r, s.labels[k] as number);
            builder.setTruth(task, r, s.truth[k] as number);
          });
          builder.setHistory(r, items.count(item), items.positivesOf(item, 0));
        }
        requestId++;
      }
      pending.push({ user, shown });
      for (const s of shown) {
        log.time.push(t);
        log.item.push(s.item);
        log.labels.push(...s.labels);
      }
    }
  }
  const frame = builder.build();
  const D = SECONDS_PER_DAY;
  const a = options.startTime + options.trainDays * D;
  const b = a + options.calibrationDays * D;
  const split = temporalSplit(frame, {
    windows: {
      train: { start: options.startTime, end: a },
      calibration: { start: a, end: b },
      eval: { start: b, end: b + options.evalDays * D },
    },
  });
  const impressions: ImpressionLog = {
    time: Float64Array.from(log.time),
    item: Int32Array.from(log.item),
    labels: Uint8Array.from(log.labels),
  };
  return {
    frame,
    spec,
    split,
    options,
    seed,
    itemSnapshot: (asOf: number) => itemFeatures.snapshot(spec, impressions, asOf),
  };
}
