"""Test-only: opens every NIfTI file of an unzipped nnU-Net dataset with nibabel and reports what it reads."""
import json
import os
import sys

import nibabel as nib
import numpy as np

folder = sys.argv[1]
report = {}
for sub in ("imagesTr", "labelsTr", "imagesTs", "labelsTs"):
    for name in sorted(os.listdir(os.path.join(folder, sub))):
        img = nib.load(os.path.join(folder, sub, name))
        data = np.asanyarray(img.dataobj)
        entry = {"shape": list(img.shape), "affine": img.affine.ravel().tolist(), "dtype": str(data.dtype)}
        if sub.startswith("labels"):
            entry["values"] = sorted(int(v) for v in np.unique(data))
            entry["foreground"] = int((data > 0).sum())
        else:
            entry["sum"] = float(data.astype(np.float64).sum())
        report[f"{sub}/{name}"] = entry
with open(os.path.join(folder, "dataset.json")) as f:
    report["dataset.json"] = json.load(f)
print(json.dumps(report))
