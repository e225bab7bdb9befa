"""Spreads an experiment's runs over every local GPU (one train.py process per GPU), writes a SLURM array
script for a cluster, and merges result files into one history file the app imports (History -> Import).
When experiment.json holds a sweep (its runs are a grid of the app's Sweeps view), it also writes the app's
sweep file beside the history (results/sweep.json: Sweeps -> Import), as src/domain/sweep/format.ts has it.

    python sweep.py --data DATA --out results/history.json     # all local GPUs (or the CPU)
    python sweep.py --data DATA --slurm > sweep.sbatch          # one array task per run
    python sweep.py --merge results/ --out results/history.json
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_RUNS_PER_EXPERIMENT = 32  # the app's import limit per experiment
HISTORY_FORMAT = "segmentation-loss-playground/history"


def shards(n_runs, n_workers):
    """Run indices per worker, round robin: worker k gets k, k + n, k + 2n, ..."""
    return [list(range(k, n_runs, n_workers)) for k in range(n_workers) if k < n_runs]


def history_files(folder, exclude):
    """The history files in a folder (not `exclude`, not a sweep file or anything else)."""
    out = []
    for path in glob.glob(os.path.join(folder, "*.json")):
        if any(os.path.abspath(path) == os.path.abspath(x) for x in exclude):
            continue
        try:
            with open(path) as f:
                if json.load(f).get("format") == HISTORY_FORMAT:
                    out.append(path)
        except (OSError, ValueError, AttributeError):
            pass
    return out


def merge(paths, out, order=()):
    """One history file from several: the runs of each experiment name joined (in `order` of run ids,
    the experiment's), at most 32 per experiment. Returns the file's content."""
    rank = {run_id: k for k, run_id in enumerate(order)}
    experiments = {}
    exported = []
    for path in sorted(paths):
        with open(path) as f:
            data = json.load(f)
        exported.append(data.get("exportedAt", 0))
        for e in data["experiments"]:
            experiments.setdefault(e["name"], []).append(e)
    merged = []
    for name, parts in experiments.items():
        runs = sorted((r for e in parts for r in e["runs"]), key=lambda r: (rank.get(r["id"], len(rank)), r["id"]))
        for k in range(0, len(runs), MAX_RUNS_PER_EXPERIMENT):
            chunk = runs[k : k + MAX_RUNS_PER_EXPERIMENT]
            part = dict(parts[0], id=f"{parts[0]['id']}-{k // MAX_RUNS_PER_EXPERIMENT}", runs=chunk,
                        status="failed" if any(r["status"] == "error" for r in chunk) else "finished")
            merged.append(part)
    history = dict(format=HISTORY_FORMAT, version=1, exportedAt=merged[0]["createdAt"] if merged else 0, experiments=merged)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump(history, f, indent=1)
    print(f"merged {len(paths)} file(s) into {out}")
    return dict(history, partsExportedAt=max(exported, default=0))


def round5(x):
    """Math.round(x * 1e5) / 1e5 (src/domain/sweep/stats.ts round5): halves round up, as Math.round."""
    v = x * 1e5
    r = math.floor(v)
    return (r + 1 if v - r >= 0.5 else r) / 1e5


def downsample_curve(values, points):
    """Bin means of a series, at most `points` (stats.ts downsampleCurve)."""
    n = len(values)
    if n <= points:
        return [round5(v) for v in values]
    out = []
    for b in range(points):
        lo, hi = (b * n) // points, ((b + 1) * n) // points
        total = 0.0
        for v in values[lo:hi]:
            total += v
        out.append(round5(total / (hi - lo)))
    return out


def window_validations(steps, last_k, per_window):
    """`per_window` evenly spaced validations in the last K steps, the last at the final step
    (src/engine/sweep/runner.ts windowValidations): (every, from)."""
    k = min(last_k, steps)
    return max(1, k // per_window), steps - k + 1


def sweep_window(sweep, steps, last):
    """The sweep's steps and last K (--steps and --last override the experiment's)."""
    steps = steps or sweep["spec"]["steps"]
    return steps, min(steps, last or sweep["spec"]["lastK"])


def train_flags(sweep, steps, last):
    """train.py options that make a run validate and flag collapse as a run of the app's sweep does."""
    if not sweep:
        return []
    steps, last_k = sweep_window(sweep, steps, last)
    every, start = window_validations(steps, last_k, sweep["windowValidations"])
    return ["--validate-window", f"{every},{start}", "--collapse-steps", str(last_k)]


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{int(ms % 1000):03d}Z"


