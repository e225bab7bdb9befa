"""PyTorch's time per training step for npm run bench's reference net, the baseline the browser is compared with.

The net is the export's own unet2d (src/engine/export/python/models.py: the same layers as the browser's),
or its unet3d with --network unet3d (size^3 patches), 3 channels, 2 classes, batch 4 (--batch), GDL
(losses.py), Adam lr 1e-3, one loss read back per step as the browser does. Threads via --threads; the vector width is set by the caller's environment (DNNL_MAX_CPU_ISA=SSE41
ONEDNN_MAX_CPU_ISA=SSE41 ATEN_CPU_CAPABILITY=default holds it to 128-bit SIMD, like wasm). Prints one JSON line.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src", "engine", "export", "python"))
import torch  # noqa: E402

from losses import compute_loss  # noqa: E402
from models import create_network  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--network", choices=["unet2d", "unet3d"], default="unet2d")
parser.add_argument("--size", type=int, default=64)
parser.add_argument("--batch", type=int, default=4)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--budget", type=float, default=20.0, help="seconds of timed steps at most (3 steps at least)")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(1)
model = create_network({"kind": args.network, "inChannels": 3, "numClasses": 2}, seed=1)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
spatial = [args.size] * (3 if args.network == "unet3d" else 2)
x = torch.randn(args.batch, 3, *spatial)
labels = (torch.rand(args.batch, 1, *spatial) < 0.1).long()
y = torch.cat([1 - labels, labels], 1).float()


def step():
    opt.zero_grad()
    loss = compute_loss("gdl", y, model(x))
    loss.backward()
    opt.step()
    return float(loss)  # the read-back the browser's step also waits for


t = time.perf_counter()
step()
first = (time.perf_counter() - t) * 1000
times = []
start = time.perf_counter()
while len(times) < args.steps and (len(times) < 3 or time.perf_counter() - start < args.budget):
    t = time.perf_counter()
    step()
    times.append((time.perf_counter() - t) * 1000)
times.sort()
isa = "128-bit" if os.environ.get("ATEN_CPU_CAPABILITY") == "default" else "native"
print(json.dumps(dict(network=args.network, size=args.size, batch=args.batch, threads=args.threads, isa=isa, firstStepMs=first,
                      median=times[len(times) // 2], min=times[0], max=times[-1], n=len(times),
                      torch=torch.__version__)))
