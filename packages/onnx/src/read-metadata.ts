import { decodeModelProto } from './proto/model-proto.js';

/** What {@link readOnnxModelInfo} reports about a model file. */
export interface OnnxModelInfo {
  readonly irVersion: number;
  /** Opset of the default domain. */
  readonly opset: number | undefined;
  readonly producerName: string;
  readonly producerVersion: string;
  /** `metadata_props` as a record, e.g. `{ 'thaw.specHash': '…' }`. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Graph input names, in order. */
  readonly inputs: readonly string[];
  /** Graph output names, in order. */
  readonly outputs: readonly string[];
}

/**
 * Reads the header of an ONNX model (IR version, opset, producer, metadata, input/output names)
 * without a runtime — e.g. to check that `model.onnx` was exported from the `spec.json` beside it
 * (`metadata['thaw.specHash'] === specHash(spec)`).
 *
 * @throws Error when `bytes` is not an ONNX protobuf.
 * @example
 * ```ts
 * const info = readOnnxModelInfo(await readFile('runs/demo/model.onnx'));
 * info.metadata['thaw.specHash'];
 * ```
 */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  let model: ReturnType<typeof decodeModelProto>;
  try {
    model = decodeModelProto(bytes);
  } catch (error) {
    throw new Error(`readOnnxModelInfo: not an ONNX model (${(error as Error).message})`);
  }
  if (!model.graph) throw new Error('readOnnxModelInfo: not an ONNX model (no graph)');
  return {
    irVersion: Number(model.irVersion),
    opset: model.opsetImport?.find((o) => !o.domain)?.version,
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    metadata: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key, p.value])),
    inputs: (model.graph.input ?? []).map((i) => i.name),
    outputs: (model.graph.output ?? []).map((o) => o.name),
  };
}
