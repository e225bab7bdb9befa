"""Signed distance maps of a reference for the boundary loss, as src/engine/data/distance.ts (Kervadec et al.'s
one_hot2dist, in mm).

A class's voxels are those >= 0.5. Outside the class: the distance in mm to its nearest voxel (> 0); inside:
-(distance to the nearest voxel outside - h), h the smallest spacing, so the inner boundary voxels along the
finest axis are 0 and deeper ones negative. A class absent from a patch gets 0 everywhere, and so does a
class filling it (no boundary in the patch). The transform is scipy's exact Euclidean one with
sampling = the voxel size (the engine's Felzenszwalb-Huttenlocher transform gives the same distances; both
in float64, the map rounded once to float32). scipy is already required by metrics.py.
"""
import numpy as np
from scipy.ndimage import distance_transform_edt


def signed_distance_map(mask, spacing=None):
    """float32 map of one class, `mask` any shape (2D or 3D), spacing: mm per voxel along its axes (default 1)."""
    inside = np.asarray(mask) >= 0.5
    spacing = [1.0] * inside.ndim if spacing is None else [float(s) for s in spacing]
    if len(spacing) != inside.ndim or not all(s > 0 and np.isfinite(s) for s in spacing):
        raise ValueError(f"distance: spacing needs {inside.ndim} positive mm values, got {spacing}")
    count = int(inside.sum())
    if count == 0 or count == inside.size:
        return np.zeros(inside.shape, np.float32)
    # edt: for every non-zero voxel, the distance to the nearest zero one.
    to_outside = distance_transform_edt(inside, sampling=spacing)
    to_inside = distance_transform_edt(~inside, sampling=spacing)
    return np.where(inside, min(spacing) - to_outside, to_inside).astype(np.float32)


def signed_distance_maps(label, spacings=None):
    """Maps [B, K, ...] of a channels-first label [B, K, ...] (numpy), item b's class k from channel k with
    item b's spacing (mm along the spatial axes; default 1 mm), as batchSignedDistances."""
    label = np.asarray(label)
    b, k = label.shape[:2]
    spacings = [None] * b if spacings is None else list(spacings)
    if len(spacings) != b:
        raise ValueError(f"distance: {len(spacings)} spacings for {b} items")
    out = np.zeros(label.shape, np.float32)
    for i in range(b):
        for c in range(k):
            out[i, c] = signed_distance_map(label[i, c], spacings[i])
    return out
