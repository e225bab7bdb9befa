"""The WMH challenge metrics the app reports at every validation (src/engine/metrics/challenge.ts), in
numpy/scipy: Dice, HD95 (mm), AVD (%), lesion recall, precision and F1, recall by lesion size.

Masks are boolean [x, y, z] arrays (nibabel order), spacing in mm. One rule for empty masks, as the app:
nothing to find and nothing found is perfect; otherwise the worst finite value (HD95: the grid's diagonal).
"""
import math

import numpy as np
import scipy.ndimage as ndi

# Reference-lesion sizes in voxels (inclusive): small 1-9, medium 10-100, large 101 and more.
SIZE_BINS = (("small", 1, 9), ("medium", 10, 100), ("large", 101, math.inf))
# The in-plane 4-neighbour cross: the challenge erodes slice by slice, z neighbours never count.
IN_PLANE_CROSS = np.zeros((3, 3, 1), dtype=bool)
IN_PLANE_CROSS[1, :, 0] = True
IN_PLANE_CROSS[:, 1, 0] = True
# 26-connectivity: voxels touching at a face, an edge or a corner are one lesion (ITK's fully connected).
FULL = np.ones((3, 3, 3), dtype=bool)


def boundary(mask):
    """Foreground voxels with an in-plane 4-neighbour that is background or outside the grid."""
    return mask & ~ndi.binary_erosion(mask, structure=IN_PLANE_CROSS, border_value=0)


def directed_95(a, b, spacing):
    """95th percentile (linear, numpy's default) of the mm distances from a's boundary voxels to b's."""
    # The exact Euclidean distance to the nearest zero: b's boundary voxels are the zeros.
    to_b = ndi.distance_transform_edt(~boundary(b), sampling=spacing)
    return float(np.percentile(to_b[boundary(a)], 95))


def crop_to_union(a, b):
    """Both masks cut to the bounding box of their union (exact: no foreground lies outside it)."""
    idx = np.nonzero(a | b)
    box = tuple(slice(int(i.min()), int(i.max()) + 1) for i in idx)
    return a[box], b[box]


def lesion_detection(reference, prediction):
    """Lesion counts, recall, precision (evaluation.py's: reference lesions hit / predicted components) and F1."""
    ref_labels, n_ref = ndi.label(reference, structure=FULL)
    _, n_pred = ndi.label(prediction, structure=FULL)
    sizes = np.bincount(ref_labels.ravel(), minlength=n_ref + 1)[1:]
    overlaps = np.bincount(ref_labels[prediction].ravel(), minlength=n_ref + 1)[1:]
    hit = overlaps > 0
    recall = 1.0 if n_ref == 0 else float(hit.sum()) / n_ref
    precision = (1.0 if n_ref == 0 else 0.0) if n_pred == 0 else float(hit.sum()) / n_pred
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    by_size = {}
    for name, lo, hi in SIZE_BINS:
        inside = (sizes >= lo) & (sizes <= hi)
        total, found = int(inside.sum()), int((inside & hit).sum())
        by_size[name] = dict(hit=found, total=total, recall=1.0 if total == 0 else found / total)
    return dict(referenceLesions=int(n_ref), predictedLesions=int(n_pred), referenceLesionsHit=int(hit.sum()),
                lesionRecall=recall, lesionPrecision=precision, lesionF1=f1, recallBySize=by_size)


def segmentation_metrics(reference, prediction, spacing):
    """One subject's metrics from boolean [x, y, z] masks (segmentationMetrics in the app)."""
    reference, prediction = np.asarray(reference, dtype=bool), np.asarray(prediction, dtype=bool)
    if reference.shape != prediction.shape or reference.ndim != 3:
        raise ValueError(f"masks must be [x, y, z] of one shape, got {reference.shape} and {prediction.shape}")
    spacing = [float(s) for s in spacing]
    v_ref, v_pred = int(reference.sum()), int(prediction.sum())
    overlap = int((reference & prediction).sum())
    den = v_ref + v_pred
    out = dict(dice=1.0 if den == 0 else 2 * overlap / den, avd=abs(v_ref - v_pred) / max(v_ref, 1) * 100)
    if v_ref > 0 and v_pred > 0:
        a, b = crop_to_union(reference, prediction)
        out["hd95"] = max(directed_95(a, b, spacing), directed_95(b, a, spacing))
    else:
        # One empty mask: the field of view's diagonal, longer than any distance on the grid.
        out["hd95"] = 0.0 if den == 0 else math.hypot(*(d * s for d, s in zip(reference.shape, spacing)))
    out.update(lesion_detection(reference, prediction))
    return out


def summarise(per_subject):
    """Means over subjects; recall by size pools the subjects' lesions of that size (NaN when none has one)."""
    mean = lambda key: float(np.mean([m[key] for m in per_subject])) if per_subject else math.nan

    def pooled(name):
        total = sum(m["recallBySize"][name]["total"] for m in per_subject)
        return sum(m["recallBySize"][name]["hit"] for m in per_subject) / total if total else math.nan

    return dict(dice=mean("dice"), hd95=mean("hd95"), avd=mean("avd"), lesionRecall=mean("lesionRecall"),
                lesionPrecision=mean("lesionPrecision"), lesionF1=mean("lesionF1"), recallSmall=pooled("small"),
                recallMedium=pooled("medium"), recallLarge=pooled("large"))
