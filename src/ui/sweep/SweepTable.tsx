// Results in the paper's layout: rows patch x LR, columns losses, "median (IQR)" cells (one seed) or
// "mean [95% CI]" across seeds (2+, each seed's value on demand), coloured by that value; failed cells
// striped and labelled (diverged runs show the paper's "0 (0)").
import { useState } from 'react';
import { METRICS } from '../../domain/metrics';
import { formatBurden, formatLr } from '../../domain/sweep/plan';
import { lossShortLabel } from '../../domain/sweep/labels';
import { type CellStats, cellValue } from '../../domain/sweep/stats';
import { higherIsBetter, type SweepTable as Table, tableCaption } from '../../domain/sweep/table';
import { diceColor, LEGEND_GRADIENT, textOn } from './colors';

function cellTitle(c: CellStats): string {
  if (c.state === 'pending') return 'not trained yet';
  const q = Number.isNaN(c.median)
    ? 'no values'
    : `median ${c.median.toFixed(3)}, quartiles ${c.q1.toFixed(3)} to ${c.q3.toFixed(3)}, ${c.count} values`;
  const f = c.failures.length ? `; failed: ${c.failures.join(', ')}` : '';
  const seeds = c.seedsTotal >= 2 ? `; per seed ${seedValues(c)}` : '';
  return `pooled ${q}; ${c.seedsDone} of ${c.seedsTotal} seeds${f}${seeds}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** "1: 0.812, 2: 0.790 (diverged)". */
const seedValues = (c: CellStats) =>
  c.perSeed
    .map((s) => `${s.seed}: ${Number.isNaN(s.value) ? 'n/a' : s.value.toFixed(3)}${s.failure ? ` (${s.failure})` : ''}`)
    .join(', ');

/** Cell colour position in [0, 1], best high: the value itself for ratios, else scaled to the table's largest. */
function colourOf(table: Table): (median: number) => number {
  const s = table.statistic;
  if (s === 'trainDice' || METRICS[s].unit === '') return (m) => m;
  const max = Math.max(1e-9, ...table.rows.flatMap((r) => r.cells.map((c) => (Number.isNaN(cellValue(c)) ? 0 : cellValue(c)))));
  return higherIsBetter(s) ? (m) => m / max : (m) => 1 - m / max;
}

function Cell({ c, colour, showSeeds }: { c: CellStats; colour: (median: number) => number; showSeeds: boolean }) {
  if (c.state === 'pending')
    return (
      <td className="sweep-cell pending" title={cellTitle(c)}>
        {c.text}
      </td>
    );
  const value = cellValue(c);
  const v = colour(Number.isNaN(value) ? 0 : value);
  const failed = c.state === 'failed' || c.state === 'partial';
  return (
    <td
      className={`sweep-cell ${c.state}`}
      style={{ backgroundColor: diceColor(v), color: textOn(v) }}
      title={cellTitle(c)}
      data-state={c.state}
    >
      {c.text}
      {failed && (
        <span className="sweep-fail">
          {' '}
          {c.state === 'partial' ? `${c.failures.length}/${c.seedsDone} ` : ''}
          {[...new Set(c.failures)].join(', ')}
        </span>
      )}
      {showSeeds && <small className="sweep-seeds">{seedValues(c)}</small>}
    </td>
  );
}

export function SweepTable({ table, lastK, steps }: { table: Table; lastK: number; steps: number }) {
  const colour = colourOf(table);
  const seeds = table.seeds.length;
  const [showSeeds, setShowSeeds] = useState(false);
  const byPatch = new Map<string, typeof table.rows>();
  for (const r of table.rows) byPatch.set(r.patch.id, [...(byPatch.get(r.patch.id) ?? []), r]);
  return (
    <div className="sweep-table-wrap">
      <table className="sweep-table" aria-label="Sweep results">
        <caption>
          Lesion burden {formatBurden(table.burden)}:{' '}
          {lowerFirst(tableCaption({ statistic: table.statistic, seeds, lastK, steps }))}
        </caption>
        <thead>
          <tr>
            <th scope="col">Patch</th>
            <th scope="col">LR</th>
            {table.losses.map((l) => (
              <th scope="col" key={l}>
                {lossShortLabel(l)}
              </th>
            ))}
          </tr>
        </thead>
        {[...byPatch.values()].map((rows) => (
          <tbody key={rows[0].patch.id}>
            {rows.map((row, i) => (
              <tr key={row.lr}>
                {i === 0 && (
                  <th scope="rowgroup" rowSpan={rows.length}>
                    {row.patch.id}
                    <small>
                      {' '}
                      {row.patch.patch}/{row.patch.batch}
                    </small>
                  </th>
                )}
                <th scope="row">{formatLr(row.lr)}</th>
                {row.cells.map((c, k) => (
                  <Cell key={table.losses[k]} c={c} colour={colour} showSeeds={showSeeds && seeds >= 2} />
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {seeds >= 2 && (
        <label className="sweep-seeds-toggle">
          <input type="checkbox" checked={showSeeds} onChange={(e) => setShowSeeds(e.target.checked)} /> Show each seed's value
        </label>
      )}
      <div className="sweep-legend" aria-hidden="true">
        <span>Dice 0</span>
        <span className="sweep-legend-bar" style={{ background: LEGEND_GRADIENT }} />
        <span>1</span>
        <span className="sweep-cell failed sweep-legend-failed">failed</span>
      </div>
    </div>
  );
}
