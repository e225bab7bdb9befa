import { describe, expect, it } from 'vitest';
import type { LossId } from '../losses';
import { matchedValues, pairLosses, pairSentence, pairsAgainst } from './pairs';
import { cellKey } from './plan';
import { sweepReportMarkdown } from './report';
import { assembleTables, type LossRobustness, robustness } from './table';
import type { RunResult, SweepRecord, SweepSpec } from './types';
import { verdict } from './verdict';

// Five LRs x one patch x two seeds: ten matched (cell, seed) pairs per two losses.
const LRS = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
const SPEC: SweepSpec = {
  name: 'pairs',
  network: 'unet2d',
  losses: ['wce', 'dl2', 'ss', 'gdl'],
  lrs: LRS,
  patches: [{ id: 'S', patch: 16, batch: 5 }],
  burdens: [0.01],
  seeds: 2,
  firstSeed: 1,
  steps: 10,
  lastK: 3,
  lesion: 'tumour',
  noise: 0.05,
  size: 64,
};

/** A run whose window has median m by construction. */
function run(loss: LossId, lr: number, seed: number, m: number, status: RunResult['status'] = 'done'): RunResult {
  const cell = { loss, lr, patch: 'S', burden: 0.01, seed };
  return { key: cellKey(cell), ...cell, status, step: 10, window: [m - 0.01, m, m + 0.01], curve: [] };
}

// Pair i = (lr index, seed) in that order; GDL = 0.5 + UP[i], WCE = 0.5, DL2 = GDL - MIXED[i].
const UP = Array.from({ length: 10 }, (_, i) => 0.03 + 0.02 * i);
const MIXED = [0.05, -0.04, 0.03, -0.06, 0.02, -0.01, 0.04, -0.03, 0.01, -0.02];
const pairIndex = (lr: number, seed: number) => LRS.indexOf(lr) * 2 + (seed - 1);
const RESULTS: RunResult[] = LRS.flatMap((lr) =>
  [1, 2].flatMap((seed) => {
    const i = pairIndex(lr, seed);
    const gdl = 0.5 + UP[i];
    const out = [run('gdl', lr, seed, gdl), run('wce', lr, seed, 0.5), run('dl2', lr, seed, gdl - MIXED[i])];
    // SS: one run only, so a single matched pair.
    if (lr === 1e-3 && seed === 1) out.push(run('ss', lr, seed, 0.1));
    return out;
  }),
);
const TABLES = assembleTables({ spec: SPEC, results: RESULTS });

// Independent reference: t interval with the tabled quantile, exact Wilcoxon p for one-signed distinct differences.
const T975_DF9 = 2.2621571627409915;
function ci(d: number[]) {
  const mean = d.reduce((a, v) => a + v, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (d.length - 1));
  return { mean, half: (T975_DF9 * sd) / Math.sqrt(d.length) };
}

describe('matched pairs over (cell, seed)', () => {
  it('pairs each seed\u2019s median with the same cell and seed of the other loss', () => {
    const m = matchedValues({ tables: TABLES, a: 'gdl', b: 'wce' });
    expect(m.a).toHaveLength(10);
    const order = LRS.flatMap((lr) => [1, 2].map((s) => pairIndex(lr, s)));
    m.a.forEach((v, k) => {
      expect(v).toBeCloseTo(0.5 + UP[order[k]], 12);
      expect(m.b[k]).toBeCloseTo(0.5, 12);
    });
  });

  it('significant: GDL better in 10 of 10 pairs, interval and p as computed directly', () => {
    const p = pairLosses({ tables: TABLES, a: 'gdl', b: 'wce' });
    const { mean, half } = ci(UP);
    expect(p.comparison.difference.mean).toBeCloseTo(mean, 12);
    expect(p.comparison.difference.lo).toBeCloseTo(mean - half, 9);
    expect(p.comparison.difference.hi).toBeCloseTo(mean + half, 9);
    expect(p.comparison.wilcoxon.p).toBeCloseTo(2 / 2 ** 10, 12);
    expect(p.outcome).toBe('better');
    expect(pairSentence(p)).toBe(
      'GDL vs WCE: better in 10 of 10 pairs, paired difference +0.12 [0.08, 0.16], Wilcoxon p = 0.002: GDL is better.',
    );
    // The other way round the same pairs say WCE is worse, and name GDL as the better one.
    const back = pairLosses({ tables: TABLES, a: 'wce', b: 'gdl' });
    expect(back.outcome).toBe('worse');
    expect(pairSentence(back)).toMatch(/^WCE vs GDL: better in 0 of 10 pairs, paired difference -0\.12 .*: GDL is better\.$/);
  });

  it('not separated when the interval includes 0, whatever the sign count', () => {
    const p = pairLosses({ tables: TABLES, a: 'gdl', b: 'dl2' });
    const { mean, half } = ci(MIXED);
    expect(mean - half).toBeLessThan(0);
    expect(mean + half).toBeGreaterThan(0);
    expect(p.outcome).toBe('not separated');
    expect(pairSentence(p)).toMatch(
      /^GDL vs DL2: better in 5 of 10 pairs, paired difference -0\.00 \[-0\.\d\d, 0\.\d\d\], Wilcoxon p = 0\.\d{3}: not separated \(the interval includes 0\)\.$/,
    );
  });

  it('not separated when the interval excludes 0 but Wilcoxon cannot (3 pairs: p >= 0.25)', () => {
    const three = [1e-5, 1e-4, 1e-3].flatMap((lr, i) => [run('gdl', lr, 1, 0.6 + 0.01 * i), run('wce', lr, 1, 0.5)]);
    const tables = assembleTables({ spec: { ...SPEC, lrs: [1e-5, 1e-4, 1e-3], seeds: 1 }, results: three });
    const p = pairLosses({ tables, a: 'gdl', b: 'wce' });
    expect(p.comparison.difference.lo).toBeGreaterThan(0);
    expect(p.comparison.wilcoxon.p).toBeCloseTo(0.25, 12);
    expect(pairSentence(p)).toMatch(/Wilcoxon p = 0\.250: not separated \(Wilcoxon p ≥ 0\.05\)\.$/);
  });

  it('fewer than 2 pairs: no comparison is drawn', () => {
    const p = pairLosses({ tables: TABLES, a: 'gdl', b: 'ss' });
    expect(p).toMatchObject({ outcome: 'too few', comparison: { n: 1 } });
    expect(pairSentence(p)).toBe('GDL vs SS: 1 matched pair, fewer than 2: no paired comparison yet.');
    expect(pairsAgainst({ tables: TABLES }).map((x) => [x.b, x.outcome])).toEqual([
      ['wce', 'better'],
      ['dl2', 'not separated'],
      ['ss', 'too few'],
    ]);
  });
});

