"""Test-only: python/distance.py's signed distance maps against the engine's (src/engine/data/distance.ts).
cases.json: {"masks": [{shape (channels-last [B, ...S, K]), spacings (per item, mm along S)}], "patches":
[{dataset, patch, classes, refs: [[subject, origin], ...]}]}; labels.bin holds the masks' labels back to back
(float32, channels-last). Writes maps.bin: every mask case's maps, then every patch batch's label and maps
(channels-last float32), the patches cut and measured by data.py (batch_from_refs, batch_distances)."""
import json
import os
import sys

import numpy as np

from data import batch_distances, batch_from_refs, load_dataset
from distance import signed_distance_maps

folder = sys.argv[1]
with open(os.path.join(folder, "cases.json")) as f:
    cases = json.load(f)
labels = np.fromfile(os.path.join(folder, "labels.bin"), dtype="<f4")
first = lambda a: np.moveaxis(a, -1, 1)
last = lambda a: np.ascontiguousarray(np.moveaxis(a, 1, -1))
out, at = [], 0
for case in cases["masks"]:
    n = int(np.prod(case["shape"]))
    label = first(labels[at : at + n].reshape(case["shape"]))
    at += n
    out.append(last(signed_distance_maps(label, case["spacings"])).ravel())
assert at == labels.size
loaded = {}
for case in cases["patches"]:
    if case["dataset"] not in loaded:
        loaded[case["dataset"]] = load_dataset(case["dataset"])[1]
    subjects = loaded[case["dataset"]]
    refs = [(k, origin) for k, origin in case["refs"]]
    _, onehot = batch_from_refs(subjects, case["patch"], refs, case["classes"])
    out += [last(onehot).ravel(), last(batch_distances(subjects, case["patch"], refs, onehot)).ravel()]
np.concatenate(out).astype("<f4").tofile(os.path.join(folder, "maps.bin"))
