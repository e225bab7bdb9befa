"""Test-only: forward passes of the exported networks. cases.json lists {name, xShape}; for each, reads
{name}.json/.bin (weights) and {name}.x.bin (channels-last input), writes {name}.y.bin (channels-last)."""
import json
import os
import sys

import numpy as np
import torch

from models import create_network, to_channels_first, to_channels_last
from weights import load_into

folder = sys.argv[1]
torch.set_num_threads(1)
with open(os.path.join(folder, "cases.json")) as f:
    cases = json.load(f)
for case in cases:
    base = os.path.join(folder, case["name"])
    with open(f"{base}.json") as f:
        spec = json.load(f)["spec"]
    model = load_into(create_network(spec), f"{base}.json", f"{base}.bin").eval()
    x = torch.from_numpy(np.fromfile(f"{base}.x.bin", dtype="<f4").reshape(case["xShape"]))
    with torch.no_grad():
        y = to_channels_last(model(to_channels_first(x)))
    y.numpy().astype("<f4").tofile(f"{base}.y.bin")
print(len(cases))
