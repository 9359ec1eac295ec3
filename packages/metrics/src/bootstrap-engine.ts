import { createRng } from '@thaw/tensor';

/**
 * The one resampling engine behind every bootstrap of this package (`clusterBootstrap`,
 * `bootstrapInterval`, `pairedBootstrap`). Not exported from the package root.
 *
 * A replicate draws `C` clusters with replacement out of the `C` clusters (a cluster is the unit
 * that really varies, e.g. a user: all its requests move together) and, when the arms hold
 * several training seeds, `S` seed indices with replacement — **the same indices for every arm**
 * (seed k of A is compared with seed k of B). An arm's replicate value is the mean over the drawn
 * seed indices of that seed's metric on the drawn clusters.
 */

/** Cluster id per request: numbers, bigints or strings (e.g. user ids). */
export type ClusterIds = ArrayLike<number | bigint> | readonly (number | bigint | string)[];

/** Requests grouped into dense cluster indices `0 … count − 1` (first-appearance order). */
export interface ClusterIndex {
  /** Cluster index of each request. */
  readonly ofRequest: Int32Array;
  /** Number of clusters. */
  readonly count: number;
}

/** One drawn replicate: how many times each cluster was drawn, and its request indices on demand. */
export interface ClusterDraw {
  readonly counts: Int32Array;
  /** The drawn requests, each cluster's requests repeated `counts[c]` times (for re-ranking metrics). */
  requestIndices(): Int32Array;
}

/** An arm of the engine: its seed count and its metric on a drawn replicate. */
export interface ArmEvaluator {
  readonly seeds: number;
  /** The metric of seed `seed` on `draw` (`NaN` when undefined, e.g. no request counts). */
  value(seed: number, draw: ClusterDraw): number;
}

/** Engine settings (already validated by the caller's options). */
export interface EngineSettings {
  readonly samples: number;
  readonly seed: number;
  readonly resampleSeeds: boolean;
}

/** Validated common options of the public bootstraps. */
export interface CommonOptions {
  readonly samples?: number;
  readonly seed?: number;
  readonly confidence?: number;
  readonly resampleSeeds?: boolean;
}

/** Checks the common options and fills their defaults (1000 samples, seed 0, 95%, seeds resampled). */
export function resolveCommonOptions(
  fn: string,
  options: CommonOptions,
): { samples: number; seed: number; confidence: number; resampleSeeds: boolean } {
  const samples = options.samples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(samples) || samples < 1)
    throw new RangeError(`${fn}: options.samples must be an integer ≥ 1 (got ${samples})`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`${fn}: options.confidence must be in (0, 1) (got ${confidence})`);
  if (!Number.isInteger(seed)) throw new RangeError(`${fn}: options.seed must be an integer (got ${seed})`);
  return { samples, seed, confidence, resampleSeeds: options.resampleSeeds ?? true };
}

/**
 * Dense cluster indices of `requests` requests from their ids; without ids, every request is its
 * own cluster (a request-level bootstrap — only right when requests are independent).
 *
 * @throws RangeError when the ids do not hold one entry per request.
 */
export function clusterIndex(fn: string, ids: ClusterIds | undefined, requests: number): ClusterIndex {
  if (ids === undefined) return { ofRequest: Int32Array.from({ length: requests }, (_, r) => r), count: requests };
  if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw new TypeError(`${fn}: options.clusters must be an array with one cluster id (e.g. user id) per request`);
  }
  if (ids.length !== requests) {
    throw new RangeError(
      `${fn}: options.clusters has ${ids.length} entries but there are ${requests} requests; give one cluster id (e.g. the user) per request, in request order`,
    );
  }
  const dense = new Map<number | bigint | string, number>();
  const ofRequest = new Int32Array(requests);
  for (let r = 0; r < requests; r++) {
    const id = ids[r] as number | bigint | string;
    if (typeof id === 'number' && Number.isNaN(id)) throw new RangeError(`${fn}: options.clusters[${r}] is NaN`);
    let c = dense.get(id);
    if (c === undefined) {
      c = dense.size;
      dense.set(id, c);
    }
    ofRequest[r] = c;
  }
  return { ofRequest, count: dense.size };
}

class Draw implements ClusterDraw {
  readonly counts: Int32Array;
  private indices: Int32Array | undefined;
  constructor(
    counts: Int32Array,
    private readonly members: readonly Int32Array[],
  ) {
    this.counts = counts;
  }
  requestIndices(): Int32Array {
    if (this.indices) return this.indices;
    let total = 0;
    this.members.forEach((m, c) => {
      total += m.length * (this.counts[c] as number);
    });
    const out = new Int32Array(total);
    let at = 0;
    this.members.forEach((m, c) => {
      for (let k = 0; k < (this.counts[c] as number); k++) {
        out.set(m, at);
        at += m.length;
      }
    });
    this.indices = out;
    return out;
  }
}

