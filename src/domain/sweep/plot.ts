// Fig. 1-style plot data per loss: median Dice over (learning rate, patch size), with isolines.
import type { LossId } from '../losses';
import { type Isoline, isolines } from './isolines';
import { cellValue } from './stats';
import type { SweepTable } from './table';
import type { PatchChoice } from './types';

export interface HeatmapData {
  loss: LossId;
  burden: number;
  /** Columns: learning rates ascending and their log10 (the plot's x). */
  lrs: number[];
  x: number[];
  /** Rows: patch presets by ascending side (then batch); y is the side, or the row index when sides repeat. */
  patches: PatchChoice[];
  y: number[];
  /** Median Dice [row][col]; null while pending. */
  z: (number | null)[][];
  failed: boolean[][];
  isolines: Isoline[];
}

export const ISOLINE_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export function heatmapData(params: { table: SweepTable; loss: LossId; levels?: readonly number[] }): HeatmapData {
  const { table, loss } = params;
  const col = table.losses.indexOf(loss);
  if (col < 0) throw new Error(`loss '${loss}' is not in the table`);
  const lrs = [...new Set(table.rows.map((r) => r.lr))].sort((a, b) => a - b);
  const byId = new Map<string, PatchChoice>();
  for (const r of table.rows) byId.set(r.patch.id, r.patch);
  const patches = [...byId.values()].sort((a, b) => a.patch - b.patch || b.batch - a.batch);
  const sides = patches.map((p) => p.patch);
  const increasing = sides.every((s, i) => i === 0 || s > sides[i - 1]);
  const z = patches.map(() => lrs.map((): number | null => null));
  const failed = patches.map(() => lrs.map(() => false));
  for (const row of table.rows) {
    const i = patches.findIndex((p) => p.id === row.patch.id);
    const j = lrs.indexOf(row.lr);
    const c = row.cells[col];
    if (c.state === 'pending') continue;
    const v = cellValue(c); // the pooled median for one seed, the seeds' mean for 2+ (as the table)
    z[i][j] = Number.isNaN(v) ? 0 : v;
    failed[i][j] = c.state === 'failed';
  }
  return {
    loss,
    burden: table.burden,
    lrs,
    x: lrs.map((lr) => Math.log10(lr)),
    patches,
    y: increasing ? sides : patches.map((_, i) => i),
    z,
    failed,
    isolines: isolines({ z, levels: params.levels ?? ISOLINE_LEVELS }),
  };
}

/** Every loss of every table: the plot data the Node command writes and the app draws. */
export function sweepPlots(params: { tables: readonly SweepTable[] }): HeatmapData[] {
  return params.tables.flatMap((table) => table.losses.map((loss) => heatmapData({ table, loss })));
}

/** Maps a fractional grid index to axis units by linear interpolation between the grid's coordinates. */
export function axisAt(coords: readonly number[], index: number): number {
  if (coords.length === 1) return coords[0];
  const i = Math.max(0, Math.min(coords.length - 2, Math.floor(index)));
  return coords[i] + (index - i) * (coords[i + 1] - coords[i]);
}
