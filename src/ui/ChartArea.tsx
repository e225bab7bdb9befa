// Dice and loss against step, one colour per run; click a legend entry to hide a run. The band
// marks the last K steps with the median and IQR of training Dice there (the paper's statistic).
// The solid validation lines plot the chosen metric ("Validation metric"), on their own axis when not Dice.
// Lines get at most CHART_MAX_POINTS points each (min/max buckets, see downsample.ts).
// With several seeds per loss, each loss is one median line with a band across its seeds (SeedBands.tsx)
// unless "show each seed" is ticked.
import { useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { METRIC_IDS, METRICS, type MetricId } from '../domain/metrics';
import { metricOf, type RunSummary, type ValidationPoint } from '../state/store';
import { medianIqr } from '../domain/summary';
import { groupByLoss, hasReplicates, lastKAcrossSeeds, type SeedGroup } from '../state/replicates';
import { ChartSeriesCache } from './downsample';
import { BAND_TEXT, SeedBandCache, seedGroupElements, seedLossElements } from './SeedBands';

export interface ChartAreaProps {
  runs: RunSummary[];
  lastK: number;
  /** The validation metric the solid lines plot. */
  metric?: MetricId;
  onMetric?: (metric: MetricId) => void;
  /** Validation Dice of the best single intensity threshold: drawn as a dashed line to beat. */
  baselineDice?: number;
}

function lastWindow(run: RunSummary, k: number) {
  const pts = run.steps.slice(-k);
  if (pts.length < 2) return null;
  return { x1: pts[0].step, x2: pts[pts.length - 1].step, ...medianIqr(pts.map((p) => p.trainDice)) };
}

/** A loss's last-K window across seeds: the longest run's window, at the median of the runs' medians. */
function groupWindow(g: SeedGroup, k: number) {
  const longest = g.runs.reduce((a, r) => (r.steps.length > a.steps.length ? r : a));
  const w = lastWindow(longest, k);
  const { median } = lastKAcrossSeeds(g.runs, k);
  return w && !Number.isNaN(median) ? { x1: w.x1, x2: w.x2, median } : null;
}

/** Tooltip numbers to three decimals; a band's [min, max] as "min ~ max". */
const tooltipValue = (v: unknown) =>
  Array.isArray(v) ? v.map((x) => Number(x).toFixed(3)).join(' ~ ') : typeof v === 'number' ? v.toFixed(3) : String(v);

export function ChartArea({ runs, lastK, metric = 'dice', onMetric, baselineDice }: ChartAreaProps) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [logLoss, setLogLoss] = useState(false);
  // Per-line summaries survive redraws, so each redraw reads only the points added since the last.
  const [lines] = useState(() => new ChartSeriesCache());
  const [bands] = useState(() => new SeedBandCache());
  const [eachSeed, setEachSeed] = useState(false);
  lines.retain(runs.map((r) => r.id));
  const groups = groupByLoss(runs);
  bands.retain(groups.map((g) => g.loss));
  const replicates = hasReplicates(groups);
  const banded = replicates && !eachSeed;
  const toggle = (key: string) =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const visible = runs.filter((r) => !hidden.has(r.id));
  // Banded, the seeds' own lines give way to their loss's median and band.
  const perRun = banded ? [] : visible;
  const visibleGroups = groups.filter((g) => !hidden.has(`loss\u0000${g.loss}`));
  const onLegend = (e: { dataKey?: unknown; payload?: unknown; id?: unknown; value?: unknown }) => {
    const group = banded && groups.find((g) => typeof e.value === 'string' && e.value.startsWith(`${g.loss}: median of`));
    if (group) return toggle(`loss\u0000${group.loss}`);
    const run = runs.find((r) => e.value === r.label || e.value === `${r.label} (train)`);
    if (run) toggle(run.id);
  };
  const maxStep = Math.max(1, ...runs.map((r) => r.totalSteps));
  const spec = METRICS[metric];
  // Dice shares the training Dice axis; any other metric gets the right axis, scaled to its values.
  const own = metric !== 'dice';
  const metricValue = (p: ValidationPoint) => metricOf(p, metric);
  return (
    <div className="chart-grid">
      <figure className="chart" aria-label="Dice chart" data-control="dice_chart">
        <figcaption>
          {own
            ? `Training Dice (thin) and validation ${spec.label} (solid, right axis):`
            : 'Dice: training (thin), validation (solid):'}{' '}
          <label className="inline">
            <select
              aria-label="Validation metric"
              value={metric}
              onChange={(e) => onMetric?.(e.target.value as MetricId)}
              disabled={!onMetric}
            >
              {METRIC_IDS.map((id) => (
                <option key={id} value={id}>
                  {METRICS[id].label}
                </option>
              ))}
            </select>
          </label>
          vs step
          {banded && <span className="band-note">; lines: median over seeds, shaded: training Dice {BAND_TEXT}</span>}{' '}
          {replicates && (
            <label className="inline">
              <input type="checkbox" checked={eachSeed} onChange={(e) => setEachSeed(e.target.checked)} /> show each seed
            </label>
          )}
        </figcaption>
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis dataKey="step" type="number" domain={[0, maxStep]} allowDuplicatedCategory={false} />
            <YAxis yAxisId="dice" domain={[0, 1]} />
            {own && (
              <YAxis
                yAxisId="metric"
                orientation="right"
                domain={[0, 'auto']}
                label={{ value: spec.label, angle: 90, position: 'insideRight' }}
              />
            )}
            <Tooltip formatter={tooltipValue} />
            <Legend onClick={onLegend} />
            {banded &&
              visibleGroups.map((g) => {
                const w = groupWindow(g, lastK);
                return w ? (
                  <ReferenceLine
                    key={`med-${g.loss}`}
                    yAxisId="dice"
                    segment={[
                      { x: w.x1, y: w.median },
                      { x: w.x2, y: w.median },
                    ]}
                    stroke={g.color}
                    strokeDasharray="4 2"
                  />
                ) : null;
              })}
            {banded &&
              visibleGroups.flatMap((g) =>
                seedGroupElements({ group: g, cache: bands, metric, metricAxis: own ? 'metric' : 'dice' }),
              )}
            {perRun.map((r) => {
              const w = lastWindow(r, lastK);
              return w ? (
                <ReferenceArea
                  key={`band-${r.id}`}
                  yAxisId="dice"
                  x1={w.x1}
                  x2={w.x2}
                  y1={w.q1}
                  y2={w.q3}
                  fill={r.color}
                  fillOpacity={0.15}
                  stroke="none"
                />
              ) : null;
            })}
            {baselineDice !== undefined && (
              <ReferenceLine
                yAxisId="dice"
                y={baselineDice}
                stroke="#888"
                strokeDasharray="6 4"
                label={{ value: `threshold ${baselineDice.toFixed(2)}`, position: 'insideTopLeft', fontSize: 11, fill: '#888' }}
              />
            )}
            {perRun.map((r) => {
              const w = lastWindow(r, lastK);
              return w ? (
                <ReferenceLine
                  key={`med-${r.id}`}
                  yAxisId="dice"
                  segment={[
                    { x: w.x1, y: w.median },
                    { x: w.x2, y: w.median },
                  ]}
                  stroke={r.color}
                  strokeDasharray="4 2"
                />
              ) : null;
            })}
            {perRun.map((r) => (
              <Line
                key={`val-${r.id}-${metric}`}
                yAxisId={own ? 'metric' : 'dice'}
                data={lines.validation(r.id, r.validation, metric)}
                dataKey={metricValue}
                name={r.label}
                stroke={r.color}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
            {perRun.map((r) => (
              <Line
                key={`train-${r.id}`}
                yAxisId="dice"
                data={lines.steps(r.id, 'trainDice', r.steps)}
                dataKey="trainDice"
                name={`${r.label} (train)`}
                stroke={r.color}
                strokeOpacity={0.45}
                strokeWidth={1}
                dot={false}
                legendType="none"
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" aria-label="Loss chart" data-control="loss_chart">
        <figcaption>
          Loss vs step
          {banded && <span className="band-note">; lines: median over seeds, shaded: {BAND_TEXT}</span>}{' '}
          <label className="inline">
            <input type="checkbox" checked={logLoss} onChange={(e) => setLogLoss(e.target.checked)} /> log scale
          </label>
        </figcaption>
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis dataKey="step" type="number" domain={[0, maxStep]} allowDuplicatedCategory={false} />
            <YAxis scale={logLoss ? 'log' : 'auto'} domain={logLoss ? ['auto', 'auto'] : [0, 'auto']} allowDataOverflow />
            <Tooltip />
            <Legend onClick={onLegend} />
            {/* Banded, as the Dice chart: each loss's median over seeds and their min-max band. */}
            {banded && visibleGroups.flatMap((g) => seedLossElements({ group: g, cache: bands, log: logLoss }))}
            {perRun.map((r) => (
              <Line
                key={r.id}
                data={lines.steps(r.id, logLoss ? 'logLoss' : 'loss', r.steps)}
                dataKey="loss"
                name={r.label}
                stroke={r.color}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
