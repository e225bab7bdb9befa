// Results in the paper's layout: one table per lesion burden, rows patch x LR (LR ascending, as the
// paper's -5, -4, -3), columns losses, cells "median (IQR)" (one seed) or "mean [95% CI]" across seeds
// (2+); each seed's own value per cell; and a robustness summary per loss.
import type { LossId } from '../losses';
import { METRICS } from '../metrics';
import { formatLr, seedsOf } from './plan';
import { type CellStats, cellStats, cellValue } from './stats';
import type { PatchChoice, RunResult, SweepSpec, SweepStatistic } from './types';

/** Whether a larger cell value is better for this statistic. */
export const higherIsBetter = (s: SweepStatistic = 'trainDice') => s === 'trainDice' || METRICS[s].higherIsBetter;

/** The statistic's name in captions and notes. */
export function statisticLabel(s: SweepStatistic = 'trainDice', lastK?: number): string {
  if (s === 'trainDice') return lastK ? `training Dice over the last ${lastK} steps` : 'training Dice';
  return `validation ${METRICS[s].label}${lastK ? ` over the last ${lastK} steps` : ''}`;
}

export interface TableRow {
  patch: PatchChoice;
  lr: number;
  /** One per loss, in the table's column order. */
  cells: CellStats[];
}

export interface SweepTable {
  burden: number;
  losses: LossId[];
  rows: TableRow[];
  /** What the cells are the median (IQR) of. */
  statistic: SweepStatistic;
  /** The spec's seeds, ascending (each cell's perSeed holds those that have a result). */
  seeds: number[];
}

export function assembleTable(params: {
  spec: SweepSpec;
  results: readonly RunResult[];
  burden: number;
  statistic?: SweepStatistic;
}): SweepTable {
  const { spec, results, burden, statistic = 'trainDice' } = params;
  const seeds = new Set(seedsOf(spec));
  const byCell = new Map<string, RunResult[]>();
  for (const r of results) {
    if (r.burden !== burden || !seeds.has(r.seed)) continue;
    const k = `${r.patch}|${r.lr}|${r.loss}`;
    const list = byCell.get(k) ?? [];
    if (!list.some((x) => x.seed === r.seed)) list.push(r);
    byCell.set(k, list);
  }
  const lrs = [...spec.lrs].sort((a, b) => a - b);
  const rows: TableRow[] = [];
  for (const patch of spec.patches)
    for (const lr of lrs)
      rows.push({
        patch,
        lr,
        cells: spec.losses.map((loss) =>
          cellStats({
            results: byCell.get(`${patch.id}|${lr}|${loss}`) ?? [],
            seeds: spec.seeds,
            lastK: spec.lastK,
            statistic,
          }),
        ),
      });
  return { burden, losses: [...spec.losses], rows, statistic, seeds: seedsOf(spec) };
}

export function assembleTables(params: {
  spec: SweepSpec;
  results: readonly RunResult[];
  statistic?: SweepStatistic;
}): SweepTable[] {
  return params.spec.burdens.map((burden) => assembleTable({ ...params, burden }));
}

export interface LossRobustness {
  loss: LossId;
  /** Mean of the cell values (cells with a result): each cell's median, or its mean across seeds for 2+. */
  mean: number;
  /** The worst cell value (lowest, or highest where lower is better) and where it is. */
  worst: { median: number; patch: string; lr: number; burden: number } | null;
  /** Cells whose every seed failed, and cells where some did. */
  failed: number;
  partial: number;
  /** Cells with a result, out of total. */
  done: number;
  total: number;
}

/** Per loss over every table given: the paper's robustness claim at a glance. */
export function robustness(params: { tables: readonly SweepTable[] }): LossRobustness[] {
  const losses = params.tables[0]?.losses ?? [];
  const up = higherIsBetter(params.tables[0]?.statistic);
  return losses.map((loss, col) => {
    let sum = 0;
    let done = 0;
    let total = 0;
    let failed = 0;
    let partial = 0;
    let worst: LossRobustness['worst'] = null;
    for (const t of params.tables)
      for (const row of t.rows) {
        const c = row.cells[col];
        total++;
        if (c.state === 'pending') continue;
        if (c.state === 'failed') failed++;
        if (c.state === 'partial') partial++;
        // A cell with no values at all (errored) scores 0, like a diverged one; where lower is better it is left out.
        // With 2+ seeds the cell is its seeds' mean, not the median of their pooled windows.
        const v = cellValue(c);
        if (Number.isNaN(v) && !up) continue;
        const m = Number.isNaN(v) ? 0 : v;
        sum += m;
        done++;
        if (!worst || (up ? m < worst.median : m > worst.median))
          worst = { median: m, patch: row.patch.id, lr: row.lr, burden: t.burden };
      }
    return { loss, mean: done ? sum / done : Number.NaN, worst, failed, partial, done, total };
  });
}

/** Loss ids ordered best first: best worst cell, then fewest failures, then best mean (lower where lower is better). */
export function rankLosses(rows: readonly LossRobustness[], statistic?: SweepStatistic): LossId[] {
  const sign = higherIsBetter(statistic) ? 1 : -1;
  const w = (r: LossRobustness) => (r.worst ? sign * r.worst.median : Number.NEGATIVE_INFINITY);
  const mean = (r: LossRobustness) => (Number.isNaN(r.mean) ? Number.NEGATIVE_INFINITY : sign * r.mean);
  return [...rows].sort((a, b) => w(b) - w(a) || a.failed - b.failed || mean(b) - mean(a) || 0).map((r) => r.loss);
}

const FAILURE_MARK = { diverged: '†', collapsed: '‡', error: '§' } as const;

