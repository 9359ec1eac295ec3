/** The state of a {@link Rng}: four 32-bit words (xoshiro128**) plus a cached normal deviate. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). Everything random
 * in thaw (init, sampling, shuffles, mixup, the simulator) draws from one of these, so a seed
 * reproduces a run, and `state()` / `restore()` let a checkpoint resume it exactly.
 */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal deviate (Box–Muller). */
  normal(): number;
  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<A extends { length: number; [i: number]: unknown }>(array: A): A;
  /**
   * A new generator seeded from this one's next 32-bit output and `stream` (through splitmix32,
   * like {@link createRng}). **Advances this generator by one draw**, exactly like one
   * `uniform()` call: forking changes the parent's later values, so fork at the same point to
   * reproduce a run. The child's sequence is not the parent's continuing sequence nor a shift of
   * it, and is uncorrelated with it and with siblings forked with another `stream`.
   */
  fork(stream?: number): Rng;
  /** A snapshot of the state. */
  state(): RngState;
  /** Restores a snapshot taken with {@link Rng.state}. */
  restore(state: RngState): void;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * Creates a seeded {@link Rng}.
 *
 * @param seed any integer (taken modulo 2³²).
 * @throws TypeError when `seed` is not a finite integer.
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.uniform(); // the same number on every run
 * rng.int(10);   // in 0..9
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new TypeError(`createRng: seed must be an integer (got ${seed})`);
  const init = splitmix32(seed);
  const s = new Uint32Array([init(), init(), init(), init()]);
  if (s.every((word) => word === 0)) s[0] = 1;
  let spare: number | null = null;

  const nextU32 = (): number => {
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = s[2] as number;
    const s3 = s[3] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = s2 ^ s0;
    s[3] = s3 ^ s1;
    s[1] = s1 ^ (s[2] as number);
    s[0] = s0 ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  };

  const rng: Rng = {
    uniform: () => nextU32() / 4294967296,
    int(n) {
      if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
        throw new RangeError(`Rng.int: n must be an integer in [1, 2^32] (got ${n})`);
      }
      // Rejection sampling avoids modulo bias.
      const limit = 4294967296 - (4294967296 % n);
      let x = nextU32();
      while (x >= limit) x = nextU32();
      return x % n;
    },
    normal() {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      let u = 0;
      while (u === 0) u = rng.uniform();
      const v = rng.uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    shuffle(array) {
      for (let i = array.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
    fork: (stream = 0) => createRng((nextU32() ^ Math.imul(stream + 1, 0x9e3779b1)) | 0),
    state: () => ({ words: [s[0], s[1], s[2], s[3]] as [number, number, number, number], spareNormal: spare }),
    restore(state) {
      s.set(state.words);
      spare = state.spareNormal;
    },
  };
  return rng;
}
