# Test-only: scipy's distance_transform_edt and the signed map built from it, for distance.test.ts.
# Reads a JSON list of {shape, spacing, mask} and prints a JSON list of {edt, signed}.
import json
import sys

import numpy as np
from scipy.ndimage import distance_transform_edt

cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    mask = np.array(c["mask"], dtype=bool).reshape(c["shape"])
    spacing = c["spacing"]
    edt = distance_transform_edt(mask, sampling=spacing)
    # Kervadec's one_hot2dist with the offset at the smallest spacing (1 for 1 mm voxels).
    outside = distance_transform_edt(~mask, sampling=spacing)
    signed = outside * ~mask - (edt - min(spacing)) * mask
    out.append({"edt": edt.ravel().tolist(), "signed": signed.ravel().tolist()})
json.dump(out, sys.stdout)