/** A cell's text with failure marks (footnoted under the Markdown table). */
export function cellLabel(c: CellStats): string {
  const marks = [...new Set(c.failures)].map((f) => FAILURE_MARK[f]).join('');
  const seeds = c.state === 'partial' ? ` (${c.failures.length}/${c.seedsDone} failed)` : '';
  return `${c.text}${marks}${seeds}`;
}

/** The paper's layout in Markdown; the best cell of each row (median, or mean across 2+ seeds) in bold. */
export function tableToMarkdown(params: { table: SweepTable; spec: SweepSpec; labels?: Record<string, string> }): string {
  const { table, spec } = params;
  const label = (l: string) => params.labels?.[l] ?? l.toUpperCase();
  const head = `| Patch (side/batch) | LR | ${table.losses.map(label).join(' | ')} |`;
  const rule = `| --- | --- | ${table.losses.map(() => '---').join(' | ')} |`;
  const lines = table.rows.map((row, i) => {
    const first = i === 0 || table.rows[i - 1].patch.id !== row.patch.id;
    const patch = first ? `${row.patch.id} (${row.patch.patch}/${row.patch.batch})` : '';
    const up = higherIsBetter(table.statistic);
    const finite = row.cells.map(cellValue).filter((m) => !Number.isNaN(m));
    const best = finite.length ? (up ? Math.max(...finite) : Math.min(...finite)) : Number.NaN;
    const cells = row.cells.map((c) => {
      const text = cellLabel(c);
      return cellValue(c) === best && (!up || best > 0) && c.state !== 'pending' ? `**${text}**` : text;
    });
    return `| ${patch} | ${formatLr(row.lr)} | ${cells.join(' | ')} |`;
  });
  const over = table.statistic === 'trainDice' ? 'training Dice' : statisticLabel(table.statistic);
  const note = `${tableCaption({ statistic: table.statistic, seeds: spec.seeds, lastK: spec.lastK, steps: spec.steps, over })}. † diverged (scored 0, as the paper\u2019s "0 (0)"), ‡ collapsed to one class, § error.`;
  return [head, rule, ...lines, '', note].join('\n');
}

/** What the cells are: the paper's pooled median (IQR) for one seed, the mean [95% CI] of the seeds' medians for 2+. */
export function tableCaption(params: {
  statistic: SweepStatistic;
  seeds: number;
  lastK: number;
  steps: number;
  over?: string;
}): string {
  const { seeds, lastK, steps } = params;
  const over = params.over ?? statisticLabel(params.statistic);
  const window = `over the last ${lastK} of ${steps} steps`;
  if (seeds < 2) return `Median (IQR) of ${over} ${window}`;
  return `Mean [95% CI] across ${seeds} seeds of each seed's median of ${over} ${window} (Student t interval; the pooled median (IQR) is in the CSV)`;
}

/** Each seed's value per cell, "0.81 / 0.79 / 0†" in seed order ("…" for a seed not trained yet). */
export function perSeedMarkdown(params: { table: SweepTable; labels?: Record<string, string> }): string {
  const { table } = params;
  const label = (l: string) => params.labels?.[l] ?? l.toUpperCase();
  const num = (x: number) => (Number.isNaN(x) ? 'n/a' : x === 0 ? '0' : x.toFixed(2));
  const head = `| Patch | LR | ${table.losses.map(label).join(' | ')} |`;
  const rule = `| --- | --- | ${table.losses.map(() => '---').join(' | ')} |`;
  const lines = table.rows.map((row, i) => {
    const first = i === 0 || table.rows[i - 1].patch.id !== row.patch.id;
    const cells = row.cells.map((c) =>
      table.seeds
        .map((seed) => {
          const s = c.perSeed.find((x) => x.seed === seed);
          return s ? `${num(s.value)}${s.failure ? FAILURE_MARK[s.failure] : ''}` : '…';
        })
        .join(' / '),
    );
    return `| ${first ? row.patch.id : ''} | ${formatLr(row.lr)} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...lines].join('\n');
}

/**
 * Long format, one line per cell: easy to load in a spreadsheet or pandas. The first 15 columns are the
 * old file's (pooled median, IQR, ...); then the mean across seeds with its 95% interval, the seeds it
 * used, and one seed_<n> column per seed of the spec (empty where that seed has no value).
 */
export function tablesToCsv(params: { tables: readonly SweepTable[] }): string {
  const seeds = params.tables[0]?.seeds ?? [];
  const header = [
    'burden,patch,side,batch,lr,loss,median,iqr,q1,q3,values,seeds_done,seeds_total,state,failures',
    'mean,ci_lo,ci_hi,seeds_used',
    ...seeds.map((s) => `seed_${s}`),
  ].join(',');
  const num = (x: number) => (Number.isNaN(x) ? '' : String(Math.round(x * 1e5) / 1e5));
  const lines = params.tables.flatMap((t) =>
    t.rows.flatMap((row) =>
      row.cells.map((c, i) =>
        [
          t.burden,
          row.patch.id,
          row.patch.patch,
          row.patch.batch,
          row.lr,
          t.losses[i],
          num(c.median),
          num(c.iqr),
          num(c.q1),
          num(c.q3),
          c.count,
          c.seedsDone,
          c.seedsTotal,
          c.state,
          c.failures.join(' '),
          num(c.acrossSeeds.mean),
          num(c.acrossSeeds.lo),
          num(c.acrossSeeds.hi),
          c.acrossSeeds.n,
          ...seeds.map((s) => num(c.perSeed.find((x) => x.seed === s)?.value ?? Number.NaN)),
        ].join(','),
      ),
    ),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
