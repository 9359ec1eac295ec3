import type { Rng } from '@thaw/tensor';
import { sigmoid } from './sampling.js';
import type { SimulationOptions } from './simulation-options.js';
import type { SimulatedWorld } from './world.js';

/** The simulator's three tasks, in spec order. */
export const SIMULATED_TASKS = ['grid_click', 'save', 'click'] as const;

/**
 * What the engagement model gives for one (user, query, item) when the item is **examined for
 * certain**: the position-free grid-click probability and the conditional save and click
 * probabilities given a grid-click.
 */
export interface EngagementProbabilities {
  /** p*_g = σ(β_g + ρ). */
  readonly gridClick: number;
  /** P(save | grid-click) = σ(β_s + ρ + s_i). */
  readonly saveGivenGridClick: number;
  /** P(click | grid-click) = σ(β_c + ρ/2 + l_i). */
  readonly clickGivenGridClick: number;
}

/**
 * The relevance ρ = (α_u u_j·v_i + α_q v_q·v_i) / d + q_i of item `item` for user `user` on query
 * item `query` (package README, "Labels").
 */
export function relevance(world: SimulatedWorld, options: SimulationOptions, user: number, query: number, item: number): number {
  const d = world.d;
  let userDot = 0;
  let queryDot = 0;
  for (let k = 0; k < d; k++) {
    const v = world.itemLatent[item * d + k] as number;
    userDot += (world.userTaste[user * d + k] as number) * v;
    queryDot += (world.itemLatent[query * d + k] as number) * v;
  }
  return (options.userWeight * userDot + options.queryWeight * queryDot) / d + (world.itemQuality[item] as number);
}

/**
 * The engagement model with examination = 1: p*_g and the conditional save / click probabilities
 * of one (user, query, item). No position, no sampling — this is the simulator's ground truth.
 *
 * @example
 * ```ts
 * const p = engagementProbabilities(world, options, user, query, item);
 * const [g, s, c] = trueProbabilities(p); // p*_t, position-free
 * ```
 */
export function engagementProbabilities(
  world: SimulatedWorld,
  options: SimulationOptions,
  user: number,
  query: number,
  item: number,
): EngagementProbabilities {
  const rho = relevance(world, options, user, query, item);
  const { bias } = options;
  return {
    gridClick: sigmoid(bias.gridClick + rho),
    saveGivenGridClick: sigmoid(bias.save + rho + (world.itemSave[item] as number)),
    clickGivenGridClick: sigmoid(bias.click + 0.5 * rho + (world.itemClick[item] as number)),
  };
}

/**
 * The position-free true probability of each task, in spec order (grid-click, save, click):
 * p*_g, p*_g · P(save | g), p*_g · P(click | g) — what a user does when the item is examined.
 */
export function trueProbabilities(p: EngagementProbabilities): [number, number, number] {
  return [p.gridClick, p.gridClick * p.saveGivenGridClick, p.gridClick * p.clickGivenGridClick];
}

/**
 * The examination probability of a 1-based slate position `position`: e_k = k^(−η), η =
 * `positionDecay` (1 at the top position).
 *
 * @throws RangeError for a position that is not an integer ≥ 1.
 * @example `examinationProbability(4, 0.5) // 0.5`
 */
export function examinationProbability(position: number, positionDecay: number): number {
  if (!Number.isInteger(position) || position < 1) {
    throw new RangeError(`examinationProbability: position must be an integer ≥ 1 (1 = top) (got ${position})`);
  }
  return position ** -positionDecay;
}

/** One logged impression's outcome: the labels drawn and the probabilities they were drawn with. */
export interface LoggedEngagement {
  /** P(label = 1) per task at the logged position, examination included: e_k · p*_t. */
  readonly truth: [number, number, number];
  /** 0/1 grid-click, save, click. */
  readonly labels: [number, number, number];
}

/**
 * Draws the labels of one impression shown with examination probability `examined`: grid-click
 * ~ Bernoulli(e_k · p*_g); save and click, only after a grid-click, ~ Bernoulli(P(· | g)). Three
 * `rng.uniform()` draws are consumed when the grid-click happens, one otherwise — the simulator's
 * draw order, kept so logs stay reproducible across versions.
 */
export function drawEngagement(rng: Rng, p: EngagementProbabilities, examined: number): LoggedEngagement {
  const gridClick = examined * p.gridClick;
  const g = rng.uniform() < gridClick ? 1 : 0;
  const s = g === 1 && rng.uniform() < p.saveGivenGridClick ? 1 : 0;
  const c = g === 1 && rng.uniform() < p.clickGivenGridClick ? 1 : 0;
  return {
    truth: [gridClick, gridClick * p.saveGivenGridClick, gridClick * p.clickGivenGridClick],
    labels: [g, s, c],
  };
}

/**
 * The labels of one impression shown with examination probability `examined`, decided by three
 * given uniforms in [0, 1) — grid-click: `u[0] < examined · p*_g`; save, only after a grid-click:
 * `u[1] < P(save | g)`; click, only after a grid-click: `u[2] < P(click | g)`. The same law as
 * {@link drawEngagement}; with uniforms keyed by (request, item, task) (`keyedUniform`) every arm
 * of an A/B test draws the same outcome for the same item at the same position, and a higher
 * position never loses an engagement a lower one would get.
 */
export function engagementFromUniforms(p: EngagementProbabilities, examined: number, u: ArrayLike<number>): LoggedEngagement {
  const gridClick = examined * p.gridClick;
  const g = (u[0] as number) < gridClick ? 1 : 0;
  const s = g === 1 && (u[1] as number) < p.saveGivenGridClick ? 1 : 0;
  const c = g === 1 && (u[2] as number) < p.clickGivenGridClick ? 1 : 0;
  return {
    truth: [gridClick, gridClick * p.saveGivenGridClick, gridClick * p.clickGivenGridClick],
    labels: [g, s, c],
  };
}
