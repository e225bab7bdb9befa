"""Every loss of the playground, under the engine's definitions (src/engine/losses/README.md).

`compute_loss(loss_id, y_true, y_pred, options)`: y_true one-hot (or soft) and y_pred probabilities
(softmax output), channels-first [B, C, ...spatial]; channel 1 is the foreground. Options use the app's
names and defaults (OPTIONS below); perImage False pools every element of the batch (the paper's N), True
averages per-image losses. The boundary loss also takes the reference's signed distance maps and the
training step (`compute_loss(..., distance=phi, step=t)`; distance.py, data.py batch_distances). Where MONAI
has the same loss, a docstring line gives the equivalent call (nr, dr: smoothNr / smoothDr, epsilon where -1)
and says where its numbers differ. The plumbing is in loss_common.py; unified focal, exp-log, Lovász and GWDL
in more_losses.py.
"""
import math

import torch

from loss_common import (class_weights, floored_pow, group_sum, kept_classes, pooled_count, prepare_reference,
                         safe_log, smoothing, two_classes, voxel_mean, flatten, PROB_CLIP)
from more_losses import exp_log, gwdl, lovasz, unified_focal

EPS = 1e-5

# One line per loss (the export's support list is read from this block): every option it owns, its default.
OPTIONS = {
    "wce": dict(wceWeight="prediction", perImage=False),
    "dl2": dict(epsilon=EPS, perImage=False),
    "ss": dict(**{"lambda": 0.05}, epsilon=EPS, ssVariant="paper", perImage=False),
    "gdl": dict(weightType="square", absentWeight="max", includeBackground=True, epsilon=EPS, smoothNr=-1, smoothDr=-1, ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "ce": dict(classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "dice": dict(squared=False, includeBackground=False, epsilon=EPS, smoothNr=-1, smoothDr=-1, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "focal": dict(gamma=2.0, focalAlpha=0.25, includeBackground=True, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "tversky": dict(tverskyAlpha=0.3, tverskyBeta=0.7, includeBackground=False, epsilon=EPS, smoothNr=-1, smoothDr=-1, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "dice_ce": dict(squared=False, includeBackground=False, epsilon=EPS, smoothNr=-1, smoothDr=-1, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False, diceWeight=1.0, ceWeight=1.0),
    "focal_tversky": dict(tverskyAlpha=0.3, tverskyBeta=0.7, includeBackground=False, epsilon=EPS, smoothNr=-1, smoothDr=-1, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False, tverskyGamma=0.75),
    "log_cosh_dice": dict(squared=False, includeBackground=False, epsilon=EPS, smoothNr=-1, smoothDr=-1, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "topk_ce": dict(topkPercent=10.0, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False),
    "dice_focal": dict(squared=False, includeBackground=False, epsilon=EPS, smoothNr=-1, smoothDr=-1, classWeights="", ignoreIndex=-1, labelSmoothing=0.0, perImage=False, gamma=2.0, focalAlpha=0.25, diceWeight=1.0, focalWeight=1.0),
    "gdl_focal": dict(weightType="square", absentWeight="max", includeBackground=True, epsilon=EPS, smoothNr=-1, smoothDr=-1, ignoreIndex=-1, labelSmoothing=0.0, perImage=False, gamma=2.0, focalAlpha=0.25, diceWeight=1.0, focalWeight=1.0),
    "unified_focal": dict(unifiedWeight=0.5, unifiedDelta=0.6, unifiedGamma=0.5, epsilon=EPS, perImage=False),
    "exp_log": dict(expLogGamma=0.3, diceWeight=0.8, ceWeight=0.2, epsilon=EPS, perImage=False),
    "lovasz": dict(lovaszClasses="present", perImage=False),
    "gwdl": dict(classDistances="", epsilon=EPS, smoothNr=-1, smoothDr=-1, perImage=False),
    "boundary": dict(boundaryRegion="gdl", boundaryStart=0.0, boundaryRate=0.1, boundaryEvery=50, boundaryMax=0.99, perImage=False),
}

# Losses that need signed distance maps of the reference (the engine's DISTANCE_LOSSES).
DISTANCE_LOSSES = ("boundary",)


def resolve_options(loss_id, options=None):
    """Defaults filled; an option the loss does not own is refused, naming it."""
    if loss_id not in OPTIONS:
        raise ValueError(f"unknown loss '{loss_id}' (valid: {', '.join(OPTIONS)})")
    out = dict(OPTIONS[loss_id])
    for k, v in (options or {}).items():
        if k not in out:
            raise ValueError(f"loss '{loss_id}' has no option '{k}' (it has: {', '.join(out)})")
        out[k] = v
    return out


# --- The cross-entropy family: means over the voxels kept ---


def ce_terms(r, p, weights_text):
    """Per-voxel CE [B,M]: -sum_l w_l r_ln log p_ln (w_l = 1 without classWeights)."""
    w = class_weights(r, weights_text)
    t = r * safe_log(p)
    return -(t if w is None else w * t).sum(-1)


def ce(r, p, o):
    """-(1/N) sum_n sum_l w_l r log p. MONAI has no probability CE; torch: NLLLoss()(safe_log(p), labels)
    without classWeights (with them torch divides by the summed weights, we by the voxel count)."""
    r, p, mask = prepare_reference(r, p, o)
    return voxel_mean(ce_terms(r, p, o["classWeights"]), mask)


def topk_ce(r, p, o):
    """Mean of the topkPercent % largest per-voxel CE terms of each group (nnU-Net TopKLoss(k=topkPercent)
    on logits; no MONAI equivalent)."""
    r, p, _ = prepare_reference(r, p, o)
    terms = ce_terms(r, p, o["classWeights"])
    groups = r.shape[0] if o["perImage"] else 1
    m = terms.numel() // groups
    # Math.round in the engine: halves go up (Python's round would go to even).
    k = max(1, int(m * o["topkPercent"] / 100 + 0.5))
    rows = terms.reshape(groups, m)
    # Ties go to the lower voxel index, as tf.topk's: torch.topk leaves them unspecified, and which tied
    # voxels are in the top k decides where the gradient goes (a perfect prediction ties every voxel).
    order = torch.sort(rows.detach(), dim=1, descending=True, stable=True).indices[:, :k]
    return rows.gather(1, order).mean()


def wce_weights(r, p, o):
    """w_0 = 1, w_l = (N - V_l)/V_l, V_l from the prediction (held constant: detach) or the reference."""
    source = p if o["wceWeight"] == "prediction" else r
    v = group_sum(source, o["perImage"]).clamp_min(PROB_CLIP)
    w = (pooled_count(r, o["perImage"]) - v) / v
    w = torch.cat([torch.ones_like(w[..., :1]), w[..., 1:]], -1)
    return w.detach()


def wce(r, p, o):
    """The paper's weighted CE (no MONAI equivalent: its class weights are fixed, not per batch)."""
    return -(wce_weights(r, p, o) * r * safe_log(p)).sum(-1).mean()


def focal(r, p, o):
    """-(1/N) sum alpha_l w_l (1-p)^gamma r log p; alpha_0 = 1 - focalAlpha (0 without the background). MONAI's
    takes logits (use_softmax=True: the same alpha per class) and its mean also divides by C.
    MONAI: FocalLoss(gamma=gamma, alpha=focalAlpha, weight=classWeights, include_background=includeBackground, use_softmax=True)."""
    r, p, mask = prepare_reference(r, p, o)
    c = r.shape[2]
    alphas = [(1 - o["focalAlpha"]) if o["includeBackground"] else 0.0] + [o["focalAlpha"]] * (c - 1)
    a = torch.tensor(alphas, dtype=p.dtype, device=p.device)
    w = class_weights(r, o.get("classWeights", ""))
    a = a if w is None else a * w
    # Clipped below 1 too: gamma (1-p)^(gamma-1) is NaN at p = 1 for gamma = 0.
    q = p.clamp(PROB_CLIP, 1 - PROB_CLIP)
    modulating = torch.ones_like(q) if o["gamma"] == 0 else (1 - q) ** o["gamma"]
    return voxel_mean(-(a * modulating * r * torch.log(q)).sum(-1), mask)


# --- The Dice family ---


def dl2(r, p, o):
    """The paper's two-class Dice loss on channel 1, as printed (no MONAI equivalent)."""
    two_classes(r, "dl2 (the paper two-class Dice loss)")
    pf, rf, e, g = p[..., 1:2], r[..., 1:2], o["epsilon"], lambda x: group_sum(x, o["perImage"])
    fg = (g(pf * rf) + e) / (g(pf + rf) + e)
    bg = (g((1 - pf) * (1 - rf)) + e) / (g(2 - pf - rf) + e)
    return (1 - fg - bg).mean()


def ss_terms(p, r, o):
    err = (r - p) ** 2
    g = lambda x: group_sum(x, o["perImage"])
    sens = g(err * r) / (g(r) + o["epsilon"])
    spec = g(err * (1 - r)) / (g(1 - r) + o["epsilon"])
    return o["lambda"] * sens + (1 - o["lambda"]) * spec


def ss(r, p, o):
    """Sensitivity-specificity (Brosch 2015): 'paper' on channel 1; 'niftynet' summed over classes."""
    if o["ssVariant"] == "paper":
        two_classes(r, "ss with ssVariant 'paper' (use 'niftynet' for C > 2)")
        return ss_terms(p[..., 1:2], r[..., 1:2], o).mean()
    return ss_terms(p, r, o).sum(-1).mean()


def overlap_inputs(r, p, o):
    """(r, p, kept classes, their weights [1,1,C'] or None) after the reference options."""
    r, p, _ = prepare_reference(r, p, o)
    kept = kept_classes(r.shape[2], o)
    w = class_weights(r, o.get("classWeights", ""))
    return r, p, kept, None if w is None else w[kept].reshape(1, 1, -1)


def weighted_mean(per_class, w):
    """Mean over groups and kept classes of w_l * term_l (MONAI: weight multiplies each class's loss)."""
    return (per_class if w is None else w * per_class).mean()


def dice_per_class(r, p, o):
    nr, dr = smoothing(o)
    g = lambda x: group_sum(x, o["perImage"])
    union = g(p**2 + r**2) if o["squared"] else g(p + r)
    return 1 - (2 * g(p * r) + nr) / (union + dr)


def dice(r, p, o):
    """Mean over classes of w_l (1 - (2 sum pr + nr)/(sum p + r + dr)).
    MONAI: DiceLoss(include_background=includeBackground, squared_pred=squared, smooth_nr=nr, smooth_dr=dr, batch=not perImage, weight=classWeights)."""
    r, p, kept, w = overlap_inputs(r, p, o)
    return weighted_mean(dice_per_class(r, p, o)[..., kept], w)


def tversky_per_class(r, p, o):
    nr, dr = smoothing(o)
    g = lambda x: group_sum(x, o["perImage"])
    # FP = sum p - TP and FN = sum r - TP, as the engine computes them.
    tp = g(p * r)
    fp, fn = g(p) - tp, g(r) - tp
    return 1 - (tp + nr) / (tp + o["tverskyAlpha"] * fp + o["tverskyBeta"] * fn + dr)


def tversky(r, p, o):
    """Mean over classes of w_l (1 - TI_l); MONAI's has no class weights.
    MONAI: TverskyLoss(include_background=includeBackground, alpha=tverskyAlpha, beta=tverskyBeta, smooth_nr=nr, smooth_dr=dr, batch=not perImage)."""
    r, p, kept, w = overlap_inputs(r, p, o)
    return weighted_mean(tversky_per_class(r, p, o)[..., kept], w)


def focal_tversky(r, p, o):
    """Mean over classes of w_l max(1 - TI_l, 1e-20)^tverskyGamma (Abraham and Khan 2019; not in MONAI)."""
    r, p, kept, w = overlap_inputs(r, p, o)
    return weighted_mean(floored_pow(tversky_per_class(r, p, o)[..., kept], o["tverskyGamma"]), w)


def log_cosh_dice(r, p, o):
    """log(cosh(soft Dice loss)) (Jadon 2020; not in MONAI)."""
    return torch.log(torch.cosh(dice(r, p, o)))


def dice_ce(r, p, o):
    """diceWeight * dice + ceWeight * ce; MONAI's takes logits (softmax=True) for its CE.
    MONAI: DiceCELoss(include_background=includeBackground, squared_pred=squared, smooth_nr=nr, smooth_dr=dr, lambda_dice=diceWeight, lambda_ce=ceWeight, softmax=True)."""
    return o["diceWeight"] * dice(r, p, o) + o["ceWeight"] * ce(r, p, o)


def dice_focal(r, p, o):
    """diceWeight * dice + focalWeight * focal, includeBackground and the reference options in both; MONAI's
    takes logits, and its focal alpha depends on the version.
    MONAI: DiceFocalLoss(include_background=includeBackground, squared_pred=squared, gamma=gamma, lambda_dice=diceWeight, lambda_focal=focalWeight, softmax=True)."""
    return o["diceWeight"] * dice(r, p, o) + o["focalWeight"] * focal(r, p, o)


# --- Generalised Dice ---


def gdl_weights(volumes, weight_type, absent="max"):
    """Normalised weights [G,1,C']; an absent class takes its group's largest finite weight ('max': NiftyNet,
    MONAI) or 0 ('zero'); with no weight left, all are equal. A constant of the reference (detached)."""
    volumes = volumes.detach()
    c = volumes.shape[-1]
    if weight_type == "uniform":
        return torch.ones_like(volumes) / c
    raw = 1 / volumes**2 if weight_type == "square" else 1 / volumes
    finite = torch.isfinite(raw)
    max_finite = torch.where(finite, raw, torch.zeros_like(raw)).amax(-1, keepdim=True)
    fill = max_finite if absent == "max" else torch.zeros_like(max_finite)
    w = torch.where(finite, raw, fill.expand_as(raw))
    total = w.sum(-1, keepdim=True)
    return torch.where(total > 0, w / total.clamp_min(1e-30), torch.full_like(w, 1 / c))


def gdl(r, p, o):
    """Generalised Dice (Sudre 2017), weights normalised before the smoothing; MONAI adds the smoothing to
    unnormalised weights and gives an absent class its largest weight (absentWeight 'max').
    MONAI: GeneralizedDiceLoss(include_background=includeBackground, w_type=weightType, smooth_nr=nr, smooth_dr=dr, batch=not perImage)."""
    r, p, _ = prepare_reference(r, p, o)
    kept = kept_classes(r.shape[2], o)
    r, p = r[..., kept], p[..., kept]
    nr, dr = smoothing(o)
    g = lambda x: group_sum(x, o["perImage"])
    w = gdl_weights(g(r), o["weightType"], o.get("absentWeight", "max"))
    num = 2 * (w * g(r * p)).sum(-1) + nr
    den = (w * g(r + p)).sum(-1) + dr
    return (1 - num / den).mean()


def gdl_focal(r, p, o):
    """diceWeight * gdl + focalWeight * focal; MONAI's takes logits and has no focal alpha.
    MONAI: GeneralizedDiceFocalLoss(include_background=includeBackground, w_type=weightType, gamma=gamma, lambda_gdl=diceWeight, lambda_focal=focalWeight)."""
    return o["diceWeight"] * gdl(r, p, o) + o["focalWeight"] * focal(r, p, dict(o, classWeights=""))


# --- Boundary loss (Kervadec et al. 2019) ---


def boundary_weight_at(o, step):
    """a at a step (1-based): boundaryStart + boundaryRate every boundaryEvery steps, capped at boundaryMax
    (the engine's boundaryWeightAt, in the same float64 arithmetic)."""
    raised = o["boundaryStart"] + o["boundaryRate"] * math.floor(max(0, step - 1) / o["boundaryEvery"])
    return min(o["boundaryMax"], raised)


def boundary(r, p, o, phi, step):
    """(1 - a) region + a mean over items, voxels and classes 1..C-1 of p phi (Kervadec's SurfaceLoss with
    idc = the foreground classes), region GDL or soft Dice at their defaults with this perImage; phi [B,M,C]
    (a callable: only evaluated when a > 0). Not in MONAI."""
    a = boundary_weight_at(o, step)
    region_id = "gdl" if o["boundaryRegion"] == "gdl" else "dice"
    region = LOSSES[region_id](r, p, resolve_options(region_id, dict(perImage=o["perImage"])))
    # While a = 0 the maps are not needed. (At a = 1 the region stays: it is the loss's only path to r.)
    if a == 0:
        return region
    b, m, c = p.shape
    term = (p[..., 1:] * phi()[..., 1:].detach()).sum() / (b * m * (c - 1))
    return (1 - a) * region + a * term


def needs_distance(loss_id, options=None, step=1):
    """Whether compute_loss reads distance maps at this step (a boundary loss whose weight a is above 0)."""
    return loss_id in DISTANCE_LOSSES and boundary_weight_at(resolve_options(loss_id, options), step) > 0


LOSSES = dict(wce=wce, dl2=dl2, ss=ss, gdl=gdl, ce=ce, dice=dice, focal=focal, tversky=tversky, dice_ce=dice_ce,
              focal_tversky=focal_tversky, log_cosh_dice=log_cosh_dice, topk_ce=topk_ce, dice_focal=dice_focal,
              gdl_focal=gdl_focal, unified_focal=unified_focal, exp_log=exp_log, lovasz=lovasz, gwdl=gwdl)


def compute_loss(loss_id, y_true, y_pred, options=None, distance=None, step=1):
    """The loss as a scalar tensor; y_true one-hot, y_pred probabilities, both [B, C, ...]. `distance`: the
    signed distance maps of y_true in mm (y_true's shape; distance.py), which only the boundary loss reads
    (absent: computed from y_true with 1 mm voxels, as the engine does); `step`: the training step (1-based),
    which only the boundary loss's schedule reads."""
    o = resolve_options(loss_id, options)
    r, p = flatten(y_true, y_pred)
    if loss_id not in DISTANCE_LOSSES:
        return LOSSES[loss_id](r, p, o)
    if distance is not None and tuple(distance.shape) != tuple(y_true.shape):
        raise ValueError(f"boundary: distance maps of shape {tuple(distance.shape)} for y_true {tuple(y_true.shape)}")

    def phi():
        d = distance
        if d is None:
            # Imported here: the other losses need no scipy.
            from distance import signed_distance_maps

            d = torch.from_numpy(signed_distance_maps(y_true.detach().cpu().numpy()))
        return flatten(d.to(device=y_pred.device, dtype=y_pred.dtype), y_pred)[0]

    return boundary(r, p, o, phi, step)
