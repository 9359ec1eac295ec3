import type { FeatureFrame } from './feature-frame.js';

function join<A extends Float32Array | Int32Array | Float64Array>(parts: readonly A[]): A {
  const first = parts[0] as A;
  const out = new (first.constructor as new (n: number) => A)(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Stacks frames with the same columns (e.g. the chunks of a streamed file) into one.
 * Keys (`frame.keys`) are taken from the last frame: streamed chunks share growing dictionaries.
 *
 * @throws TypeError for an empty list or frames whose columns differ.
 * @example `const frame = concatFrames(chunks);`
 */
export function concatFrames(frames: readonly FeatureFrame[]): FeatureFrame {
  const first = frames[0];
  if (!first) throw new TypeError('concatFrames: needs at least one frame (got an empty list)');
  if (frames.length === 1) return first;
  const columns = (f: FeatureFrame) =>
    [
      ...Object.keys(f.features).map((k) => `feature:${k}`),
      ...Object.keys(f.labels).map((k) => `label:${k}`),
      ...Object.keys(f.truth ?? {}).map((k) => `truth:${k}`),
      f.itemHistory ? 'itemHistory' : '',
    ]
      .sort()
      .join(',');
  const expected = columns(first);
  frames.forEach((f, i) => {
    if (columns(f) !== expected) {
      throw new TypeError(`concatFrames: frames[${i}] has columns [${columns(f)}] but frames[0] has [${expected}]`);
    }
  });
  const record = <A extends Float32Array | Int32Array>(pick: (f: FeatureFrame) => Readonly<Record<string, A>> | undefined) =>
    Object.fromEntries(Object.keys(pick(first) ?? {}).map((k) => [k, join(frames.map((f) => pick(f)?.[k] as A))])) as Record<
      string,
      A
    >;
  const last = frames[frames.length - 1] as FeatureFrame;
  return {
    size: frames.reduce((n, f) => n + f.size, 0),
    features: record((f) => f.features),
    labels: record((f) => f.labels),
    ...(first.truth ? { truth: record((f) => f.truth) } : {}),
    requestId: join(frames.map((f) => f.requestId)),
    itemId: join(frames.map((f) => f.itemId)),
    userId: join(frames.map((f) => f.userId)),
    timestamp: join(frames.map((f) => f.timestamp)),
    itemCreatedAt: join(frames.map((f) => f.itemCreatedAt)),
    ...(first.itemHistory
      ? {
          itemHistory: {
            events: join(frames.map((f) => f.itemHistory?.events as Int32Array)),
            positives: join(frames.map((f) => f.itemHistory?.positives as Int32Array)),
          },
        }
      : {}),
    ...(last.keys ? { keys: last.keys } : {}),
  };
}
