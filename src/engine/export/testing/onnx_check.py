"""Test-only: cases.json lists {name}; exports {name}.json/.bin (weights) to {name}.onnx with export_onnx.py."""
import json
import os
import sys

from export_onnx import export_onnx

folder = sys.argv[1]
with open(os.path.join(folder, "cases.json")) as f:
    for case in json.load(f):
        base = os.path.join(folder, case["name"])
        export_onnx(f"{base}.json", f"{base}.bin", f"{base}.onnx")
