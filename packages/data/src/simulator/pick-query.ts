import type { Rng } from '@thaw/tensor';
import { gumbel } from './sampling.js';
import type { SimulatedWorld } from './world.js';

/**
 * The query item of a request by user `user`: the argmax over 16 draws (half from the recent
 * grid-clicks `engaged[0, engagedCount)`, half from the `existing` catalogue) of
 * `u_j·v_q / d + G/2`, `G ~ Gumbel`. Reads the click buffer, never writes it.
 */
export function pickQuery(
  world: SimulatedWorld,
  rng: Rng,
  user: number,
  existing: number,
  engaged: Int32Array,
  engagedCount: number,
): number {
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
