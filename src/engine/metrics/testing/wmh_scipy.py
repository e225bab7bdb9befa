"""Test-only: the WMH challenge metrics as evaluation.py computes them, with numpy/scipy instead of SimpleITK.

Reads a JSON list of cases {dims: [x, y, z], spacing, reference, prediction} (flat 0/1 lists, x fastest)
from stdin and prints a JSON list of {dice, hd95, avd, recall, precision, f1}. Both masks must be non-empty
(evaluation.py itself has no rule for empty masks). The boundary is the mask minus its erosion by the
in-plane 4-neighbour cross, with the outside of the grid as background.
"""
import json
import sys

import numpy as np
import scipy.ndimage
import scipy.spatial


def volume(flat, dims):
    # Flat x-fastest data is C order over (z, y, x).
    return np.asarray(flat, dtype=bool).reshape(dims[2], dims[1], dims[0])


def boundary_mm(mask, spacing):
    cross = np.zeros((3, 3, 3), dtype=bool)
    cross[1, 1, :] = True
    cross[1, :, 1] = True
    eroded = scipy.ndimage.binary_erosion(mask, structure=cross, border_value=0)
    zyx = np.nonzero(mask & ~eroded)
    return np.transpose(np.flipud(zyx)) * np.asarray(spacing, dtype=float)


def hd95(reference, prediction, spacing):
    a = boundary_mm(reference, spacing)
    b = boundary_mm(prediction, spacing)
    a_to_b = scipy.spatial.cKDTree(b).query(a, k=1)[0]
    b_to_a = scipy.spatial.cKDTree(a).query(b, k=1)[0]
    return max(np.percentile(a_to_b, 95), np.percentile(b_to_a, 95))


def lesions(reference, prediction):
    full = np.ones((3, 3, 3), dtype=bool)
    cc_ref, n_ref = scipy.ndimage.label(reference, structure=full)
    _, n_pred = scipy.ndimage.label(prediction, structure=full)
    hit = len(np.unique(cc_ref * prediction)) - 1
    recall = hit / n_ref
    precision = hit / n_pred  # evaluation.py: detected reference lesions / all detections
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return recall, precision, f1


def metrics(case):
    r = volume(case["reference"], case["dims"])
    p = volume(case["prediction"], case["dims"])
    recall, precision, f1 = lesions(r, p)
    return {
        "dice": 1.0 - scipy.spatial.distance.dice(r.flatten(), p.flatten()),
        "hd95": float(hd95(r, p, case["spacing"])),
        "avd": abs(float(r.sum()) - float(p.sum())) / float(r.sum()) * 100,
        "recall": recall,
        "precision": precision,
        "f1": f1,
    }


print(json.dumps([metrics(c) for c in json.load(sys.stdin)]))
