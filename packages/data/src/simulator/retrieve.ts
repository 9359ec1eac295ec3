import type { Rng } from '@thaw/tensor';
import type { SimulationOptions } from './simulation-options.js';
import type { SimulatedWorld } from './world.js';

/** What the retrieval stage sees at one instant. */
export interface RetrievalState {
  /** Items `[0, existing)` exist (creation time ≤ now). */
  readonly existing: number;
  /** Items `[freshStart, existing)` were created within `freshWindowDays`. */
  readonly freshStart: number;
  /** Recent grid-clicked items (a ring buffer) and how many slots are filled. */
  readonly engaged: Int32Array;
  readonly engagedCount: number;
}

/** cos(x_a, x_b) of two items' content vectors. */
export function contentCosine(world: SimulatedWorld, a: number, b: number): number {
  const d = world.d;
  let dot = 0;
  for (let k = 0; k < d; k++) dot += (world.itemContent[a * d + k] as number) * (world.itemContent[b * d + k] as number);
  const norm = (world.contentNorm[a] as number) * (world.contentNorm[b] as number);
  return norm > 0 ? dot / norm : 0;
}

function topByCosine(
  world: SimulatedWorld,
  query: number,
  draw: () => number,
  poolSize: number,
  wanted: number,
  taken: Set<number>,
  out: number[],
): void {
  if (wanted <= 0) return;
  const pool: [number, number][] = [];
  const seen = new Set<number>();
  for (let n = 0; n < poolSize; n++) {
    const i = draw();
    if (taken.has(i) || seen.has(i)) continue;
    seen.add(i);
    pool.push([contentCosine(world, query, i), i]);
  }
  pool.sort((a, b) => b[0] - a[0]);
  for (const [, i] of pool.slice(0, wanted)) {
    taken.add(i);
    out.push(i);
  }
}

/**
 * The retrieval stage of a request for `query` (Related-Pins style, three sources):
 * - content: the `n_c` items most similar in content to the query among `poolSize` items drawn
 *   uniformly from the whole catalogue existing now — fresh items enter in proportion to their
 *   share of the catalogue;
 * - engagement: the `n_e` most similar among `poolSize` draws from the recent grid-clicks
 *   (co-engagement: favours items with history);
 * - fresh: the `n_f` most similar among `poolSize` items created within `freshWindowDays`.
 * Shares follow `options.retrieval`; missing candidates are filled uniformly from the catalogue.
 */
export function retrieveCandidates(
  world: SimulatedWorld,
  options: SimulationOptions,
  state: RetrievalState,
  rng: Rng,
  query: number,
): number[] {
  const R = Math.min(options.candidatesRetrieved, state.existing - 1);
  const { content, engagement, fresh } = options.retrieval;
  const total = content + engagement + fresh;
  const nEngaged = state.engagedCount > 0 ? Math.round((R * engagement) / total) : 0;
  const nFresh = state.existing > state.freshStart ? Math.round((R * fresh) / total) : 0;
  const taken = new Set<number>([query]);
  const out: number[] = [];
  const uniform = () => rng.int(state.existing);
  topByCosine(world, query, () => state.engaged[rng.int(state.engagedCount)] as number, options.poolSize, nEngaged, taken, out);
  topByCosine(
    world,
    query,
    () => state.freshStart + rng.int(state.existing - state.freshStart),
    options.poolSize,
    nFresh,
    taken,
    out,
  );
  topByCosine(world, query, uniform, options.poolSize, R - out.length, taken, out);
  for (let attempts = 0; out.length < R && attempts < 100 * R; attempts++) {
    const i = uniform();
    if (!taken.has(i)) {
      taken.add(i);
      out.push(i);
    }
  }
  return out;
}
