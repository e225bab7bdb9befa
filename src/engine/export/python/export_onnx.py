"""The browser's weights as an ONNX model (opset 13) for inference anywhere (onnxruntime, TensorRT, ...).

    python export_onnx.py weights/gdl-1.json weights/gdl-1.bin gdl-1.onnx

Input "image" [batch, channels, (D,) H, W] (z-scored as in the dataset); output "probabilities"
[batch, classes, (D,) H, W], the softmax. Batch and spatial sizes are dynamic (U-Nets: multiples of 2^depth).
"""
import json
import sys

import torch

from models import DIMS, create_network
from weights import load_into

OPSET = 13


def export_onnx(index_path, bin_path, out, size=None):
    with open(index_path) as f:
        spec = json.load(f)["spec"]
    model = load_into(create_network(spec), index_path, bin_path).eval()
    dims = DIMS[model.spec["kind"]]
    size = size or [8 if dims == 3 else 16] * dims
    x = torch.zeros(1, model.spec["inChannels"], *size)
    axes = {0: "batch", **{2 + k: f"s{k}" for k in range(dims)}}
    torch.onnx.export(model, x, out, opset_version=OPSET, input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": axes, "probabilities": axes})
    return out


if __name__ == "__main__":
    print(f"wrote {export_onnx(*sys.argv[1:4])}")
