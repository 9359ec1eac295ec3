import type { FeatureColumn, FeatureFrame } from './feature-frame.js';

function gather<A extends Float32Array | Int32Array | Float64Array>(data: A, rows: ArrayLike<number>, width: number): A {
  const out = new (data.constructor as new (n: number) => A)(rows.length * width);
  if (width === 1) {
    for (let i = 0; i < rows.length; i++) out[i] = data[rows[i] as number] as number;
  } else {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      out.set(data.subarray(r * width, (r + 1) * width), i * width);
    }
  }
  return out;
}

/**
 * The sub-frame of `rows` (in that order; rows may repeat), e.g. the training rows of a split.
 *
 * @throws RangeError naming the first row index outside `[0, frame.size)`.
 * @example `const train = selectRows(frame, split.rows.train);`
 */
export function selectRows(frame: FeatureFrame, rows: ArrayLike<number>): FeatureFrame {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (!Number.isInteger(r) || r < 0 || r >= frame.size) {
      throw new RangeError(`selectRows: rows[${i}] must be a row index in [0, ${frame.size}) (got ${r})`);
    }
  }
  const width = (column: FeatureColumn) => (frame.size === 0 ? 1 : column.length / frame.size);
  const map = <A extends Float32Array | Int32Array>(record: Readonly<Record<string, A>>) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, gather(v, rows, width(v))])) as Record<string, A>;
  return {
    size: rows.length,
    features: map(frame.features),
    labels: map(frame.labels),
    ...(frame.truth ? { truth: map(frame.truth) } : {}),
    requestId: gather(frame.requestId, rows, 1),
    itemId: gather(frame.itemId, rows, 1),
    userId: gather(frame.userId, rows, 1),
    timestamp: gather(frame.timestamp, rows, 1),
    itemCreatedAt: gather(frame.itemCreatedAt, rows, 1),
    ...(frame.itemHistory
      ? {
          itemHistory: {
            events: gather(frame.itemHistory.events, rows, 1),
            positives: gather(frame.itemHistory.positives, rows, 1),
          },
        }
      : {}),
    ...(frame.keys ? { keys: frame.keys } : {}),
  };
}
