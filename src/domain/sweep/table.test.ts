import { describe, expect, it } from 'vitest';
import { cellKey } from './plan';
import { heatmapData } from './plot';
import { assembleTable, assembleTables, rankLosses, robustness, tablesToCsv, tableToMarkdown } from './table';
import type { RunResult, SweepSpec } from './types';

const NO_METRICS = {
  dice: 0,
  hd95: 0,
  avd: 0,
  lesionRecall: 0,
  lesionPrecision: 0,
  lesionF1: 0,
  recallSmall: 0,
  recallMedium: 0,
  recallLarge: 0,
};

const SPEC: SweepSpec = {
  name: 't',
  network: 'unet2d',
  losses: ['wce', 'gdl'],
  // Given high to low: the table sorts them ascending, like the paper's -5, -4, -3.
  lrs: [1e-3, 1e-5],
  patches: [
    { id: 'L', patch: 48, batch: 1 },
    { id: 'S', patch: 16, batch: 5 },
  ],
  burdens: [0.01, 0.002],
  seeds: 1,
  firstSeed: 1,
  steps: 10,
  lastK: 3,
  lesion: 'tumour',
  noise: 0.05,
  size: 64,
};

function result(p: {
  loss: 'wce' | 'gdl';
  lr: number;
  patch: string;
  burden?: number;
  seed?: number;
  status?: RunResult['status'];
  window: number[];
}): RunResult {
  const cell = { loss: p.loss, lr: p.lr, patch: p.patch, burden: p.burden ?? 0.01, seed: p.seed ?? 1 };
  return { key: cellKey(cell), ...cell, status: p.status ?? 'done', step: 10, window: p.window, curve: [] };
}

// Medians by construction: each window is [m - .1, m, m + .1] (median m, IQR .1).
const around = (m: number) => [m - 0.1, m, m + 0.1];
const RESULTS: RunResult[] = [
  result({ loss: 'wce', lr: 1e-5, patch: 'L', window: around(0.5) }),
  result({ loss: 'gdl', lr: 1e-5, patch: 'L', window: around(0.6) }),
  result({ loss: 'wce', lr: 1e-3, patch: 'L', status: 'diverged', window: around(0.7) }),
  result({ loss: 'gdl', lr: 1e-3, patch: 'L', window: around(0.7) }),
  result({ loss: 'wce', lr: 1e-5, patch: 'S', window: around(0.3) }),
  // gdl at S, 1e-5 still pending.
  result({ loss: 'wce', lr: 1e-3, patch: 'S', status: 'collapsed', window: [0, 0, 0] }),
  result({ loss: 'gdl', lr: 1e-3, patch: 'S', window: around(0.8) }),
  // Another burden and a seed outside the spec must not leak into the first table.
  result({ loss: 'gdl', lr: 1e-5, patch: 'S', burden: 0.002, window: around(0.2) }),
  result({ loss: 'gdl', lr: 1e-5, patch: 'S', seed: 9, window: around(0.9) }),
];

