"""Test-only: python/metrics.py on masks from stdin. Reads a JSON list of {dims: [x, y, z], spacing, reference,
prediction} (flat 0/1 lists, x fastest) and prints a JSON list of segmentation_metrics, then the summary."""
import json
import math
import sys

import numpy as np

from metrics import segmentation_metrics, summarise

cases = json.load(sys.stdin)
# Flat x-fastest data is Fortran order over (x, y, z).
grid = lambda flat, dims: np.asarray(flat, dtype=bool).reshape(dims, order="F")
per_case = [segmentation_metrics(grid(c["reference"], c["dims"]), grid(c["prediction"], c["dims"]), c["spacing"]) for c in cases]
summary = {k: (None if math.isnan(v) else v) for k, v in summarise(per_case).items()}
print(json.dumps(dict(cases=per_case, summary=summary)))
