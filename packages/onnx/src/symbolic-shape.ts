import { formatShape, normalizeAxis } from '@thaw/tensor';

/**
 * Static shape rules of the graph builder. A shape is a list of extents where `-1` is the symbolic
 * batch axis (only known when the graph runs), as `Ops.shape` reports it.
 *
 * @internal
 */

/** The batch extent: unknown until run time. */
export const UNKNOWN = -1;

const known = (e: number) => e !== UNKNOWN;

/**
 * NumPy broadcasting with an unknown batch extent: `-1` against `1` or `-1` stays unknown, against
 * a known extent takes it. (`broadcastShapes` of `@thaw/tensor` has no unknown extents; axes are
 * normalised with its `normalizeAxis`.)
 */
export function broadcastSymbolic(a: readonly number[], b: readonly number[], op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const ea = a[a.length - rank + i] ?? 1;
    const eb = b[b.length - rank + i] ?? 1;
    if (ea === 1) out.push(eb);
    else if (eb === 1) out.push(ea);
    else if (ea === eb) out.push(ea);
    else if (!known(ea)) out.push(eb);
    else if (!known(eb)) out.push(ea);
    else {
      throw new RangeError(
        `onnx ${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (axis ${i} of the result: ${ea} vs ${eb})`,
      );
    }
  }
  return out;
}

/** `[m, k] × [k, n] → [m, n]`. */
export function matMulShape(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== 2 || b.length !== 2) {
    throw new RangeError(`onnx matMul: both operands must be rank 2 (got ${formatShape(a)} and ${formatShape(b)})`);
  }
  const [m, k] = a as [number, number];
  const [k2, n] = b as [number, number];
  if (known(k) && known(k2) && k !== k2) {
    throw new RangeError(`onnx matMul: inner extents differ: ${formatShape(a)} × ${formatShape(b)} (${k} vs ${k2})`);
  }
  return [m, n];
}

/** Output shape of a reduction over `axes` (sorted, normalised). */
export function reduceShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const reduced = new Set(axes);
  return keepDims ? shape.map((e, i) => (reduced.has(i) ? 1 : e)) : shape.filter((_, i) => !reduced.has(i));
}

/** Normalised, de-duplicated, sorted axes of a reduction (`undefined` = all axes). */
export function reductionAxes(shape: readonly number[], axis: number | readonly number[] | undefined, op: string): number[] {
  if (axis === undefined) return shape.map((_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  return [...new Set(list.map((a) => normalizeAxis(a, shape.length, `onnx ${op}`)))].sort((x, y) => x - y);
}

/** Output shape of `Reshape`: at most one `-1`, inferred when the input size is fully known. */
export function reshapeShape(shape: readonly number[], target: readonly number[]): number[] {
  const inferred = target.filter((e) => e === -1).length;
  if (inferred > 1 || target.some((e) => !Number.isInteger(e) || e < -1)) {
    throw new RangeError(`onnx reshape: target shape ${formatShape(target)} may hold non-negative extents and at most one -1`);
  }
  if (!shape.every(known)) return [...target];
  const size = shape.reduce((n, e) => n * e, 1);
  const rest = target.reduce((n, e) => (e === -1 ? n : n * e), 1);
  const resolved = target.map((e) => (e === -1 ? (rest === 0 ? 0 : size / rest) : e));
  const resolvedSize = resolved.reduce((n, e) => n * e, 1);
  if (!resolved.every((e) => Number.isInteger(e)) || resolvedSize !== size) {
    throw new RangeError(`onnx reshape: cannot reshape ${formatShape(shape)} (${size} elements) to ${formatShape(target)}`);
  }
  return resolved;
}

/** Output shape of `Concat` along a normalised axis. */
export function concatShape(shapes: readonly (readonly number[])[], axis: number): number[] {
  const first = shapes[0];
  if (first === undefined) throw new RangeError('onnx concat: needs at least one tensor (got none)');
  const out = [...first];
  for (const [k, s] of shapes.entries()) {
    if (s.length !== first.length) {
      throw new RangeError(`onnx concat: tensor ${k} has rank ${s.length} but tensor 0 has rank ${first.length}`);
    }
    if (k === 0) continue;
    for (let i = 0; i < s.length; i++) {
      const e = s[i] as number;
      if (i === axis) out[i] = known(out[i] as number) && known(e) ? (out[i] as number) + e : UNKNOWN;
      else if (known(e) && known(out[i] as number) && e !== out[i]) {
        throw new RangeError(
          `onnx concat: tensor ${k} ${formatShape(s)} differs from ${formatShape(first)} on axis ${i}, which is not the concat axis ${axis}`,
        );
      }
    }
  }
  return out;
}

/** Output shape of `Slice` from `begin` and `size` (`-1` = to the end), with clamped ends. */
export function sliceShape(shape: readonly number[], begin: readonly number[], size: readonly number[]): number[] {
  if (begin.length !== shape.length || size.length !== shape.length) {
    throw new RangeError(
      `onnx slice: begin ${formatShape(begin)} and size ${formatShape(size)} must have one entry per axis of ${formatShape(shape)}`,
    );
  }
  return shape.map((extent, i) => {
    const b = begin[i] as number;
    const s = size[i] as number;
    if (!Number.isInteger(b) || b < 0 || (known(extent) && b > extent)) {
      throw new RangeError(`onnx slice: begin[${i}] must be an integer in [0, ${extent}] (got ${b})`);
    }
    if (s === -1) return known(extent) ? extent - b : UNKNOWN;
    if (!Number.isInteger(s) || s < 0 || (known(extent) && b + s > extent)) {
      throw new RangeError(`onnx slice: size[${i}] must be -1 or an integer with begin + size ≤ ${extent} (got ${s})`);
    }
    return s;
  });
}
