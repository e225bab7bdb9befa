"""Trains the exported experiment in PyTorch as the browser does (src/engine/train/trainer.ts).

    python train.py --experiment experiment.json --data nnUNet_raw/Dataset501_playground --out results/history.json

Per run: the same network and weights (weights/{runId}.json/.bin: initial, or trained with Adam's state), the same loss and
options (a boundary loss with each patch's signed distance maps and the step), Adam as tfjs has it (beta
0.9/0.999, epsilon 1e-7, epsilon outside the bias correction), the same patch rule, validation Dice and challenge metrics (metrics.py). Batches listed in batches.json are the browser's own (replayed exactly);
later ones are sampled here with the same rule from numpy's generator. Results are a playground history
file: import it in the app (History -> Import).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch

from data import batch_distances, batch_from_refs, load_dataset, on_grid, pick_patch, validation_batches
from losses import compute_loss, needs_distance
from metrics import segmentation_metrics, summarise
from models import create_network
from weights import load_adam, load_into

HISTORY_FORMAT = "segmentation-loss-playground/history"


class TfjsAdam(torch.optim.Optimizer):
    """tf.train.adam: m/(1 - b1^t) / (sqrt(v/(1 - b2^t)) + eps); torch's Adam puts eps inside the correction."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-7):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state.update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["t"] += 1
                state["m"].mul_(b1).add_(p.grad, alpha=1 - b1)
                state["v"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                m_hat = state["m"] / (1 - b1 ** state["t"])
                v_hat = state["v"] / (1 - b2 ** state["t"])
                p.add_(m_hat / (v_hat.sqrt() + group["eps"]), alpha=-group["lr"])


def hard_counts(y, pred):
    """Per foreground class [tp, fp, fn] of the argmax prediction (dice-stats.ts hardOverlapCounts)."""
    c = pred.shape[1]
    hard = torch.nn.functional.one_hot(pred.argmax(1), c).movedim(-1, 1).to(y.dtype)
    dims = [0] + list(range(2, y.dim()))
    tp = (hard * y).sum(dims)
    return torch.stack([tp, hard.sum(dims) - tp, y.sum(dims) - tp], 1)[1:].cpu().numpy().astype(np.float64)


def dice_from_counts(tp, fp, fn):
    den = 2 * tp + fp + fn
    return 1.0 if den == 0 else 2 * tp / den


def mean_dice(counts):
    return float(np.mean([dice_from_counts(*row) for row in counts]))


def find_collapse(steps, min_steps):
    """First step of a final one-class stretch at least min_steps long (trainer.ts findCollapse)."""
    start = None
    for point in reversed(steps):
        if 0 < point["predictedFg"] < 1:
            break
        start = point["step"]
    return start if start is not None and steps[-1]["step"] - start + 1 >= min_steps else None


def js_round(x):
    return math.floor(x + 0.5)


def foreground_planes(t):
    """[B, K, ...] -> axial planes [n, H', W'] (a 3D batch's depth becomes n)."""
    return t.reshape(-1, *t.shape[-2:]).cpu().numpy()


def validate(model, batches, subjects, device):
    """Validation Dice (mean over foreground classes) and the challenge metrics (metrics.py), per subject, as
    trainer.ts validate: the reference is background < 0.5, the prediction argmax != background."""
    model.eval()
    per_subject, class_sums, challenge = [], None, []
    with torch.no_grad():
        for (x, y, zs), s in zip(batches, subjects):
            y = torch.from_numpy(y).to(device)
            pred = model(torch.from_numpy(x).to(device))
            counts = hard_counts(y, pred)
            per_subject.append(mean_dice(counts))
            dice = np.array([dice_from_counts(*row) for row in counts])
            class_sums = dice if class_sums is None else class_sums + dice
            reference = on_grid(s, zs, foreground_planes(y[:, 0] < 0.5))
            prediction = on_grid(s, zs, foreground_planes(pred.argmax(1) != 0))
            challenge.append(segmentation_metrics(reference, prediction, s.spacing))
    model.train()
    out = {"dice": float(np.mean(per_subject)), "perSubject": per_subject, "metrics": summarise(challenge)}
    if class_sums is not None and len(class_sums) > 1:
        out["perClass"] = (class_sums / len(batches)).tolist()
    return out


def json_number(v):
    """NaN (a metric with nothing to measure) as JSON null, as the app writes it."""
    return None if isinstance(v, float) and math.isnan(v) else v


def train_run(exp, run, subjects, val_batches, val_subjects, device, args):
    """One run; returns its RunSummary (the app's format)."""
    spec = dict(exp["network"], seed=run["seed"])
    model = create_network(spec, seed=run["seed"]).to(device)
    start_step = 0
    weights = os.path.join(args.weights, f"{run['runId']}.json")
    if os.path.exists(weights):
        load_into(model, weights, weights[:-5] + ".bin")
        with open(weights) as f:
            start_step = json.load(f).get("step", 0)
        model.to(device)
    model.train()
    optimizer = TfjsAdam(model.parameters(), lr=run["lr"])
    if os.path.exists(weights) and load_adam(weights, weights[:-5] + ".bin", model, optimizer):
        print(f"{run['label']}: continuing from step {start_step} with the browser's Adam state", flush=True)
    # Default: the steps left of the run's schedule (all of them again when it had finished).
    total = args.steps or (run["steps"] - start_step if run["steps"] > start_step else run["steps"])
    schedule, patch, classes = exp["schedule"], exp["patch"], exp["network"]["numClasses"]
    replay = {}
    if args.batches and os.path.exists(args.batches):
        with open(args.batches) as f:
            streams = json.load(f)["streams"]  # per run seed: each replicate has its own batch order
        replay = {int(k): v for k, v in streams.get(str(run["seed"]), {}).items()}
    rng = np.random.default_rng([exp["dataSeed"], run["seed"]])
    steps, validation = [], []
    status, message, status_step = "done", None, start_step + total
    started = time.time()
    for step in range(start_step + 1, start_step + total + 1):
        t0 = time.perf_counter()
        refs = [(r["subject"], r["origin"]) for r in replay[step]] if step in replay else [pick_patch(subjects, patch, rng) for _ in range(patch["batch"])]
        x, y = batch_from_refs(subjects, patch, refs, classes)
        # The boundary loss's signed distance maps of the reference (mm, each patch's spacing), only at steps
        # where its weight is above 0; every loss gets the step (only the boundary schedule reads it).
        phi = None
        if needs_distance(run["loss"], run["lossOptions"], step):
            phi = torch.from_numpy(batch_distances(subjects, patch, refs, y)).to(device)
        x, y = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)
        pred = model(x)
        loss = compute_loss(run["loss"], y, pred, run["lossOptions"], distance=phi, step=step)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        counts = hard_counts(y, pred.detach())
        value = loss.item()
        elements = y[:, 0].numel()
        steps.append(dict(step=step, loss=value if math.isfinite(value) else None, trainDice=mean_dice(counts),
                          predictedFg=float((counts[:, 0] + counts[:, 1]).sum() / elements),
                          msPerStep=(time.perf_counter() - t0) * 1000, lr=run["lr"]))
        if not math.isfinite(value):
            status, message, status_step = "diverged", f"loss became {value} at step {step}", step
            break
        last = step == start_step + total
        scheduled = schedule["validateEvery"] > 0 and (step % schedule["validateEvery"] == 0 or last)
        # A sweep's window validations (trainer.ts validateFrom): multiples of EVERY from FROM on, and the last step.
        in_window = args.window_every > 0 and ((step >= args.window_from and step % args.window_every == 0) or last)
        if scheduled or in_window:
            v = validate(model, val_batches, val_subjects, device)
            metrics = {k: json_number(m) for k, m in v["metrics"].items()}
            validation.append(dict(step=step, dice=v["dice"], **({"perClass": v["perClass"]} if "perClass" in v else {}), metrics=metrics))
        if step % 10 == 0 or last:
            print(f"{run['label']} step {step}: loss {value:.6f}, train Dice {steps[-1]['trainDice']:.3f}", flush=True)
    if status == "done":
        collapsed = find_collapse(steps, args.collapse_steps or max(5, js_round(total * 0.2)))
        if collapsed is not None:
            status, message, status_step = "collapsed", f"prediction is one class from step {collapsed} on", collapsed
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        torch.save(model.state_dict(), os.path.join(args.save, f"{run['runId']}.pt"))
    config = dict(loss=run["loss"], lr=run["lr"], network=exp["network"]["kind"], seed=run["seed"], trainedIn="pytorch", **run["lossOptions"])
    return dict(id=run["runId"], label=run["label"], color=run["color"], config=config, status=status, statusStep=status_step,
                **({"message": message} if message else {}), steps=steps, validation=validation, lrChanges=[],
                totalSteps=start_step + total, startedAt=int(started * 1000))