function membersOf(clusters: ClusterIndex): Int32Array[] {
  const sizes = new Int32Array(clusters.count);
  for (const c of clusters.ofRequest) sizes[c] = (sizes[c] as number) + 1;
  const members = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(clusters.count);
  clusters.ofRequest.forEach((c, r) => {
    (members[c] as Int32Array)[fill[c] as number] = r;
    fill[c] = (fill[c] as number) + 1;
  });
  return members;
}

/** The number of seeds shared by the arms (an arm with one seed is used for every seed index). */
export function pairedSeedCount(fn: string, arms: readonly ArmEvaluator[]): number {
  const counts = new Set(arms.map((a) => a.seeds).filter((s) => s > 1));
  if (counts.size > 1) {
    throw new RangeError(
      `${fn}: the arms hold ${arms.map((a) => a.seeds).join(' and ')} seeds; seeds are paired (seed k of A with seed k of B), so give the same number of seeds to each arm (or one set to an arm that has no seeds)`,
    );
  }
  return counts.size === 0 ? 1 : ([...counts][0] as number);
}

function armMean(arm: ArmEvaluator, seedIndices: Int32Array, draw: ClusterDraw, cache: Float64Array): number {
  cache.fill(Number.NaN);
  let sum = 0;
  for (const k of seedIndices) {
    const seed = arm.seeds === 1 ? 0 : k;
    let v = cache[seed] as number;
    if (Number.isNaN(v)) v = cache[seed] = arm.value(seed, draw);
    sum += v;
  }
  return sum / seedIndices.length;
}

/** The point value of each arm: the mean over its seeds of its metric on all clusters once. */
export function pointValues(arms: readonly ArmEvaluator[], clusters: ClusterIndex): number[] {
  const draw = new Draw(new Int32Array(clusters.count).fill(1), membersOf(clusters));
  return arms.map((arm) => {
    let sum = 0;
    for (let k = 0; k < arm.seeds; k++) sum += arm.value(k, draw);
    return sum / arm.seeds;
  });
}

/**
 * Draws `samples` replicates and returns, per arm, its replicate values (`NaN` where the arm's
 * metric is undefined on the replicate). Deterministic by `settings.seed`.
 */
export function drawReplicates(
  arms: readonly ArmEvaluator[],
  clusters: ClusterIndex,
  seeds: number,
  settings: EngineSettings,
): Float64Array[] {
  const rng = createRng(settings.seed);
  const members = membersOf(clusters);
  const out = arms.map(() => new Float64Array(settings.samples));
  const caches = arms.map((arm) => new Float64Array(arm.seeds));
  const seedIndices = Int32Array.from({ length: seeds }, (_, k) => k);
  for (let b = 0; b < settings.samples; b++) {
    const counts = new Int32Array(clusters.count);
    for (let i = 0; i < clusters.count; i++) {
      const c = rng.int(clusters.count);
      counts[c] = (counts[c] as number) + 1;
    }
    if (settings.resampleSeeds && seeds > 1) for (let k = 0; k < seeds; k++) seedIndices[k] = rng.int(seeds);
    const draw = new Draw(counts, members);
    arms.forEach((arm, a) => {
      (out[a] as Float64Array)[b] = armMean(arm, seedIndices, draw, caches[a] as Float64Array);
    });
  }
  return out;
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const low = sorted[lower] as number;
  return low + (position - lower) * ((sorted[upper] as number) - low);
}

/** Finite values of `values`, sorted ascending. */
export function finiteSorted(values: Float64Array): Float64Array {
  return values.filter((v) => Number.isFinite(v)).sort();
}

/** The percentile interval of sorted replicates at `confidence`. */
export function percentileInterval(sorted: Float64Array, confidence: number): [number, number] {
  const alpha = 1 - confidence;
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)];
}

/**
 * Two-sided bootstrap p-value of "the statistic is 0" from its replicates:
 * `min(1, 2 · min(1 + #{d* ≤ 0}, 1 + #{d* ≥ 0}) / (n + 1))`. `NaN` with no replicate.
 */
export function bootstrapPValue(sorted: Float64Array): number {
  if (sorted.length === 0) return Number.NaN;
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (const v of sorted) {
    if (v <= 0) atOrBelow++;
    if (v >= 0) atOrAbove++;
  }
  return Math.min(1, (2 * Math.min(atOrBelow + 1, atOrAbove + 1)) / (sorted.length + 1));
}
