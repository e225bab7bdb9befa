// Cross-check against the challenge's definitions computed with numpy/scipy (testing/wmh_scipy.py, in
// evaluation.py's style: KD-tree distances, np.percentile, ndimage.label). Skipped when scipy is absent.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { segmentationMetrics } from './index';
import { randomMaskPair } from './testing/random-masks';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./testing/wmh_scipy.py', import.meta.url));
const hasScipy = spawnSync(PYTHON, ['-c', 'import numpy, scipy.ndimage, scipy.spatial']).status === 0;
if (!hasScipy) console.warn(`challenge.scipy.test: skipped, ${PYTHON} with numpy and scipy is not available`);

describe.skipIf(!hasScipy)('segmentationMetrics vs numpy/scipy (evaluation.py definitions)', () => {
  it('agrees within 1e-9 relative on 24 random non-empty pairs up to 24 voxels a side', () => {
    const pairs = [];
    for (let seed = 1000; pairs.length < 24; seed++) {
      const pair = randomMaskPair({ seed, minSide: 8, maxSide: 24, maxBlobs: 10 });
      if (pair.reference.some((v) => v) && pair.prediction.some((v) => v)) pairs.push(pair);
    }
    const input = JSON.stringify(
      pairs.map((p) => ({ ...p, reference: Array.from(p.reference), prediction: Array.from(p.prediction) })),
    );
    const run = spawnSync(PYTHON, [SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(run.stderr).toBe('');
    const expected: Record<string, number>[] = JSON.parse(run.stdout);
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
    const bad = pairs.flatMap((pair, k) => {
      const m = segmentationMetrics(pair);
      const ours = {
        dice: m.dice,
        hd95: m.hd95,
        avd: m.avd,
        recall: m.lesionRecall,
        precision: m.lesionPrecision,
        f1: m.lesionF1,
      };
      return Object.entries(ours)
        .filter(([name, v]) => !close(v, expected[k][name]))
        .map(([name, v]) => `case ${k} ${name}: ${v} vs scipy ${expected[k][name]}`);
    });
    expect(bad).toEqual([]);
    // Not a trivial agreement: hd95 and lesion numbers vary across the cases.
    expect(new Set(expected.map((e) => e.hd95.toFixed(6))).size).toBeGreaterThan(12);
    expect(expected.some((e) => e.recall < 1)).toBe(true);
  });
});
