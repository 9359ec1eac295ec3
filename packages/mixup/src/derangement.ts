import type { Rng } from '@thaw/tensor';

/**
 * A uniformly random derangement of `0..n−1`: a permutation `p` with `p[i] ≠ i` for every `i`.
 * Mixup pairs sample `i` with `p[i]` (eq 7, `i ≠ j`), so no sample mixes with itself and every
 * sample is some other sample's partner exactly once.
 *
 * Method: rejection sampling of uniform permutations. A Fisher–Yates shuffle fixes position `i`
 * when it swaps it (from the end down); the attempt is abandoned as soon as a position ends up
 * fixed, and a fresh shuffle starts. Accepted permutations are exactly the uniform permutations
 * conditioned on having no fixed point, i.e. uniform over derangements (unlike Sattolo's
 * algorithm, which only yields single n-cycles). The acceptance rate tends to 1/e, so the
 * expected cost is below `e·n` draws.
 *
 * @param rng a seeded generator (`createRng` from `@thaw/tensor`); same state ⇒ same pairing.
 * @param n the batch size, an integer ≥ 2.
 * @returns `Int32Array` of length `n`, `p[i]` the partner of `i`.
 * @throws RangeError when `n < 2` (a single sample has no partner) or not an integer.
 * @example
 * ```ts
 * import { createRng } from '@thaw/tensor';
 * randomDerangement(createRng(3), 4); // e.g. Int32Array [2, 3, 1, 0]
 * ```
 */
export function randomDerangement(rng: Rng, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(
      `randomDerangement: n must be an integer ≥ 2 (got ${n}); mixup pairs each sample with a different one, so a batch needs at least 2 samples`,
    );
  }
  const p = new Int32Array(n);
  attempt: for (;;) {
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const chosen = p[j] as number;
      p[j] = p[i] as number;
      p[i] = chosen;
      if (chosen === i) continue attempt;
    }
    if (p[0] !== 0) return p;
  }
}