describe('assembleTable: the paper layout', () => {
  const table = assembleTable({ spec: SPEC, results: RESULTS, burden: 0.01 });

  it('rows are patch presets in spec order x LR ascending; columns the losses', () => {
    expect(table.losses).toEqual(['wce', 'gdl']);
    expect(table.rows.map((r) => `${r.patch.id} ${r.lr}`)).toEqual(['L 0.00001', 'L 0.001', 'S 0.00001', 'S 0.001']);
  });

  it('cells carry each run\u2019s statistic, failures and pending cells', () => {
    const text = table.rows.map((r) => r.cells.map((c) => c.text));
    expect(text).toEqual([
      ['0.50 (0.10)', '0.60 (0.10)'],
      ['0 (0)', '0.70 (0.10)'],
      ['0.30 (0.10)', '…'],
      ['0 (0)', '0.80 (0.10)'],
    ]);
    expect(table.rows[1].cells[0]).toMatchObject({ state: 'failed', failures: ['diverged'] });
    expect(table.rows[3].cells[0]).toMatchObject({ state: 'failed', failures: ['collapsed'] });
    expect(table.rows[2].cells[1].state).toBe('pending');
  });

  it('the second burden gets its own table', () => {
    const [, second] = assembleTables({ spec: SPEC, results: RESULTS });
    expect(second.burden).toBe(0.002);
    expect(second.rows[2].cells[1].median).toBeCloseTo(0.2, 12);
    expect(second.rows.flatMap((r) => r.cells).filter((c) => c.state !== 'pending')).toHaveLength(1);
  });

  it('robustness: mean and worst of the finished cells, failures counted', () => {
    const [wce, gdl] = robustness({ tables: [table] });
    // wce cells: .5, 0 (diverged), .3, 0 (collapsed).
    expect(wce.mean).toBeCloseTo((0.5 + 0 + 0.3 + 0) / 4, 12);
    expect(wce).toMatchObject({ failed: 2, partial: 0, done: 4, total: 4 });
    expect(wce.worst).toMatchObject({ median: 0, patch: 'L', lr: 1e-3 });
    expect(gdl.mean).toBeCloseTo((0.6 + 0.7 + 0.8) / 3, 12);
    expect(gdl).toMatchObject({ failed: 0, done: 3, total: 4 });
    expect(gdl.worst!.median).toBeCloseTo(0.6, 12);
    expect(rankLosses([wce, gdl])).toEqual(['gdl', 'wce']);
  });

  it('Markdown: the paper\u2019s rows, failure marks, best of each row in bold', () => {
    const md = tableToMarkdown({ table, spec: SPEC, labels: { wce: 'WCE', gdl: 'GDL' } }).split('\n');
    expect(md[0]).toBe('| Patch (side/batch) | LR | WCE | GDL |');
    expect(md[2]).toBe('| L (48/1) | 1e-5 | 0.50 (0.10) | **0.60 (0.10)** |');
    expect(md[3]).toBe('|  | 1e-3 | 0 (0)† | **0.70 (0.10)** |');
    expect(md[4]).toBe('| S (16/5) | 1e-5 | **0.30 (0.10)** | … |');
    expect(md[5]).toBe('|  | 1e-3 | 0 (0)‡ | **0.80 (0.10)** |');
    expect(md.at(-1)).toMatch(/last 3 of 10 steps/);
  });

  it('CSV: one line per cell with its numbers', () => {
    const lines = tablesToCsv({ tables: [table] })
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1 + 8);
    // The old 15 columns first, then the mean across seeds, its interval, the seeds used and one column per seed.
    expect(lines[0]).toBe(
      'burden,patch,side,batch,lr,loss,median,iqr,q1,q3,values,seeds_done,seeds_total,state,failures,mean,ci_lo,ci_hi,seeds_used,seed_1',
    );
    expect(lines[1]).toBe('0.01,L,48,1,0.00001,wce,0.5,0.1,0.45,0.55,3,1,1,ok,,0.5,0.5,0.5,1,0.5');
    expect(lines[3]).toBe('0.01,L,48,1,0.001,wce,0,0,0,0,3,1,1,failed,diverged,0,0,0,1,0');
    expect(lines[6]).toBe('0.01,S,16,5,0.00001,gdl,,,,,0,0,1,pending,,,,,0,');
  });

  it('heat map data: rows by ascending patch side, columns by LR, failed mask', () => {
    const h = heatmapData({ table, loss: 'wce', levels: [0.4] });
    expect(h.patches.map((p) => p.id)).toEqual(['S', 'L']);
    expect(h.y).toEqual([16, 48]);
    expect(h.x).toEqual([-5, -3]);
    expect(h.z[0][0]).toBeCloseTo(0.3, 12);
    expect(h.z[1][0]).toBeCloseTo(0.5, 12);
    expect(h.z[0][1]).toBe(0);
    expect(h.failed).toEqual([
      [false, true],
      [false, true],
    ]);
    // One cell: .3 and .5 on the left column, 0 on the right: the 0.4 line crosses the left edge half way up.
    const line = h.isolines[0].lines.flat();
    expect(line.some(([x, y]) => Math.abs(x) < 1e-9 && Math.abs(y - 0.5) < 1e-9)).toBe(true);
    const g = heatmapData({ table, loss: 'gdl' });
    expect(g.z[0][0]).toBeNull();
  });

  it('a lower-is-better statistic (hd95): the worst cell is the highest, the best of a row the lowest', () => {
    const hd = (loss: 'wce' | 'gdl', lr: number, patch: string, v: number, status?: RunResult['status']) => ({
      ...result({ loss, lr, patch, window: [], status }),
      validation: [{ step: 10, metrics: { ...NO_METRICS, hd95: v } }],
    });
    const results = [
      hd('wce', 1e-5, 'L', 9),
      hd('gdl', 1e-5, 'L', 3),
      hd('wce', 1e-3, 'L', 20, 'diverged'), // no finite worst distance: it counts only as a failure
      hd('gdl', 1e-3, 'L', 5),
    ];
    const t = assembleTable({ spec: SPEC, results, burden: 0.01, statistic: 'hd95' });
    expect(t.statistic).toBe('hd95');
    const [wce, gdl] = robustness({ tables: [t] });
    expect(gdl.worst).toMatchObject({ median: 5, lr: 1e-3 });
    expect(gdl.mean).toBe(4);
    expect(wce).toMatchObject({ mean: 9, failed: 1, done: 1 });
    expect(rankLosses([wce, gdl], 'hd95')).toEqual(['gdl', 'wce']);
    const md = tableToMarkdown({ table: t, spec: SPEC, labels: { wce: 'WCE', gdl: 'GDL' } }).split('\n');
    expect(md[2]).toBe('| L (48/1) | 1e-5 | 9.00 (0) | **3.00 (0)** |');
    expect(md.at(-1)).toMatch(/^Median \(IQR\) of validation HD95 \(mm\) over the last 3 of 10 steps/);
  });

  it('two seeds: mean [95% CI] cells, the caption says so, CSV has each seed and the interval', () => {
    const spec = { ...SPEC, seeds: 2, burdens: [0.01] };
    const results = [
      result({ loss: 'wce', lr: 1e-5, patch: 'L', seed: 1, window: around(0.4) }),
      result({ loss: 'wce', lr: 1e-5, patch: 'L', seed: 2, window: around(0.6) }),
      result({ loss: 'gdl', lr: 1e-5, patch: 'L', seed: 2, window: around(0.7) }), // seed 1 not trained yet
    ];
    const t = assembleTable({ spec, results, burden: 0.01 });
    expect(t.seeds).toEqual([1, 2]);
    // Seeds .4 and .6: mean .5, sd .1 sqrt 2, half = t(.975, 1) x .1 = 1.2706.
    const half = 12.706204736174705 * 0.1;
    const c = t.rows[0].cells[0];
    expect(c.acrossSeeds.lo).toBeCloseTo(0.5 - half, 9);
    expect(c.text).toBe(`0.50 [${(0.5 - half).toFixed(2)}, ${(0.5 + half).toFixed(2)}]`);
    expect(t.rows[0].cells[1].text).toBe('0.70 (1 seed)');
    const md = tableToMarkdown({ table: t, spec, labels: { wce: 'WCE', gdl: 'GDL' } }).split('\n');
    expect(md[2]).toBe('| L (48/1) | 1e-5 | 0.50 [-0.77, 1.77] | **0.70 (1 seed)** |');
    expect(md.at(-1)).toMatch(
      /^Mean \[95% CI\] across 2 seeds of each seed's median of training Dice over the last 3 of 10 steps/,
    );
    const lines = tablesToCsv({ tables: [t] })
      .trim()
      .split('\n');
    expect(lines[0].split(',').slice(15)).toEqual(['mean', 'ci_lo', 'ci_hi', 'seeds_used', 'seed_1', 'seed_2']);
    expect(lines[1]).toBe(
      `0.01,L,48,1,0.00001,wce,0.5,0.15,0.425,0.575,6,2,2,ok,,0.5,${Math.round((0.5 - half) * 1e5) / 1e5},${Math.round((0.5 + half) * 1e5) / 1e5},2,0.4,0.6`,
    );
    expect(lines[2]).toBe('0.01,L,48,1,0.00001,gdl,0.7,0.1,0.65,0.75,3,1,2,ok,,0.7,0.7,0.7,1,,0.7');
  });
  it("two seeds: the heat map and the robustness summary use the seeds' mean, not the pooled windows' median", () => {
    const spec = { ...SPEC, seeds: 2, burdens: [0.01], losses: ['wce', 'gdl'] as SweepSpec['losses'] };
    // Seed medians 0.2 and 0.61 (mean 0.405); the six pooled values have median (0.3 + 0.6) / 2 = 0.45.
    const results = [
      result({ loss: 'wce', lr: 1e-5, patch: 'L', seed: 1, window: around(0.2) }),
      result({ loss: 'wce', lr: 1e-5, patch: 'L', seed: 2, window: [0.6, 0.61, 0.62] }),
    ];
    const t = assembleTable({ spec, results, burden: 0.01 });
    const c = t.rows.find((r) => r.lr === 1e-5 && r.patch.id === 'L')!.cells[0];
    expect(c.median).toBeCloseTo(0.45, 9);
    expect(c.acrossSeeds.mean).toBeCloseTo(0.405, 9);
    const h = heatmapData({ table: t, loss: 'wce' });
    const i = h.patches.findIndex((p) => p.id === 'L');
    expect(h.z[i][h.lrs.indexOf(1e-5)]).toBeCloseTo(0.405, 9);
    const [wce] = robustness({ tables: [t] });
    expect(wce.worst?.median).toBeCloseTo(0.405, 9);
    expect(wce.mean).toBeCloseTo(0.405, 9);
  });
});
