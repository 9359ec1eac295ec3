/**
 * `@thaw/onnx` — export thaw models to ONNX (opset 17, IR 8) from the same math that trains them:
 * the ONNX graph-builder backend of `Ops<T>` and `exportOnnx(spec, weights)`. No runtime
 * dependency; the onnxruntime tensor adapter lives in `@thaw/onnx/ort`.
 *
 * @packageDocumentation
 */

export { DIAGNOSTIC_OUTPUTS, type ExportOnnxOptions, exportOnnx, ONNX_METADATA_KEYS } from './export-onnx.js';
export {
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type OnnxAttribute,
  type OnnxDataType,
  OnnxGraphBuilder,
  type OnnxModelOptions,
  type OnnxTensorData,
  type OnnxValue,
} from './graph-builder.js';
export { onnxOps } from './onnx-ops.js';
export { producerVersion } from './producer.js';
export { type OnnxModelInfo, readOnnxModelInfo } from './read-metadata.js';
export {
  COLD_MASK_INPUT,
  type OnnxModelSignature,
  type OnnxTensorSignature,
  onnxSignature,
  SCORE_OUTPUT,
  taskOutputName,
} from './signature.js';
export { findNonFiniteWeight, type NonFiniteWeight } from './weight-check.js';
