import { decodeModelProto, ONNX_ELEMENT_TYPE } from './proto/model-proto.js';

/** The first non-finite value {@link findNonFiniteWeight} found: which initializer, which element, what. */
export interface NonFiniteWeight {
  /** The initializer's name (thaw exports its parameters under their `@thaw/model` names, e.g. `embedding.item_id`). */
  readonly name: string;
  /** Row-major element index inside it. */
  readonly index: number;
  /** `NaN`, `Infinity` or `-Infinity`. */
  readonly value: number;
}

/**
 * Scans every float32 initializer (weight or constant) of an ONNX model for NaN and ±Infinity —
 * the values a diverged training run or a corrupted file leaves behind, which scoring only some
 * rows would miss (an embedding row is read only when a request names it). Reads `raw_data` and
 * `float_data`; other element types are skipped. Takes ~1 ms per 10 MB of weights.
 *
 * @returns the first non-finite value, or `undefined` when every float weight is finite.
 * @throws Error when `bytes` is not an ONNX protobuf.
 * @example
 * ```ts
 * const bad = findNonFiniteWeight(await readFile('model.onnx'));
 * if (bad) throw new Error(`weight '${bad.name}' holds ${bad.value} at element ${bad.index}`);
 * ```
 */
export function findNonFiniteWeight(bytes: Uint8Array): NonFiniteWeight | undefined {
  let model: ReturnType<typeof decodeModelProto>;
  try {
    model = decodeModelProto(bytes);
  } catch (error) {
    throw new Error(`findNonFiniteWeight: not an ONNX model (${(error as Error).message})`);
  }
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataType !== ONNX_ELEMENT_TYPE.float32) continue;
    const raw = tensor.rawData;
    let values: ArrayLike<number>;
    if (raw && raw.byteLength > 0) {
      // raw_data may sit at any offset of the decoded buffer: copy when it is not 4-byte aligned.
      const aligned = raw.byteOffset % 4 === 0 ? raw : new Uint8Array(raw);
      values = new Float32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4));
    } else values = (tensor as { floatData?: number[] }).floatData ?? [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      // v - v is 0 for finite v and NaN for NaN and ±Infinity: one comparison per element.
      if (v - v !== 0) return { name: tensor.name, index: i, value: v };
    }
  }
  return undefined;
}
