// One sweep's results: burden picker, the paper-layout table, a heat map per loss, the robustness summary.
import { useMemo, useState } from 'react';
import { formatBurden } from '../../domain/sweep/plan';
import { heatmapData } from '../../domain/sweep/plot';
import { assembleTables, robustness } from '../../domain/sweep/table';
import type { SweepRecord } from '../../domain/sweep/types';
import { HeatMap } from './HeatMap';
import { Robustness } from './Robustness';
import { SweepTable } from './SweepTable';

export function SweepResults({ record }: { record: SweepRecord }) {
  const { spec } = record;
  const tables = useMemo(() => assembleTables({ spec, results: record.results }), [spec, record.results]);
  const rows = useMemo(() => robustness({ tables }), [tables]);
  const [burdenIndex, setBurdenIndex] = useState(0);
  const table = tables[Math.min(burdenIndex, tables.length - 1)];
  const maps = useMemo(() => table.losses.map((loss) => heatmapData({ table, loss })), [table]);
  const groups = record.groups.filter((g) => g.burden === table.burden);
  return (
    <section className="sweep-results" aria-label="Sweep results panel">
      <h3>{record.name}</h3>
      {tables.length > 1 && (
        <label>
          Lesion burden
          <select aria-label="Results lesion burden" value={burdenIndex} onChange={(e) => setBurdenIndex(Number(e.target.value))}>
            {tables.map((t, i) => (
              <option key={t.burden} value={i}>
                {formatBurden(t.burden)}
              </option>
            ))}
          </select>
        </label>
      )}
      {groups.length > 0 && (
        <p className="sweep-imbalance">
          Median foreground fraction of training patches:{' '}
          {spec.patches
            .map((p) => {
              const g = groups.filter((x) => x.patch === p.id);
              if (!g.length) return null;
              return `${p.id} ${((g.reduce((a, x) => a + x.patchImbalance, 0) / g.length) * 100).toFixed(1)}%`;
            })
            .filter(Boolean)
            .join(', ')}{' '}
          (the paper's Table 1 imbalance ratio).
        </p>
      )}
      <div className="sweep-results-grid">
        <SweepTable table={table} lastK={spec.lastK} steps={spec.steps} />
        <Robustness rows={rows} burdens={tables.length} />
      </div>
      <section className="heatmaps" aria-label="Heat maps">
        {maps.map((m) => (
          <HeatMap key={m.loss} data={m} />
        ))}
      </section>
      <p className="hint">
        Each map: median Dice over the last {spec.lastK} steps at every learning rate (x, log scale) and patch side (y),
        bilinearly interpolated; lines are isolines at 0.1 steps, × marks failed cells (as the paper's Fig. 1).
      </p>
    </section>
  );
}
