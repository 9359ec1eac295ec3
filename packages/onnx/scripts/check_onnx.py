"""Development check of exported thaw models with the official ONNX checker (not used by tests).

Setup: apt-get install -y python3-onnx
Run:   /usr/bin/python3 packages/onnx/scripts/check_onnx.py model.onnx [more.onnx ...]
Checks the model (full_check: strict shape inference too) and prints IR version, opsets, producer,
metadata and the inferred output shapes.
"""
import sys

import onnx
from onnx import shape_inference

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = shape_inference.infer_shapes(model, strict_mode=True)
    outputs = [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in inferred.graph.output]
    print(f"{path}: ok (onnx {onnx.__version__}) ir={model.ir_version} opsets={[(o.domain, o.version) for o in model.opset_import]}"
          f" producer={model.producer_name} {model.producer_version} nodes={len(model.graph.node)}")
    print("  metadata:", {p.key: p.value for p in model.metadata_props})
    print("  outputs:", outputs)
