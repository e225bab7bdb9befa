"""Test-only: train.py's validate (challenge metrics included) on an exported nnU-Net dataset, with a fixed
threshold classifier as the network: foreground where the first channel exceeds a threshold. argv: dataset
folder, patch dims (2 or 3), size multiple, classes, validation slices, slab depth, threshold."""
import json
import math
import sys

import torch

from data import load_dataset, validation_batches
from train import validate


class Threshold(torch.nn.Module):
    """Probabilities [background, foreground] = [x0 <= t, x0 > t]: an exact, tie-free argmax on both sides."""

    def __init__(self, t):
        super().__init__()
        self.t = t

    def forward(self, x):
        fg = (x[:, :1] > self.t).to(x.dtype)
        return torch.cat([1 - fg, fg], 1)


folder, dims, multiple, classes, slices, slab, t = sys.argv[1:8]
_, _, val = load_dataset(folder)
batches = validation_batches(val, int(dims), int(multiple), int(classes), int(slices), int(slab))
v = validate(Threshold(float(t)), batches, val, torch.device("cpu"))
clean = lambda x: None if isinstance(x, float) and math.isnan(x) else x
print(json.dumps(dict(dice=v["dice"], metrics={k: clean(m) for k, m in v["metrics"].items()}, spacing=[s.spacing for s in val])))
