"""The exported nnU-Net dataset as subjects, and patches cut exactly as src/engine/data/patches.ts does.

Volumes are [x, y, z] arrays (nibabel order). A patch origin is the volume voxel (x, y, z) of its first
element; voxels outside the volume take the channel's minimum (labels: background).
"""
import json
import os

import nibabel as nib
import numpy as np

from distance import signed_distance_maps

# Patch axes (outer -> inner) as volume axes 0 = x, 1 = y, 2 = z, as layoutOf in patches.ts.
AXES = {"axial": (2, 1, 0), "coronal": (1, 2, 0), "sagittal": (0, 2, 1)}


class Subject:
    def __init__(self, case_id, channels, label, spacing=(1.0, 1.0, 1.0)):
        self.id, self.channels, self.label = case_id, channels, label
        self.dims = label.shape
        # Voxel size in mm along x, y, z (the label's header): what the challenge metrics measure in.
        self.spacing = tuple(float(v) for v in spacing)
        self.pad = [float(c.min()) for c in channels]
        self.fg = (label > 0).astype(np.int64)
        self._table = None

    def table(self):
        """Summed-area table of foreground voxels, padded with a leading zero plane per axis."""
        if self._table is None:
            self._table = np.pad(self.fg.cumsum(0).cumsum(1).cumsum(2), ((1, 0), (1, 0), (1, 0)))
        return self._table

    def box_count(self, origin, extent):
        lo = [max(0, o) for o in origin]
        hi = [min(d, o + e) for d, o, e in zip(self.dims, origin, extent)]
        if any(h <= l for l, h in zip(lo, hi)):
            return 0
        t = self.table()
        (x0, y0, z0), (x1, y1, z1) = lo, hi
        return int(t[x1, y1, z1] - t[x0, y1, z1] - t[x1, y0, z1] - t[x1, y1, z0] + t[x0, y0, z1] + t[x0, y1, z0] + t[x1, y0, z0] - t[x0, y0, z0])


def load_dataset(folder):
    """(dataset.json, training subjects, validation subjects) in the browser's order."""
    with open(os.path.join(folder, "dataset.json")) as f:
        meta = json.load(f)
    channels = len(meta["channel_names"])

    def load(case_id, images, labels):
        read = lambda p: np.asarray(nib.load(os.path.join(folder, p)).dataobj)
        chans = [read(f"{images}/{case_id}_{c:04d}.nii.gz").astype(np.float32) for c in range(channels)]
        label = nib.load(os.path.join(folder, f"{labels}/{case_id}.nii.gz"))
        return Subject(case_id, chans, np.asarray(label.dataobj).astype(np.uint8), label.header.get_zooms()[:3])

    train = [load(c, "imagesTr", "labelsTr") for c in meta["playground"]["training"]]
    validation = [load(c, "imagesTs", "labelsTs") for c in meta["playground"]["validation"]]
    return meta, train, validation


def layout(patch):
    """(axes, lens, extent along x, y, z, patch shape) of a patch spec, as layoutOf."""
    size = patch["size"]
    raw = [size] * patch["dims"] if isinstance(size, int) else list(size)
    if patch["dims"] == 3:
        axes, lens = AXES["axial"], raw
    else:
        axes, lens = AXES[patch.get("axis", "axial")], [1] + raw
    extent = [1, 1, 1]
    for l, a in enumerate(axes):
        extent[a] = lens[l]
    return axes, lens, extent, raw


def crop(volume, origin, extent, pad):
    """volume[o : o + e] per axis, padded with `pad` outside the volume."""
    lo = [max(0, o) for o in origin]
    hi = [min(d, o + e) for d, o, e in zip(volume.shape, origin, extent)]
    box = volume[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]]
    widths = [(l - o, o + e - h) for l, h, o, e in zip(lo, hi, origin, extent)]
    return np.pad(box, widths, constant_values=pad) if any(a or b for a, b in widths) else box


def cut(subject, origin, patch):
    """Image [C, *shape] and label [*shape] of one patch, element order as patches.ts."""
    axes, lens, extent, shape = layout(patch)
    image = np.stack([crop(c, origin, extent, p).transpose(axes).reshape(shape) for c, p in zip(subject.channels, subject.pad)])
    return image, crop(subject.label, origin, extent, 0).transpose(axes).reshape(shape)


