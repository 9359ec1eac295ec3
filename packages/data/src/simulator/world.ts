import type { Rng } from '@thaw/tensor';
import { SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { drawCumulative, poisson } from './sampling.js';
import type { SimulationOptions } from './simulation-options.js';

/**
 * The latent world of one simulation: items (in creation order) and users. Vectors are row-major
 * `[count, d]` float32. See the package README for the equations.
 */
export interface SimulatedWorld {
  readonly d: number;
  readonly itemCount: number;
  /** v_i = (μ_{c_i} + σ_w ε_i) / √(1 + σ_w²). */
  readonly itemLatent: Float32Array;
  /** x_i = (v_i + σ_c η_i) / √(1 + σ_c²): the content embedding the model sees. */
  readonly itemContent: Float32Array;
  /** ‖x_i‖, for cosine similarities. */
  readonly contentNorm: Float32Array;
  /** Observed category: c_i, or a uniform draw with probability `categoryNoise`. */
  readonly itemCategory: Int32Array;
  /** q_i ~ N(0, qualityStd²); a share `qualityVisibility` of its variance is a linear read of the content. */
  readonly itemQuality: Float32Array;
  /** s_i, l_i ~ N(0, actionStd²): save and click propensities. */
  readonly itemSave: Float32Array;
  readonly itemClick: Float32Array;
  /** Creation time, seconds since the epoch, non-decreasing in item index. */
  readonly itemCreatedAt: Float64Array;
  readonly userCount: number;
  /** u_j = (μ_{h_j} + σ_u ε_j) / √(1 + σ_u²). */
  readonly userTaste: Float32Array;
  /** Cumulative activity weights a_j ~ LogNormal(0, 1), for drawing the user of a request. */
  readonly userActivity: Float64Array;
}

function latentAround(rng: Rng, centroid: Float64Array, c: number, d: number, spread: number, out: Float32Array, at: number) {
  const scale = 1 / Math.sqrt(1 + spread * spread);
  for (let k = 0; k < d; k++) out[at + k] = ((centroid[c * d + k] as number) + spread * rng.normal()) * scale;
}

/**
 * Makes a share ν = `qualityVisibility` of the quality variance visible in content: with `w` a
 * random unit direction and `ĉ_i` the projection `w·x_i` standardised over the catalogue,
 * `q_i ← √ν σ_q ĉ_i + √(1 − ν) q_i`. The variance of `q` stays σ_q², of which ν is explained by a
 * linear function of the content `x_i` (R² = ν). `rng` is forked from the world's stream after
 * everything else is drawn, so the worlds at every ν share items, users and content.
 */
function showQualityInContent(options: SimulationOptions, rng: Rng, d: number, content: Float32Array, quality: Float32Array) {
  const direction = new Float64Array(d);
  let norm = 0;
  for (let k = 0; k < d; k++) {
    direction[k] = rng.normal();
    norm += (direction[k] as number) ** 2;
  }
  const N = quality.length;
  const projection = new Float64Array(N);
  let mean = 0;
  for (let i = 0; i < N; i++) {
    let dot = 0;
    for (let k = 0; k < d; k++) dot += (direction[k] as number) * (content[i * d + k] as number);
    projection[i] = dot / Math.sqrt(norm);
    mean += projection[i] as number;
  }
  mean /= N;
  let variance = 0;
  for (const p of projection) variance += (p - mean) ** 2;
  const sd = Math.sqrt(variance / N) || 1;
  const nu = options.qualityVisibility;
  for (let i = 0; i < N; i++) {
    const visible = ((projection[i] as number) - mean) / sd;
    quality[i] = Math.sqrt(nu) * options.qualityStd * visible + Math.sqrt(1 - nu) * (quality[i] as number);
  }
}

/**
 * Draws the world: category centroids μ_c ~ N(0, I_d), category popularity π_c ∝ (1 + c)^−½,
 * the initial catalogue created uniformly over `initialItemAgeDays` before the warm-up, then a
 * Poisson(`newItemsPerDay`) stream of new items per day at uniform times until the end of the
 * evaluation window, and the users.
 */
export function createWorld(options: SimulationOptions, rng: Rng): SimulatedWorld {
  const d = options.latentDim;
  const C = options.categories;
  const centroid = new Float64Array(C * d);
  for (let i = 0; i < centroid.length; i++) centroid[i] = rng.normal();
  const popularity = new Float64Array(C);
  for (let c = 0, acc = 0; c < C; c++) popularity[c] = acc += 1 / Math.sqrt(1 + c);

  const warmStart = options.startTime - options.warmupDays * SECONDS_PER_DAY;
  const days = options.warmupDays + options.trainDays + options.calibrationDays + options.evalDays;
  const created: number[] = [];
  for (let i = 0; i < options.initialItems; i++) {
    created.push(warmStart - rng.uniform() * options.initialItemAgeDays * SECONDS_PER_DAY);
  }
  created.sort((a, b) => a - b);
  for (let day = 0; day < days; day++) {
    const today: number[] = [];
    for (let n = poisson(rng, options.newItemsPerDay); n > 0; n--)
      today.push(warmStart + (day + rng.uniform()) * SECONDS_PER_DAY);
    created.push(...today.sort((a, b) => a - b));
  }

  const N = created.length;
  const itemLatent = new Float32Array(N * d);
  const itemContent = new Float32Array(N * d);
  const contentNorm = new Float32Array(N);
  const itemCategory = new Int32Array(N);
  const itemQuality = new Float32Array(N);
  const itemSave = new Float32Array(N);
  const itemClick = new Float32Array(N);
  const contentScale = 1 / Math.sqrt(1 + options.contentNoise ** 2);
  for (let i = 0; i < N; i++) {
    const c = drawCumulative(rng, popularity);
    latentAround(rng, centroid, c, d, options.itemSpread, itemLatent, i * d);
    let norm = 0;
    for (let k = 0; k < d; k++) {
      const x = ((itemLatent[i * d + k] as number) + options.contentNoise * rng.normal()) * contentScale;
      itemContent[i * d + k] = x;
      norm += x * x;
    }
    contentNorm[i] = Math.sqrt(norm);
    itemCategory[i] = rng.uniform() < options.categoryNoise ? rng.int(C) : c;
    itemQuality[i] = options.qualityStd * rng.normal();
    itemSave[i] = options.actionStd * rng.normal();
    itemClick[i] = options.actionStd * rng.normal();
  }

  const U = options.users;
  const userTaste = new Float32Array(U * d);
  const userActivity = new Float64Array(U);
  for (let j = 0, acc = 0; j < U; j++) {
    latentAround(rng, centroid, drawCumulative(rng, popularity), d, options.userSpread, userTaste, j * d);
    userActivity[j] = acc += Math.exp(rng.normal());
  }
  // Last: every other draw of the world is the same whatever the visibility.
  if (options.qualityVisibility > 0) showQualityInContent(options, rng.fork(7), d, itemContent, itemQuality);
  return {
    d,
    itemCount: N,
    itemLatent,
    itemContent,
    contentNorm,
    itemCategory,
    itemQuality,
    itemSave,
    itemClick,
    itemCreatedAt: Float64Array.from(created),
    userCount: U,
    userTaste,
    userActivity,
  };
}
