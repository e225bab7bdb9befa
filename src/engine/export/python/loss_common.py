"""Plumbing shared by every loss, as the engine's src/engine/losses/common.ts: flattening, pooling, clipped
logs, and the reference options (label smoothing, the ignore label, class weights, smoothing)."""
import torch

PROB_CLIP = 1e-7
# Smallest base of a power below 1: x^gamma's derivative is infinite at 0 (a perfect class), 0 below it.
POW_FLOOR = 1e-20


def flatten(y_true, y_pred):
    """[B, C, ...] -> [B, M, C] (M = elements per image), as the engine's flatten."""
    if y_pred.dim() not in (4, 5) or y_true.shape != y_pred.shape or y_pred.shape[1] < 2:
        raise ValueError(f"losses expect matching [B,C,H,W] or [B,C,D,H,W] with C >= 2, got {tuple(y_true.shape)} and {tuple(y_pred.shape)}")
    b, c = y_pred.shape[:2]
    return (y_true.reshape(b, c, -1).transpose(1, 2).to(y_pred.dtype), y_pred.reshape(b, c, -1).transpose(1, 2))


def group_sum(x, per_image):
    """Sums over elements keeping dims: [1,1,C'] pooled (the paper's N), [B,1,C'] per image."""
    return x.sum(1, keepdim=True) if per_image else x.sum((0, 1), keepdim=True)


def pooled_count(r, per_image):
    return r.shape[1] if per_image else r.shape[0] * r.shape[1]


def safe_log(p):
    """log(p) clipped to [PROB_CLIP, 1]: finite at 0, gradient 0 beyond the clip (as Keras)."""
    return torch.log(p.clamp(PROB_CLIP, 1.0))


def two_classes(r, what):
    if r.shape[2] != 2:
        raise ValueError(f"{what} is defined for two classes (C = 2), got C = {r.shape[2]}")


def smoothing(o):
    """(numerator, denominator) smoothing: smoothNr / smoothDr, or epsilon where they are -1."""
    pick = lambda s: o["epsilon"] if s is None or s < 0 else s
    return pick(o.get("smoothNr")), pick(o.get("smoothDr"))


def list_values(text):
    """A list option's numbers ('' gives None)."""
    return None if text.strip() == "" else [float(t) for t in text.split(",")]


def class_weights(r, text):
    """classWeights as a [C] tensor, or None; one weight per channel (channel 0 first)."""
    w = list_values(text or "")
    if w is None:
        return None
    if len(w) != r.shape[2]:
        raise ValueError(f"classWeights needs one weight per class (C = {r.shape[2]}), got {len(w)}: '{text}'")
    return torch.tensor(w, dtype=r.dtype, device=r.device)


def prepare_reference(r, p, o):
    """(r, p, mask): r' = (1 - s) r + s/C; voxels whose unsmoothed r is >= 0.5 in channel ignoreIndex get
    r = p = 0 and mask [B,M,1] marks the voxels kept (None when nothing is ignored)."""
    c = r.shape[2]
    # A label no channel has (like 255 in label maps) marks no voxel: nothing is ignored.
    ignore = o.get("ignoreIndex", -1) if o.get("ignoreIndex", -1) < c else -1
    s = o.get("labelSmoothing", 0)
    smoothed = (1 - s) * r + s / c if s > 0 else r
    if ignore < 0:
        return smoothed, p, None
    mask = (r[..., ignore : ignore + 1] < 0.5).to(r.dtype).detach()
    return smoothed * mask, p * mask, mask


def kept_classes(c, o):
    """Channels an overlap loss averages: all or 1..C-1, without the ignored class."""
    ignore = o.get("ignoreIndex", -1)
    kept = [l for l in range(c) if (o["includeBackground"] or l > 0) and l != ignore]
    if not kept:
        raise ValueError(f"no class left to average (C = {c}, includeBackground false, ignoreIndex {ignore})")
    return kept


def voxel_mean(per_voxel, mask):
    """Mean of per-voxel terms [B,M] over the voxels kept."""
    if mask is None:
        return per_voxel.mean()
    m = mask.reshape(per_voxel.shape)
    return (per_voxel * m).sum() / m.sum().clamp_min(1)


def floored_pow(x, gamma):
    """max(x, POW_FLOOR)^gamma (gamma may be a tensor of per-class exponents)."""
    return x.clamp_min(POW_FLOOR) ** gamma
