"""Unified focal, exponential logarithmic, Lovász-softmax and generalised Wasserstein Dice, as the engine's
unified-focal.ts, exp-log.ts, lovasz.ts and gwdl.ts. r, p: [B, M, C] (loss_common.flatten)."""
import torch

from loss_common import PROB_CLIP, floored_pow, group_sum, list_values, smoothing


def by_channel(r, bg, rare):
    """[C]: `bg` for channel 0, `rare` for the others."""
    return torch.tensor([bg] + [rare] * (r.shape[2] - 1), dtype=r.dtype, device=r.device)


def unified_focal(r, p, o):
    """lambda maF + (1 - lambda) maFT (Yeung et al. 2022, the paper's equation). Closest MONAI:
    AsymmetricUnifiedFocalLoss(weight=unifiedWeight, delta=unifiedDelta, gamma=unifiedGamma), two classes,
    per-image sums (perImage=True) and epsilon 1e-7; check its input convention (probabilities or logits)."""
    delta, gamma = o["unifiedDelta"], o["unifiedGamma"]
    q = p.clamp(PROB_CLIP, 1 - PROB_CLIP)
    # Only the background is modulated, (1 - p_0)^gamma; the rare classes are plain CE.
    bg = by_channel(r, 1.0, 0.0)
    modulating = bg * (1 - q) ** gamma + (1 - bg)
    focal_term = -(by_channel(r, 1 - delta, delta) * modulating * r * torch.log(q)).sum(-1).mean()
    g = lambda x: group_sum(x, o["perImage"])
    tp = g(p * r)
    fn, fp = g(r) - tp, g(p) - tp
    miss = 1 - (tp + o["epsilon"]) / (tp + delta * fn + (1 - delta) * fp + o["epsilon"])
    tversky_term = floored_pow(miss, by_channel(r, 1.0, 1 - gamma)).mean()
    return o["unifiedWeight"] * focal_term + (1 - o["unifiedWeight"]) * tversky_term


def exp_log(r, p, o):
    """diceWeight mean_l (-ln Dice_l)^gamma + ceWeight (1/N) sum_n sum_l w_l r (-ln p)^gamma (Wong et al. 2018),
    w_l = (sum_k f_k / f_l)^(1/2) from the group's class volumes, held constant. Not in MONAI."""
    g = lambda x: group_sum(x, o["perImage"])
    gamma = o["expLogGamma"]
    dice = (2 * g(p * r) + o["epsilon"]) / (g(p + r) + o["epsilon"])
    dice_term = floored_pow(-torch.log(dice), gamma).mean()
    freq = g(r).clamp_min(PROB_CLIP).detach()
    w = torch.sqrt(freq.sum(-1, keepdim=True) / freq)
    nll = -torch.log(p.clamp(PROB_CLIP, 1.0))
    cross_term = (w * r * floored_pow(nll, gamma)).sum(-1).mean()
    return o["diceWeight"] * dice_term + o["ceWeight"] * cross_term


def class_rows(x, per_image):
    """[G*C, M'] rows of one class in one group each (G = 1 pooled, B per image)."""
    b, m, c = x.shape
    groups = b if per_image else 1
    return x.reshape(groups, b * m // groups, c).transpose(1, 2).reshape(groups * c, -1)


def jaccard_steps(gt_sorted):
    """J_i - J_{i-1}, J_i = 1 - (sum r - cumsum r)/(sum r + cumsum (1 - r)): the Jaccard loss's Lovász gradient."""
    total = gt_sorted.sum(1, keepdim=True)
    inter = total - gt_sorted.cumsum(1)
    union = total + (1 - gt_sorted).cumsum(1)
    jaccard = 1 - inter / union.clamp_min(1e-12)
    return jaccard - torch.cat([torch.zeros_like(jaccard[:, :1]), jaccard[:, :-1]], 1)


def lovasz(r, p, o):
    """Lovász-softmax (Berman et al. 2018) on probabilities, classes 'present' or 'all'; not in MONAI.
    The sort is stable (ties keep voxel order, as the engine's typed-array sort on the cpu and wasm backends)."""
    gt = class_rows(r.detach(), o["perImage"])
    d = r - p
    # |d| with the engine's subgradient at 0 (tfjs: -1, torch's abs: 0), which a perfect voxel reaches.
    errors = class_rows(torch.where(d > 0, d, -d), o["perImage"])
    order = torch.sort(errors.detach(), dim=1, descending=True, stable=True).indices
    per_class = (errors.gather(1, order) * jaccard_steps(gt.gather(1, order))).sum(1)
    if o["lovaszClasses"] == "all":
        return per_class.mean()
    c = r.shape[2]
    by_group = per_class.reshape(-1, c)
    present = (gt.sum(1) > 0).to(r.dtype).reshape(-1, c)
    return ((by_group * present).sum(1) / present.sum(1).clamp_min(1)).mean()


def class_distance_matrix(text, c, dtype, device):
    """M [C, C]: classDistances row-major, or 0 on the diagonal and 1 elsewhere."""
    values = list_values(text)
    if values is None:
        return 1 - torch.eye(c, dtype=dtype, device=device)
    if len(values) != c * c:
        raise ValueError(f"classDistances needs C x C = {c * c} values (C = {c}), got {len(values)}")
    m = torch.tensor(values, dtype=dtype, device=device).reshape(c, c)
    if bool((m.diagonal() != 0).any()):
        raise ValueError("classDistances must have a zero diagonal")
    return m


def gwdl(r, p, o):
    """1 - (2 TP + nr)/(2 TP + sum_n W_n + dr), W_n = sum_{l,l'} M_ll' r_ln p_l'n, TP = sum_n (1 - r_0n)(1 - W_n)
    (Fidon et al. 2017). MONAI: GeneralizedWassersteinDiceLoss(dist_matrix=M, weighting_mode="default") on
    logits (it applies the softmax), per image (perImage=True)."""
    nr, dr = smoothing(o)
    m = class_distance_matrix(o["classDistances"], r.shape[2], p.dtype, p.device)
    w = (r * (p @ m.T)).sum(-1, keepdim=True)
    a = r[..., 1:].sum(-1, keepdim=True)
    g = lambda x: group_sum(x, o["perImage"])
    tp, errors = g(a * (1 - w)), g(w)
    return (1 - (2 * tp + nr) / (2 * tp + errors + dr)).mean()