def origin_range(dim, extent):
    return (0, dim - extent + 1) if extent <= dim else ((dim - extent) // 2, 1)


def pick_patch(subjects, patch, rng):
    """The paper's rule: keep a patch only if it holds a foreground voxel; after `maxRetries` random
    draws, draw uniformly among every qualifying patch (patches.ts pickPatch, with numpy's generator)."""
    _, _, extent, _ = layout(patch)

    def random_origin(s):
        return [first + int(rng.integers(count)) for first, count in (origin_range(d, e) for d, e in zip(s.dims, extent))]

    if patch.get("requireForeground", True) is False:
        k = int(rng.integers(len(subjects)))
        return k, random_origin(subjects[k])
    for _ in range(patch.get("maxRetries", 200)):
        k = int(rng.integers(len(subjects)))
        origin = random_origin(subjects[k])
        if subjects[k].box_count(origin, extent) > 0:
            return k, origin
    found = []
    for k, s in enumerate(subjects):
        ranges = [range(f, f + c) for f, c in (origin_range(d, e) for d, e in zip(s.dims, extent))]
        found += [(k, [x, y, z]) for z in ranges[2] for y in ranges[1] for x in ranges[0] if s.box_count([x, y, z], extent) > 0]
    if not found:
        raise RuntimeError("no patch of the training subjects contains a foreground voxel (are the labels empty?)")
    return found[int(rng.integers(len(found)))]


def batch_from_refs(subjects, patch, refs, classes):
    """(image [B, C, ...], one-hot label [B, K, ...]) for a list of (subject, origin)."""
    images, labels = zip(*(cut(subjects[k], origin, patch) for k, origin in refs))
    label = np.stack(labels).astype(np.int64)
    onehot = np.moveaxis(np.eye(classes, dtype=np.float32)[label], -1, 1)
    return np.stack(images).astype(np.float32), np.ascontiguousarray(onehot)


def patch_spacing(subject, patch):
    """mm along a patch's axes, as dataset.ts patchSpacing: 3D [z, y, x]; 2D in-plane (axial [y, x], coronal
    [z, x], sagittal [z, y])."""
    axes, _, _, _ = layout(patch)
    return [subject.spacing[a] for a in (axes if patch["dims"] == 3 else axes[1:])]


def batch_distances(subjects, patch, refs, onehot):
    """Signed distance maps [B, K, ...] (mm, float32) of a batch's one-hot label, each patch with its subject's
    spacing along the patch axes (the engine's trainDistances; distance.py). Only a boundary run asks."""
    return signed_distance_maps(onehot, [patch_spacing(subjects[k], patch) for k, _ in refs])


def round_up(n, m):
    return -(-n // m) * m


def lesion_slices(s, count):
    """Axial slices with foreground spread over the lesion's extent (dataset.ts lesionSlices)."""
    with_fg = [z for z in range(s.dims[2]) if s.fg[:, :, z].any()]
    if len(with_fg) <= count:
        return with_fg or [s.dims[2] // 2]
    return [with_fg[int(np.floor(k * (len(with_fg) - 1) / (count - 1 or 1) + 0.5))] for k in range(count)]


def axial_slices(s, zs, m, classes):
    """Whole axial slices [n, C, H', W'] padded at the end to multiples of m (padding 0 / background)."""
    nx, ny, _ = s.dims
    h, w = round_up(ny, m), round_up(nx, m)
    x = np.zeros((len(zs), len(s.channels), h, w), np.float32)
    lab = np.zeros((len(zs), h, w), np.int64)
    for b, z in enumerate(zs):
        for c, ch in enumerate(s.channels):
            x[b, c, :ny, :nx] = ch[:, :, z].T
        lab[b, :ny, :nx] = s.label[:, :, z].T
    return x, np.ascontiguousarray(np.moveaxis(np.eye(classes, dtype=np.float32)[lab], -1, 1))


def validation_batches(subjects, dims, multiple, classes, slices=6, slab=16):
    """The trainer's fixed held-out batches: lesion slices (2D) or one slab through the lesions (3D), each
    as (image, one-hot label, the subject's axial slice z of each batch item (2D) or depth (3D))."""
    out = []
    for s in subjects:
        zs = lesion_slices(s, slices)
        if dims == 2:
            out.append((*axial_slices(s, zs, multiple, classes), zs))
            continue
        d = round_up(slab, multiple)
        depth = min(round_up(d, multiple), round_up(s.dims[2], multiple))
        start = max(0, min(zs[len(zs) // 2] - d // 2, s.dims[2] - depth))
        zs = [min(start + k, s.dims[2] - 1) for k in range(depth)]
        x, y = axial_slices(s, zs, multiple, classes)
        out.append((np.moveaxis(x, 0, 1)[None], np.moveaxis(y, 0, 1)[None], zs))
    return out


def on_grid(subject, zs, planes):
    """Boolean [x, y, z] mask on the subject's grid from axial planes [n, H', W'] (padding dropped, a slice
    repeated by a clamped slab written once; slices not validated stay empty), as validation-metrics.ts."""
    nx, ny, nz = subject.dims
    grid = np.zeros((nx, ny, nz), dtype=bool)
    seen = set()
    for k, z in enumerate(zs):
        if z not in seen:
            seen.add(z)
            grid[:, :, z] = planes[k, :ny, :nx].T
    return grid
