"""Every loss of the playground, under the engine's definitions (src/engine/losses/README.md).

`compute_loss(loss_id, y_true, y_pred, options)`: y_true one-hot and y_pred probabilities (softmax
output), channels-first [B, C, ...spatial]; channel 1 is the foreground. Options use the app's names
and defaults (OPTIONS below); perImage False pools every element of the batch (the paper's N), True
averages per-image losses. Where MONAI has the same loss, the docstring gives the equivalent call.
"""
import torch

PROB_CLIP = 1e-7
EPS = 1e-5

OPTIONS = {
    "wce": dict(wceWeight="prediction", perImage=False),
    "dl2": dict(epsilon=EPS, perImage=False),
    "ss": dict(**{"lambda": 0.05}, epsilon=EPS, ssVariant="paper", perImage=False),
    "gdl": dict(weightType="square", epsilon=EPS, perImage=False),
    "ce": dict(perImage=False),
    "dice": dict(squared=False, includeBackground=False, epsilon=EPS, perImage=False),
    "focal": dict(gamma=2.0, focalAlpha=0.25, perImage=False),
    "tversky": dict(tverskyAlpha=0.3, tverskyBeta=0.7, includeBackground=False, epsilon=EPS, perImage=False),
    "dice_ce": dict(squared=False, includeBackground=False, epsilon=EPS, perImage=False, diceWeight=1.0, ceWeight=1.0),
}


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
    return torch.log(p.clamp(PROB_CLIP, 1.0))


def two_classes(r, what):
    if r.shape[2] != 2:
        raise ValueError(f"{what} is defined for two classes (C = 2), got C = {r.shape[2]}")


def ce(r, p, o):
    """-(1/N) sum_n sum_l r log p. Equivalent: torch.nn.NLLLoss()(safe_log(p), labels)."""
    return -(r * safe_log(p)).sum(-1).mean()


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
    """-(1/N) sum alpha_l (1-p)^gamma r log p. MONAI: FocalLoss(gamma=gamma, alpha=focalAlpha,
    use_softmax=False, include_background=True) on probabilities, but MONAI's mean also divides by C."""
    c = r.shape[2]
    alphas = torch.tensor([1 - o["focalAlpha"]] + [o["focalAlpha"]] * (c - 1), dtype=p.dtype, device=p.device)
    q = p.clamp(PROB_CLIP, 1 - PROB_CLIP)
    return -(alphas * (1 - q) ** o["gamma"] * r * torch.log(q)).sum(-1).mean()


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


def gdl_weights(volumes, weight_type):
    """Normalised weights; an absent class takes its group's largest finite weight (NiftyNet, MONAI)."""
    if weight_type == "uniform":
        return torch.ones_like(volumes) / volumes.shape[-1]
    raw = 1 / volumes**2 if weight_type == "square" else 1 / volumes
    finite = torch.isfinite(raw)
    max_finite = torch.where(finite, raw, torch.zeros_like(raw)).amax(-1, keepdim=True)
    fill = torch.where(max_finite > 0, max_finite, torch.ones_like(max_finite))
    w = torch.where(finite, raw, fill.expand_as(raw))
    return w / w.sum(-1, keepdim=True)


def gdl(r, p, o):
    """Generalised Dice (Sudre 2017). MONAI: GeneralizedDiceLoss(include_background=True, w_type=weightType,
    smooth_nr=epsilon, smooth_dr=epsilon, batch=not perImage), which adds epsilon to unnormalised weights."""
    w = gdl_weights(group_sum(r, o["perImage"]), o["weightType"])
    num = 2 * (w * group_sum(r * p, o["perImage"])).sum(-1) + o["epsilon"]
    den = (w * group_sum(r + p, o["perImage"])).sum(-1) + o["epsilon"]
    return (1 - num / den).mean()


def select(x, include_background):
    return x if include_background else x[..., 1:]


def dice(r, p, o):
    """Soft Dice, mean over classes. MONAI: DiceLoss(include_background=includeBackground, squared_pred=squared,
    smooth_nr=epsilon, smooth_dr=epsilon, batch=not perImage) on probabilities."""
    ps, rs, g = select(p, o["includeBackground"]), select(r, o["includeBackground"]), lambda x: group_sum(x, o["perImage"])
    union = g(ps**2 + rs**2) if o["squared"] else g(ps + rs)
    return (1 - (2 * g(ps * rs) + o["epsilon"]) / (union + o["epsilon"])).mean()


def tversky(r, p, o):
    """1 - (TP + e)/(TP + alpha FP + beta FN + e). MONAI: TverskyLoss(include_background=includeBackground,
    alpha=tverskyAlpha, beta=tverskyBeta, smooth_nr=epsilon, smooth_dr=epsilon, batch=not perImage)."""
    ps, rs, g = select(p, o["includeBackground"]), select(r, o["includeBackground"]), lambda x: group_sum(x, o["perImage"])
    tp, fp, fn = g(ps * rs), g(ps * (1 - rs)), g((1 - ps) * rs)
    return (1 - (tp + o["epsilon"]) / (tp + o["tverskyAlpha"] * fp + o["tverskyBeta"] * fn + o["epsilon"])).mean()


def dice_ce(r, p, o):
    """diceWeight * dice + ceWeight * ce. MONAI: DiceCELoss(lambda_dice=diceWeight, lambda_ce=ceWeight, ...)
    takes logits for its CE; on probabilities use this one."""
    return o["diceWeight"] * dice(r, p, o) + o["ceWeight"] * ce(r, p, o)


LOSSES = dict(wce=wce, dl2=dl2, ss=ss, gdl=gdl, ce=ce, dice=dice, focal=focal, tversky=tversky, dice_ce=dice_ce)


def compute_loss(loss_id, y_true, y_pred, options=None):
    """The loss as a scalar tensor; y_true one-hot, y_pred probabilities, both [B, C, ...]."""
    o = resolve_options(loss_id, options)
    r, p = flatten(y_true, y_pred)
    return LOSSES[loss_id](r, p, o)