const row = (loss: LossId, worst: number, mean: number, failed = 0): LossRobustness => ({
  loss,
  mean,
  worst: { median: worst, patch: 'S', lr: 1e-3, burden: 0.01 },
  failed,
  partial: 0,
  done: 5,
  total: 5,
});

describe('the verdict with 2+ seeds uses the paired results', () => {
  const rows = [row('wce', 0.5, 0.5), row('dl2', 0.52, 0.61), row('ss', 0.1, 0.1, 4), row('gdl', 0.53, 0.62)];

  it('best against the runner-up, then the claim from GDL\u2019s pairs', () => {
    const v = verdict(rows, 'trainDice', { tables: TABLES, seeds: 2 });
    const runnerUp = pairSentence(pairLosses({ tables: TABLES, a: 'gdl', b: 'dl2' }));
    expect(v).toBe(
      `Most robust here: GDL, DL2, tied within 0.02 Dice (worst cell 0.53, 0 failed). Best against the runner-up: ${runnerUp} ` +
        "The paper's claim holds only in part: GDL beats WCE over paired seeds; not separated from DL2; too few pairs against SS.",
    );
  });

  it('does not hold when a loss beats GDL over paired seeds; holds when GDL beats all', () => {
    const swapped = RESULTS.map((r) =>
      r.loss === 'gdl' ? { ...r, loss: 'wce' as const } : r.loss === 'wce' ? { ...r, loss: 'gdl' as const } : r,
    ).map((r) => ({ ...r, key: cellKey(r) }));
    const tables = assembleTables({ spec: SPEC, results: swapped });
    expect(verdict(rows, 'trainDice', { tables, seeds: 2 })).toMatch(
      /does not hold in this sweep: WCE, DL2 beat GDL over paired seeds\.$/,
    );
    const two = assembleTables({ spec: { ...SPEC, losses: ['wce', 'gdl'] }, results: RESULTS });
    expect(verdict([rows[0], rows[3]], 'trainDice', { tables: two, seeds: 2 })).toMatch(
      /Best against the runner-up: GDL vs WCE: .*: GDL is better\. The paper's claim holds in this sweep: GDL beats WCE over paired seeds\.$/,
    );
  });

  it('one seed per cell keeps the robustness sentence', () => {
    expect(verdict(rows, 'trainDice', { tables: TABLES, seeds: 1 })).toBe(verdict(rows, 'trainDice'));
  });
});

describe('the report with 2 seeds', () => {
  it('has the mean [95% CI] caption, each seed\u2019s values, GDL\u2019s pairs and the paired verdict', () => {
    const record: SweepRecord = {
      id: 'r',
      name: 'pairs',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      spec: SPEC,
      state: 'done',
      backend: 'wasm',
      results: RESULTS,
      groups: [],
      elapsedMs: 0,
    };
    const md = sweepReportMarkdown({ record });
    expect(md).toContain("Mean [95% CI] across 2 seeds of each seed's median of training Dice over the last 3 of 10 steps");
    expect(md).toContain("Each seed's value (seeds 1, 2, in that order; the median of its window):");
    // LR 1e-3 row: GDL's seeds are pairs 4 and 5 (0.5 + 0.11, 0.5 + 0.13); SS has seed 1 only.
    expect(md).toContain('|  | 1e-3 | 0.50 / 0.50 | 0.59 / 0.64 | 0.10 / … | 0.61 / 0.63 |');
    expect(md).toContain('## GDL paired against each loss');
    for (const p of pairsAgainst({ tables: TABLES })) expect(md).toContain(`- ${pairSentence(p)}`);
    // SS trained 1 of its 10 runs: the sweep is unfinished and the verdict says so.
    expect(md).toContain("The paper's claim holds only in part so far: GDL beats WCE over paired seeds");
    expect(robustness({ tables: TABLES })).toHaveLength(4);
  });
});
