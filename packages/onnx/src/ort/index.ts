/**
 * `@thaw/onnx/ort` — the onnxruntime-node side of `@thaw/onnx`: the tensor adapter between thaw
 * tensors and `ort.Tensor`. Needs the optional peer dependency `onnxruntime-node`.
 *
 * @packageDocumentation
 */
export { fromOrtTensor, ortTensorAdapter, toOrtTensor } from './tensor-adapter.js';
