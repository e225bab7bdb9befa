// The challenge metrics against the brute-force float64 reference (all pairs, BFS; no shared code) on
// seeded random blob masks with anisotropic spacing: every field equal within 1e-9 relative.
import { describe, expect, it } from 'vitest';

import { segmentationMetrics } from './index';
import { randomMaskPair } from './testing/random-masks';
import { referenceChallengeMetrics } from './testing/reference-challenge';

const CASES = 300;

/** Every number in `expected`, found at the same path in `actual`, within 1e-9 relative. */
function mismatches(actual: unknown, expected: unknown, path = ''): string[] {
  if (typeof expected === 'number') {
    const a = actual as number;
    const ok = a === expected || Math.abs(a - expected) <= 1e-9 * Math.abs(expected);
    return ok ? [] : [`${path}: ${a} vs reference ${expected}`];
  }
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
    mismatches((actual as Record<string, unknown>)[k], v, `${path}.${k}`),
  );
}

describe('segmentationMetrics vs the brute-force reference', () => {
  const pairs = Array.from({ length: CASES }, (_, seed) => randomMaskPair({ seed }));

  it(`agrees on ${CASES} random blob masks`, () => {
    const bad = pairs.flatMap((pair, seed) =>
      mismatches(segmentationMetrics(pair), referenceChallengeMetrics(pair)).map((m) => `seed ${seed} ${m}`),
    );
    expect(bad).toEqual([]);
  });

  it('any nonzero value is foreground: masks scaled to 1..255 give identical metrics', () => {
    for (const [seed, pair] of pairs.slice(0, 60).entries()) {
      const scale = (m: Uint8Array, k: number) => m.map((v) => v * (1 + ((seed * 37 + k) % 255)));
      const scaled = { ...pair, reference: scale(pair.reference, 0), prediction: scale(pair.prediction, 1) };
      expect(segmentationMetrics(scaled)).toEqual(segmentationMetrics(pair));
    }
  });

  it('the random cases cover what matters (else agreement would prove little)', () => {
    const refs = pairs.map(referenceChallengeMetrics);
    const count = (f: (r: (typeof refs)[number]) => boolean) => refs.filter(f).length;
    expect(count((r) => r.referenceVoxels > 0 && r.predictedVoxels > 0 && r.hd95 > 0)).toBeGreaterThan(CASES / 2);
    expect(count((r) => r.referenceVoxels === 0 || r.predictedVoxels === 0)).toBeGreaterThan(5);
    expect(count((r) => r.referenceLesions >= 3 && r.lesionRecall < 1)).toBeGreaterThan(20);
    expect(count((r) => r.lesionPrecision > 1)).toBeGreaterThan(0);
    for (const bin of ['small', 'medium', 'large'] as const)
      expect(count((r) => r.recallBySize[bin].total > 0)).toBeGreaterThan(20);
    expect(new Set(pairs.map((p) => p.spacing.join())).size).toBe(CASES);
  });
});
