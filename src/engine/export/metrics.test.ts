// python/metrics.py (what train.py reports at every validation) against the engine's segmentationMetrics and
// summariseMetrics on the same masks: random blob pairs with anisotropic spacing, and the empty-mask rules.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChallengeMetrics, segmentationMetrics } from '../metrics/challenge';
import { randomMaskPair, type MaskPair } from '../metrics/testing/random-masks';
import { summariseMetrics } from '../train/validation-metrics';
import { requireTorch, runPython, skipWithoutTorch, TESTING_DIR } from './testing/python';

const skip = skipWithoutTorch('export/metrics.test');

/** A hand-made pair on a small grid: voxels listed as [x, y, z]. */
function pair(dims: [number, number, number], ref: number[][], pred: number[][], spacing = [1, 1, 1]): MaskPair {
  const n = dims[0] * dims[1] * dims[2];
  const put = (voxels: number[][]) => {
    const m = new Uint8Array(n);
    for (const [x, y, z] of voxels) m[x + dims[0] * (y + dims[1] * z)] = 1;
    return m;
  };
  return { dims, spacing: spacing as [number, number, number], reference: put(ref), prediction: put(pred) };
}

const EDGES: Record<string, MaskPair> = {
  'both empty': pair([4, 3, 2], [], []),
  'empty prediction': pair([4, 3, 2], [[1, 1, 0]], []),
  'empty reference': pair(
    [5, 4, 3],
    [],
    [
      [0, 0, 0],
      [4, 3, 2],
    ],
    [0.5, 2, 3],
  ),
  // One predicted component over two reference lesions: lesion precision 2 (evaluation.py's definition).
  'one component, two lesions': pair(
    [6, 3, 1],
    [
      [0, 1, 0],
      [4, 1, 0],
    ],
    [
      [0, 1, 0],
      [1, 1, 0],
      [2, 1, 0],
      [3, 1, 0],
      [4, 1, 0],
    ],
  ),
  // Corner contact joins (26-connectivity); lesions on the grid's edge keep their edge voxels as boundary.
  'corner contact at the edge': pair(
    [3, 3, 3],
    [
      [0, 0, 0],
      [1, 1, 1],
      [2, 2, 2],
    ],
    [[2, 2, 2]],
    [1, 0.7, 2.5],
  ),
};

/** The fields both sides report, flattened (recall by size as hit/total/recall per bin). */
function fields(
  m: Pick<ChallengeMetrics, 'dice' | 'hd95' | 'avd' | 'lesionRecall' | 'lesionPrecision' | 'lesionF1'> & {
    referenceLesions: number;
    predictedLesions: number;
    referenceLesionsHit: number;
    recallBySize: ChallengeMetrics['recallBySize'];
  },
): Record<string, number> {
  const out: Record<string, number> = {
    dice: m.dice,
    hd95: m.hd95,
    avd: m.avd,
    lesionRecall: m.lesionRecall,
    lesionPrecision: m.lesionPrecision,
    lesionF1: m.lesionF1,
    referenceLesions: m.referenceLesions,
    predictedLesions: m.predictedLesions,
    referenceLesionsHit: m.referenceLesionsHit,
  };
  for (const [bin, r] of Object.entries(m.recallBySize))
    Object.assign(out, { [`${bin}.hit`]: r.hit, [`${bin}.total`]: r.total, [`${bin}.recall`]: r.recall });
  return out;
}

const close = (a: number, b: number) =>
  Number.isNaN(b) ? a === null || Number.isNaN(a) : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe.skipIf(skip)('metrics.py vs segmentationMetrics', () => {
  beforeAll(() => requireTorch());

  it('random blob pairs and the empty-mask rules: every field within 1e-9; the summary as summariseMetrics', () => {
    const random = Array.from({ length: 40 }, (_, k) => randomMaskPair({ seed: 7000 + k, minSide: 3, maxSide: 20, maxBlobs: 8 }));
    const pairs = [...Object.values(EDGES), ...random];
    const names = [...Object.keys(EDGES), ...random.map((_, k) => `random ${7000 + k}`)];
    // The random set covers both empty-mask cases and non-empty pairs (not only the hand-made ones).
    const empty = (m: Uint8Array) => !m.some((v) => v);
    expect(random.some((p) => !empty(p.reference) && !empty(p.prediction))).toBe(true);
    const input = JSON.stringify(
      pairs.map((p) => ({ ...p, reference: Array.from(p.reference), prediction: Array.from(p.prediction) })),
    );
    const out = JSON.parse(runPython({ script: join(TESTING_DIR, 'metrics_check.py'), input })) as {
      cases: Parameters<typeof fields>[0][];
      summary: Record<string, number | null>;
    };
    const engine = pairs.map((p) => segmentationMetrics(p));
    const bad = engine.flatMap((m, k) => {
      const ours = fields(m);
      const theirs = fields(out.cases[k]);
      return Object.keys(ours)
        .filter((f) => !close(theirs[f], ours[f]))
        .map((f) => `${names[k]} ${f}: engine ${ours[f]}, python ${theirs[f]}`);
    });
    expect(bad).toEqual([]);
    const summary = summariseMetrics(engine);
    for (const [id, v] of Object.entries(summary)) expect(close(out.summary[id] ?? Number.NaN, v), id).toBe(true);
    // The edge cases hold what the engine documents (so the comparison is not of two wrong numbers).
    expect(fields(out.cases[0])).toMatchObject({ dice: 1, hd95: 0, avd: 0, lesionRecall: 1, lesionPrecision: 1, lesionF1: 1 });
    expect(out.cases[2].hd95).toBeCloseTo(Math.hypot(5 * 0.5, 4 * 2, 3 * 3), 12);
    expect(out.cases[3].lesionPrecision).toBe(2);
  });
});
