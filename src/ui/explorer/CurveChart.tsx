// One explorer chart: rows of {x, series...} drawn as lines (recharts), with optional log/symlog axes.
import type { ReactNode } from 'react';
import { dataExtent, symlogAxis } from './symlog-ticks';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface Series {
  key: string;
  name: string;
  color: string;
  dash?: string;
  /** Points only (no line): a second computation drawn over the first. */
  dotsOnly?: boolean;
  width?: number;
}

export type Row = { x: number } & Record<string, number>;

export interface CurveChartProps {
  /** Accessible name of the figure. */
  label: string;
  caption: ReactNode;
  rows: Row[];
  series: Series[];
  xLabel: string;
  yLabel: string;
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log' | 'symlog';
  xDomain?: [number, number];
  yDomain?: [number, number];
  xTicks?: number[];
  xFormat?: (x: number) => string;
  reversed?: boolean;
  /** Vertical markers (e.g. the chosen fraction or the predictor's value). */
  markers?: { x: number; label: string }[];
  height?: number;
}

export const fmt = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();

export function CurveChart(p: CurveChartProps) {
  // A symlog axis gets a decade on each side of zero labelled, and a domain that holds every curve.
  const extent =
    p.yScale === 'symlog' && !p.yDomain
      ? dataExtent(
          p.rows,
          p.series.map((s) => s.key),
        )
      : null;
  const sym = extent ? symlogAxis(extent[0], extent[1]) : null;
  return (
    <figure className="explorer-chart" aria-label={p.label}>
      <figcaption>{p.caption}</figcaption>
      <ResponsiveContainer width="100%" height={p.height ?? 220}>
        <LineChart data={p.rows} margin={{ top: 6, right: 14, bottom: 18, left: 6 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
          <XAxis
            dataKey="x"
            type="number"
            scale={p.xScale ?? 'linear'}
            domain={p.xDomain ?? ['dataMin', 'dataMax']}
            ticks={p.xTicks}
            tickFormatter={p.xFormat ?? fmt}
            reversed={p.reversed}
            allowDataOverflow
            label={{ value: p.xLabel, position: 'insideBottom', offset: -10, fontSize: 12 }}
          />
          <YAxis
            scale={p.yScale ?? 'linear'}
            domain={p.yDomain ?? sym?.domain ?? ['auto', 'auto']}
            ticks={sym?.ticks}
            interval={0}
            tickFormatter={fmt}
            width={58}
            allowDataOverflow
            label={{ value: p.yLabel, angle: -90, position: 'insideLeft', offset: 4, fontSize: 12, dy: 40 }}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? fmt(v) : String(v))}
            labelFormatter={(x) => `x = ${fmt(Number(x))}`}
          />
          <Legend verticalAlign="top" iconSize={10} wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
          {p.markers?.map((m) => (
            <ReferenceLine
              key={m.label}
              x={m.x}
              stroke="#999"
              strokeDasharray="2 3"
              label={{ value: m.label, position: 'insideTopRight', fontSize: 11, fill: '#888' }}
            />
          ))}
          {p.series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeWidth={s.dotsOnly ? 0 : (s.width ?? 2)}
              strokeDasharray={s.dash}
              dot={s.dotsOnly ? { r: 2.5, fill: s.color, stroke: s.color } : false}
              legendType={s.dotsOnly ? 'circle' : 'line'}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
