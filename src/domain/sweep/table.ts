// Results in the paper's layout: one table per lesion burden, rows patch x LR (LR ascending, as the
// paper's -5, -4, -3), columns losses, cells "median (IQR)"; and a robustness summary per loss.
import type { LossId } from '../losses';
import { formatLr, seedsOf } from './plan';
import { type CellStats, cellStats } from './stats';
import type { PatchChoice, RunResult, SweepSpec } from './types';

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
}

export function assembleTable(params: { spec: SweepSpec; results: readonly RunResult[]; burden: number }): SweepTable {
  const { spec, results, burden } = params;
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
          cellStats({ results: byCell.get(`${patch.id}|${lr}|${loss}`) ?? [], seeds: spec.seeds, lastK: spec.lastK }),
        ),
      });
  return { burden, losses: [...spec.losses], rows };
}

export function assembleTables(params: { spec: SweepSpec; results: readonly RunResult[] }): SweepTable[] {
  return params.spec.burdens.map((burden) => assembleTable({ ...params, burden }));
}

export interface LossRobustness {
  loss: LossId;
  /** Mean of the cell medians (cells with a result). */
  mean: number;
  /** The lowest cell median and where it is. */
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
        // A cell with no values at all (errored) scores 0, like a diverged one.
        const m = Number.isNaN(c.median) ? 0 : c.median;
        sum += m;
        done++;
        if (!worst || m < worst.median) worst = { median: m, patch: row.patch.id, lr: row.lr, burden: t.burden };
      }
    return { loss, mean: done ? sum / done : Number.NaN, worst, failed, partial, done, total };
  });
}

/** Loss ids ordered best first: highest worst cell, then fewest failures, then highest mean. */
export function rankLosses(rows: readonly LossRobustness[]): LossId[] {
  const w = (r: LossRobustness) => r.worst?.median ?? -1;
  return [...rows].sort((a, b) => w(b) - w(a) || a.failed - b.failed || (b.mean || 0) - (a.mean || 0)).map((r) => r.loss);
}

const FAILURE_MARK = { diverged: '†', collapsed: '‡', error: '§' } as const;

/** A cell's text with failure marks (footnoted under the Markdown table). */
export function cellLabel(c: CellStats): string {
  const marks = [...new Set(c.failures)].map((f) => FAILURE_MARK[f]).join('');
  const seeds = c.state === 'partial' ? ` (${c.failures.length}/${c.seedsDone} failed)` : '';
  return `${c.text}${marks}${seeds}`;
}

/** The paper's layout in Markdown; the best median of each row in bold. */
export function tableToMarkdown(params: { table: SweepTable; spec: SweepSpec; labels?: Record<string, string> }): string {
  const { table, spec } = params;
  const label = (l: string) => params.labels?.[l] ?? l.toUpperCase();
  const head = `| Patch (side/batch) | LR | ${table.losses.map(label).join(' | ')} |`;
  const rule = `| --- | --- | ${table.losses.map(() => '---').join(' | ')} |`;
  const lines = table.rows.map((row, i) => {
    const first = i === 0 || table.rows[i - 1].patch.id !== row.patch.id;
    const patch = first ? `${row.patch.id} (${row.patch.patch}/${row.patch.batch})` : '';
    const best = Math.max(...row.cells.map((c) => (Number.isNaN(c.median) ? -1 : c.median)));
    const cells = row.cells.map((c) => {
      const text = cellLabel(c);
      return c.median === best && best > 0 && c.state !== 'pending' ? `**${text}**` : text;
    });
    return `| ${patch} | ${formatLr(row.lr)} | ${cells.join(' | ')} |`;
  });
  const note =
    `Median (IQR) of training Dice over the last ${spec.lastK} of ${spec.steps} steps` +
    (spec.seeds > 1 ? `, pooled over ${spec.seeds} seeds` : '') +
    '. † diverged (scored 0, as the paper\u2019s "0 (0)"), ‡ collapsed to one class, § error.';
  return [head, rule, ...lines, '', note].join('\n');
}

/** Long format, one line per cell: easy to load in a spreadsheet or pandas. */
export function tablesToCsv(params: { tables: readonly SweepTable[] }): string {
  const header = 'burden,patch,side,batch,lr,loss,median,iqr,q1,q3,values,seeds_done,seeds_total,state,failures';
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
        ].join(','),
      ),
    ),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
