"""Test-only: value and d loss / d y_pred of python/losses.py. cases.json lists {id, options, shape, and for
the boundary loss step and distance (true: its maps follow in d.bin)}; r.bin and p.bin hold every case's
channels-last float32 tensors back to back, d.bin the maps of the cases with distance; writes out.bin
([value, grad...] per case, the gradient channels-last)."""
import json
import os
import sys

import numpy as np
import torch

from losses import compute_loss
from models import to_channels_first

folder = sys.argv[1]
with open(os.path.join(folder, "cases.json")) as f:
    cases = json.load(f)
r_all = np.fromfile(os.path.join(folder, "r.bin"), dtype="<f4")
p_all = np.fromfile(os.path.join(folder, "p.bin"), dtype="<f4")
d_path = os.path.join(folder, "d.bin")
d_all = np.fromfile(d_path, dtype="<f4") if os.path.exists(d_path) else np.zeros(0, "<f4")
out, at, d_at = [], 0, 0
for case in cases:
    n = int(np.prod(case["shape"]))
    r = torch.from_numpy(r_all[at : at + n].reshape(case["shape"]).copy())
    p = torch.from_numpy(p_all[at : at + n].reshape(case["shape"]).copy()).requires_grad_(True)
    at += n
    extra = {}
    if case.get("distance"):
        extra["distance"] = to_channels_first(torch.from_numpy(d_all[d_at : d_at + n].reshape(case["shape"]).copy()))
        d_at += n
    if "step" in case:
        extra["step"] = case["step"]
    value = compute_loss(case["id"], to_channels_first(r), to_channels_first(p), case["options"], **extra)
    (grad,) = torch.autograd.grad(value, p)
    out.append(np.concatenate([[value.item()], grad.numpy().ravel()]))
assert at == r_all.size and d_at == d_all.size, "cases.json does not account for every value in r.bin / d.bin"
np.concatenate(out).astype("<f4").tofile(os.path.join(folder, "out.bin"))