def write_sweep(sweep, history, out, last, name):
    """The app's sweep file (format.ts SweepFile: record + plots) from the merged history: per run of the grid
    its training Dice over the last K steps (`window`), its curve and its window validations' metrics."""
    runs = {r["id"]: r for e in history["experiments"] for r in e["runs"]}
    missing = [c["runId"] for c in sweep["cells"] if c["runId"] not in runs]
    if missing:
        print(f"no sweep file: runs {', '.join(missing)} have no results (merge every part first)")
        return None
    # The steps the runs trained (--steps may have changed them); the window as the validations were made.
    steps = max(runs[c["runId"]]["totalSteps"] for c in sweep["cells"])
    steps, last_k = sweep_window(sweep, steps, last)
    if steps < 2:
        print("no sweep file: a sweep trains at least 2 steps")
        return None
    every, start = window_validations(steps, last_k, sweep["windowValidations"])
    spec = dict(sweep["spec"], steps=steps, lastK=last_k)
    results = []
    for cell in sweep["cells"]:
        r = runs[cell["runId"]]
        dice = [p["trainDice"] for p in r["steps"] if isinstance(p.get("trainDice"), (int, float)) and math.isfinite(p["trainDice"])]
        result = {k: cell[k] for k in ("key", "loss", "lr", "patch", "burden", "seed")}
        result.update(status=r["status"], step=r["steps"][-1]["step"] if r["steps"] else 0,
                      window=[round5(d) for d in dice[-last_k:]], curve=downsample_curve(dice, sweep["curvePoints"]),
                      validation=[dict(step=v["step"], metrics=v["metrics"]) for v in r["validation"]
                                  if v["step"] >= start and (v["step"] % every == 0 or v["step"] == steps)])
        if r.get("message"):
            result["message"] = r["message"]
        results.append(result)
    started = min(r["startedAt"] for r in runs.values())
    ended = max(history["partsExportedAt"], started)
    backends = sorted({e["backend"] for e in history["experiments"]})
    record = dict(id=f"pytorch-{name}-{ended}"[:100],
                  name=f"{spec['name']} (PyTorch)"[:120], createdAt=iso(started), updatedAt=iso(ended), spec=spec,
                  state="done", backend="+".join(backends)[:40], results=results, groups=sweep["groups"],
                  elapsedMs=ended - started)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump(dict(format=sweep["format"], version=sweep["version"], record=record, plots=[]), f)
        f.write("\n")
    print(f"wrote {out} (Sweeps -> Import: {len(results)} runs, Dice over the last {last_k} of {steps} steps)")
    return out


def results_dir(args):
    """Where the run files go: the folder of --out (SLURM needs it before the job starts)."""
    return os.path.dirname(args.out) or "."


def slurm(args, n_runs, sweep):
    flags = " ".join((["--steps", str(args.steps)] if args.steps else []) + train_flags(sweep, args.steps, args.last))
    merge_flags = f" --last {args.last}" if args.last else ""
    out_dir = results_dir(args)
    os.makedirs(out_dir, exist_ok=True)
    return f"""#!/bin/bash
#SBATCH --job-name=playground-sweep
#SBATCH --array=0-{n_runs - 1}
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output={out_dir}/slurm-%A_%a.log
cd {os.path.abspath(os.getcwd())}
python3 {os.path.join(HERE, "train.py")} --experiment {args.experiment} --data {args.data} --runs $SLURM_ARRAY_TASK_ID --device cuda --out {out_dir}/run-$SLURM_ARRAY_TASK_ID.json{" " + flags if flags else ""}
# when every task has finished: python3 sweep.py --merge {out_dir}/ --out {args.out}{merge_flags}
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--experiment", default="experiment.json")
    p.add_argument("--data", default="")
    p.add_argument("--steps", type=int, default=0)
    p.add_argument("--gpus", type=int, default=-1, help="GPUs to use (default: all visible)")
    p.add_argument("--slurm", action="store_true", help="print a SLURM array script instead of running")
    p.add_argument("--merge", default="", help="merge the result files in this folder and exit")
    p.add_argument("--out", default="results/history.json")
    p.add_argument("--last", type=int, default=0, help="the sweep statistic's last K steps (default: the experiment's)")
    p.add_argument("--sweep-out", default="", help="the app's sweep file (default: sweep.json beside --out)")
    args = p.parse_args()
    with open(args.experiment) as f:
        exp = json.load(f)
    order = [r["runId"] for r in exp["runs"]]
    sweep = exp.get("sweep")
    sweep_out = args.sweep_out or os.path.join(os.path.dirname(args.out), "sweep.json")
    n_runs = len(order)
    if args.merge:
        history = merge(history_files(args.merge, [args.out, sweep_out]), args.out, order)
        if sweep:
            write_sweep(sweep, history, sweep_out, args.last, exp["name"])
        return
    if n_runs == 0:
        sys.exit("the experiment has no runs")
    if args.slurm:
        print(slurm(args, n_runs, sweep), end="")
        return
    gpus = torch.cuda.device_count() if args.gpus < 0 else args.gpus
    devices = [f"cuda:{k}" for k in range(gpus)] or ["cpu"]
    parts = os.path.join(results_dir(args), "parts")
    os.makedirs(parts, exist_ok=True)
    procs = []
    for device, runs in zip(devices, shards(n_runs, len(devices))):
        out = os.path.join(parts, f"{device.replace(':', '-')}.json")
        cmd = [sys.executable, os.path.join(HERE, "train.py"), "--experiment", args.experiment, "--data", args.data,
               "--runs", ",".join(map(str, runs)), "--device", device, "--out", out]
        if args.steps:
            cmd += ["--steps", str(args.steps)]
        cmd += train_flags(sweep, args.steps, args.last)
        print(f"{device}: runs {runs}", flush=True)
        procs.append((subprocess.Popen(cmd), out))
    failed = [out for proc, out in procs if proc.wait() != 0]
    if failed:
        sys.exit(f"{len(failed)} worker(s) failed: {', '.join(failed)}")
    history = merge([out for _, out in procs], args.out, order)
    if sweep:
        write_sweep(sweep, history, sweep_out, args.last, exp["name"])
    else:
        print("no sweep file: these runs are not a sweep of the app (README.md says why); import the history in History")


if __name__ == "__main__":
    main()
