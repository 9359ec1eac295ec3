import { modelProtoType } from './onnx-schema.js';

/** `TensorProto.DataType` codes of the element types thaw graphs use. @internal */
export const ONNX_ELEMENT_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9 } as const;

/** `AttributeProto.AttributeType` codes. @internal */
export const ONNX_ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

/** A `TensorProto` with its values in `rawData` (little-endian, row-major). @internal */
export interface TensorProtoData {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

/** An `AttributeProto` of one of the scalar or list kinds thaw writes. @internal */
export interface AttributeProtoData {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}

/** A `NodeProto`. @internal */
export interface NodeProtoData {
  name: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: AttributeProtoData[];
}

/** One dimension of a `TensorShapeProto`: a fixed extent or a symbolic name. @internal */
export type DimensionData = { dimValue: number } | { dimParam: string };

/** A `ValueInfoProto` of a tensor. @internal */
export interface ValueInfoProtoData {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: DimensionData[] } } };
}

/** A `GraphProto`. @internal */
export interface GraphProtoData {
  name: string;
  docString?: string;
  node: NodeProtoData[];
  initializer: TensorProtoData[];
  input: ValueInfoProtoData[];
  output: ValueInfoProtoData[];
}

/** A `ModelProto`. @internal */
export interface ModelProtoData {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: GraphProtoData;
  metadataProps: { key: string; value: string }[];
}

/**
 * Serialises a model to ONNX protobuf bytes with protobufjs (no hand-written wire format).
 *
 * @internal
 */
export function encodeModelProto(model: ModelProtoData): Uint8Array {
  return modelProtoType.encode(model).finish();
}

/**
 * Parses ONNX protobuf bytes. int64 fields come back as numbers (exact below 2^53), bytes as
 * `Uint8Array`.
 *
 * @internal
 */
export function decodeModelProto(bytes: Uint8Array): ModelProtoData {
  const message = modelProtoType.decode(bytes);
  return modelProtoType.toObject(message, { longs: Number, bytes: Uint8Array, defaults: false, arrays: true }) as ModelProtoData;
}
