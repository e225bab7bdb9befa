// One sweep's results: burden picker, the paper-layout table, a heat map per loss, the robustness summary.
import { useMemo, useState } from 'react';
import { formatBurden } from '../../domain/sweep/plan';
import { heatmapData } from '../../domain/sweep/plot';
import { assembleTables, robustness } from '../../domain/sweep/table';
import type { SweepRecord, SweepStatistic } from '../../domain/sweep/types';
import { METRIC_IDS, METRICS } from '../../domain/metrics';
import { HeatMap } from './HeatMap';
import { Robustness } from './Robustness';
import { SweepTable } from './SweepTable';

export function SweepResults({ record }: { record: SweepRecord }) {
  const { spec } = record;
  const [statistic, setStatistic] = useState<SweepStatistic>('trainDice');
  const tables = useMemo(() => assembleTables({ spec, results: record.results, statistic }), [spec, record.results, statistic]);
  const rows = useMemo(() => robustness({ tables }), [tables]);
  const [burdenIndex, setBurdenIndex] = useState(0);
  const table = tables[Math.min(burdenIndex, tables.length - 1)];
  // Heat maps and their isolines are on a [0, 1] scale: mm and % statistics keep training Dice there.
  const mapsOfStatistic = statistic === 'trainDice' || METRICS[statistic].unit === '';
  const mapTable = useMemo(
    () => (mapsOfStatistic ? table : assembleTables({ spec, results: record.results })[Math.min(burdenIndex, tables.length - 1)]),
    [mapsOfStatistic, table, spec, record.results, burdenIndex, tables.length],
  );
  const maps = useMemo(() => mapTable.losses.map((loss) => heatmapData({ table: mapTable, loss })), [mapTable]);
  const mapLabel = mapsOfStatistic && statistic !== 'trainDice' ? `validation ${METRICS[statistic].label}` : 'Dice';
  const groups = record.groups.filter((g) => g.burden === table.burden);
  return (
    <section className="sweep-results" aria-label="Sweep results panel">
      <h3>{record.name}</h3>
      <label>
        Cell statistic{' '}
        <select value={statistic} onChange={(e) => setStatistic(e.target.value as SweepStatistic)}>
          <option value="trainDice">Training Dice (the paper's)</option>
          {METRIC_IDS.map((id) => (
            <option key={id} value={id}>
              Validation {METRICS[id].label}
            </option>
          ))}
        </select>
      </label>
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
          {groups.some((g) => g.baselineDice !== undefined) && (
            <>
              {' '}
              Best single intensity threshold (no learning):{' '}
              <output aria-label="Threshold baseline Dice">
                {Math.max(...groups.map((g) => g.baselineDice ?? 0)).toFixed(2)}
              </output>{' '}
              validation Dice, what a network has to beat.
            </>
          )}
        </p>
      )}
      <div className="sweep-results-grid">
        <SweepTable table={table} lastK={spec.lastK} steps={spec.steps} />
        <Robustness rows={rows} tables={tables} seeds={spec.seeds} statistic={statistic} />
      </div>
      <section className="heatmaps" aria-label="Heat maps">
        {maps.map((m) => (
          <HeatMap key={m.loss} data={m} />
        ))}
      </section>
      <p className="hint">
        Each map: median {mapLabel} over the last {spec.lastK} steps at every learning rate (x, log scale) and patch side (y),
        bilinearly interpolated; lines are isolines at 0.1 steps, × marks failed cells (as the paper's Fig. 1).
      </p>
    </section>
  );
}
