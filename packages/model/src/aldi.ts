import { featureWidth, type ModelSpec, modelDimensions } from '@thaw/spec';
import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import { mlp } from './dense.js';
import type { Embedded } from './embed.js';
import type { Params } from './params.js';

/** Where one historical feature sits in `x_h`: columns `[offset, offset + width)`. */
export interface HistoricalBlock {
  readonly feature: string;
  readonly offset: number;
  readonly width: number;
  /** True for `source: 'item'`: the part the ALDI student reproduces. */
  readonly itemSide: boolean;
}

/** The column blocks of `x_h`, one per historical feature in spec order. */
export function historicalBlocks(spec: ModelSpec): HistoricalBlock[] {
  let offset = 0;
  return spec.features
    .filter((f) => f.group === 'historical')
    .map((f) => {
      const block = { feature: f.name, offset, width: featureWidth(f), itemSide: f.source === 'item' };
      offset += block.width;
      return block;
    });
}

function columns<T>(ops: Ops<T>, x: T, offset: number, width: number): T {
  return ops.slice(x, [0, offset], [-1, width]);
}

/**
 * The item-side historical columns of `x_h` (features with `group: 'historical'`,
 * `source: 'item'`, in spec order): the ALDI teacher's representation the student learns to
 * reproduce. `[N, modelDimensions(spec).itemHistorical]`.
 *
 * @throws TypeError when the spec has no item-side historical feature (nothing for ALDI to learn).
 */
export function itemHistorical<T>(ops: Ops<T>, spec: ModelSpec, historical: T): T {
  const blocks = historicalBlocks(spec).filter((b) => b.itemSide);
  if (blocks.length === 0) {
    throw new TypeError(
      `itemHistorical: spec '${spec.name}' has no historical feature with source 'item'; give one (e.g. the item id, ` +
        "group 'historical', source 'item') or disable coldStart.aldi",
    );
  }
  const parts = blocks.map((b) => columns(ops, historical, b.offset, b.width));
  return parts.length === 1 ? (parts[0] as T) : ops.concat(parts, 1);
}

/**
 * The ALDI baseline's content-only student (Huang et al., SIGIR 2023; paper Table 1): an MLP
 * `x_nh → studentUnits → itemHistorical` named `aldi.<k>.*`, hidden layers activated and the
 * output linear, that generates the item-side historical part of `x_h` for cold items.
 *
 * @param nonHistorical `x_nh` `[N, d_nh]`.
 * @returns `[N, modelDimensions(spec).itemHistorical]`.
 * @throws TypeError when `spec.coldStart.aldi.enabled` is false (there are no `aldi.*` params).
 */
export function aldiStudent<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, nonHistorical: T): T {
  const aldi = spec.coldStart.aldi;
  if (!aldi.enabled) {
    throw new TypeError(`aldiStudent: spec.coldStart.aldi.enabled is false; enable it so the student's aldi.* params exist`);
  }
  const layers = aldi.studentUnits.length + 1;
  return mlp(ops, params, 'aldi', layers, nonHistorical, { activation: spec.architecture.activation, linearLast: true });
}

/**
 * ALDI inference: `x_h` with its item-side columns replaced by the student's output on the rows
 * where `coldMask` is 1 (`x' = m·student + (1 − m)·x` per item-side block; user/context-side
 * historical columns and `x_nh` are unchanged).
 *
 * @param student `[N, itemHistorical]` from {@link aldiStudent}.
 * @param coldMask float `[N]`, 1 = cold item (use the student), 0 = warm (keep `x_h`).
 * @throws ShapeError when `student` is not `[N, itemHistorical]`.
 * @example
 * ```ts
 * const e = embed(ops, spec, params, features);
 * const swapped = replaceItemHistorical(ops, spec, e, aldiStudent(ops, spec, params, e.nonHistorical), isCold);
 * const logits = predict(ops, spec, params, interact(ops, spec, params, swapped));
 * ```
 */
export function replaceItemHistorical<T>(
  ops: Ops<T>,
  spec: ModelSpec,
  embedded: Embedded<T>,
  student: T,
  coldMask: T,
): Embedded<T> {
  const expected = modelDimensions(spec).itemHistorical;
  const shape = ops.shape(student);
  if (shape.length !== 2 || shape[1] !== expected) {
    throw new ShapeError(
      `replaceItemHistorical: student must be [N, ${expected}] (itemHistorical width; got ${formatShape(shape)}); pass aldiStudent(ops, spec, params, x_nh)`,
      { name: 'student', actual: shape, expected: [null, expected] },
    );
  }
  const m = ops.reshape(coldMask, [-1, 1]);
  const keep = ops.sub(ops.scalar(1), m);
  let studentOffset = 0;
  const parts = historicalBlocks(spec).map((b) => {
    const own = columns(ops, embedded.historical, b.offset, b.width);
    if (!b.itemSide) return own;
    const generated = columns(ops, student, studentOffset, b.width);
    studentOffset += b.width;
    return ops.add(ops.mul(m, generated), ops.mul(keep, own));
  });
  const historical = parts.length === 1 ? (parts[0] as T) : ops.concat(parts, 1);
  return { historical, nonHistorical: embedded.nonHistorical };
}
