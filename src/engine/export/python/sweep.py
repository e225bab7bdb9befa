"""Spreads an experiment's runs over every local GPU (one train.py process per GPU), writes a SLURM array
script for a cluster, and merges result files into one history file the app imports.

    python sweep.py --data DATA --out results/history.json     # all local GPUs (or the CPU)
    python sweep.py --data DATA --slurm > sweep.sbatch          # one array task per run
    python sweep.py --merge results/ --out results/history.json
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_RUNS_PER_EXPERIMENT = 32  # the app's import limit per experiment


def shards(n_runs, n_workers):
    """Run indices per worker, round robin: worker k gets k, k + n, k + 2n, ..."""
    return [list(range(k, n_runs, n_workers)) for k in range(n_workers) if k < n_runs]


def merge(paths, out, order=()):
    """One history file from several: the runs of each experiment name joined (in `order` of run ids,
    the experiment's), at most 32 per experiment."""
    rank = {run_id: k for k, run_id in enumerate(order)}
    experiments = {}
    for path in sorted(paths):
        with open(path) as f:
            for e in json.load(f)["experiments"]:
                experiments.setdefault(e["name"], []).append(e)
    merged = []
    for name, parts in experiments.items():
        runs = sorted((r for e in parts for r in e["runs"]), key=lambda r: (rank.get(r["id"], len(rank)), r["id"]))
        for k in range(0, len(runs), MAX_RUNS_PER_EXPERIMENT):
            chunk = runs[k : k + MAX_RUNS_PER_EXPERIMENT]
            part = dict(parts[0], id=f"{parts[0]['id']}-{k // MAX_RUNS_PER_EXPERIMENT}", runs=chunk,
                        status="failed" if any(r["status"] == "error" for r in chunk) else "finished")
            merged.append(part)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump(dict(format="segmentation-loss-playground/history", version=1, exportedAt=merged[0]["createdAt"] if merged else 0,
                       experiments=merged), f, indent=1)
    print(f"merged {len(paths)} file(s) into {out}")


def slurm(args, n_runs):
    return f"""#!/bin/bash
#SBATCH --job-name=playground-sweep
#SBATCH --array=0-{n_runs - 1}
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output=results/slurm-%A_%a.log
cd {os.path.abspath(HERE)}
mkdir -p results
python3 train.py --experiment {args.experiment} --data {args.data} --runs $SLURM_ARRAY_TASK_ID --device cuda --out results/run-$SLURM_ARRAY_TASK_ID.json
# when every task has finished: python3 sweep.py --merge results/ --out results/history.json
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
    args = p.parse_args()
    with open(args.experiment) as f:
        order = [r["runId"] for r in json.load(f)["runs"]]
    n_runs = len(order)
    if args.merge:
        merge([f for f in glob.glob(os.path.join(args.merge, "*.json")) if os.path.abspath(f) != os.path.abspath(args.out)], args.out, order)
        return
    if n_runs == 0:
        sys.exit("the experiment has no runs")
    if args.slurm:
        print(slurm(args, n_runs), end="")
        return
    gpus = torch.cuda.device_count() if args.gpus < 0 else args.gpus
    devices = [f"cuda:{k}" for k in range(gpus)] or ["cpu"]
    os.makedirs("results/parts", exist_ok=True)
    procs = []
    for device, runs in zip(devices, shards(n_runs, len(devices))):
        out = f"results/parts/{device.replace(':', '-')}.json"
        cmd = [sys.executable, os.path.join(HERE, "train.py"), "--experiment", args.experiment, "--data", args.data,
               "--runs", ",".join(map(str, runs)), "--device", device, "--out", out]
        if args.steps:
            cmd += ["--steps", str(args.steps)]
        print(f"{device}: runs {runs}", flush=True)
        procs.append((subprocess.Popen(cmd), out))
    failed = [out for proc, out in procs if proc.wait() != 0]
    if failed:
        sys.exit(f"{len(failed)} worker(s) failed: {', '.join(failed)}")
    merge([out for _, out in procs], args.out, order)


if __name__ == "__main__":
    main()