CSV_COLUMNS = ["run", "label", "step", "loss", "train_dice", "predicted_fg", "ms_per_step", "lr", "validation_dice"]
# The app's challenge-metric columns (src/ui/io/curves.ts, ids of src/domain/metrics.ts) and their ids.
METRIC_IDS = ["hd95", "avd", "lesionRecall", "lesionPrecision", "lesionF1", "recallSmall", "recallMedium", "recallLarge"]
METRIC_COLUMNS = ["validation_" + "".join("_" + c.lower() if c.isupper() else c for c in m) for m in METRIC_IDS]


def curves_csv(runs):
    """The app's curves CSV (src/ui/io/curves.ts): one row per step, validation Dice where measured."""
    classes = max([len(v.get("perClass", [])) for r in runs for v in r["validation"]] or [0])

    def field(v):
        text = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text

    lines = [",".join(CSV_COLUMNS + METRIC_COLUMNS + [f"validation_dice_{l + 1}" for l in range(classes)])]
    for r in runs:
        val = {v["step"]: v for v in r["validation"]}
        for p in r["steps"]:
            v = val.get(p["step"], {})
            cells = [r["id"], r["label"], p["step"], p["loss"], p["trainDice"], p["predictedFg"], p["msPerStep"], p["lr"], v.get("dice")]
            cells += [v.get("metrics", {}).get(m) for m in METRIC_IDS]
            cells += [(v.get("perClass") or [None] * classes)[l] for l in range(classes)]
            lines.append(",".join(field(c) for c in cells))
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--experiment", default="experiment.json")
    p.add_argument("--data", required=True, help="the nnU-Net dataset folder (with dataset.json)")
    p.add_argument("--weights", default="weights", help="folder of {runId}.json/.bin from the browser")
    p.add_argument("--batches", default="batches.json", help="the browser's first batches (patch origins)")
    p.add_argument("--runs", default="", help="comma-separated run indices (default: all)")
    p.add_argument("--steps", type=int, default=0, help="steps per run (default: what is left of the experiment's)")
    p.add_argument("--device", default="auto", help="cpu, cuda, cuda:1, ... (auto: cuda when present)")
    p.add_argument("--save", default="", help="folder for the trained state dicts ({runId}.pt)")
    p.add_argument("--out", default="results/history.json")
    p.add_argument("--validate-window", default="", metavar="EVERY,FROM",
                   help="also validate at the multiples of EVERY from step FROM on, and at the last step (sweep.py: the app's sweep validations)")
    p.add_argument("--collapse-steps", type=int, default=0,
                   help="final one-class steps that make a run collapsed (default: a fifth of the run, at least 5; sweep.py: the sweep's last K)")
    args = p.parse_args()
    args.window_every, args.window_from = (int(v) for v in args.validate_window.split(",")) if args.validate_window else (0, 0)
    device = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device)
    with open(args.experiment) as f:
        exp = json.load(f)
    _, train, val = load_dataset(args.data)
    net = exp["network"]
    multiple = 2 ** net["depth"] if net["kind"] in ("unet2d", "unet3d") else 1
    val_batches = validation_batches(val, exp["patch"]["dims"], multiple, net["numClasses"], exp["schedule"]["validationSlices"], exp["schedule"]["slab3d"])
    chosen = [int(i) for i in args.runs.split(",") if i] or list(range(len(exp["runs"])))
    runs = [train_run(exp, exp["runs"][i], train, val_batches, val, device, args) for i in chosen]
    now = int(time.time() * 1000)
    statuses = {r["status"] for r in runs}
    record = dict(id=f"{exp['name']}-pytorch-{now}", name=f"{exp['name']} (PyTorch)", createdAt=now, updatedAt=now,
                  query=exp["query"], backend=f"torch-{device.type}", status="failed" if "error" in statuses else "finished",
                  runs=runs, checkpointStep=None)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(dict(format=HISTORY_FORMAT, version=1, exportedAt=now, experiments=[record]), f, indent=1)
    csv = os.path.splitext(args.out)[0] + ".csv"
    with open(csv, "w") as f:
        f.write(curves_csv(runs))
    print(f"wrote {args.out} and {csv}")


if __name__ == "__main__":
    main()
