// Fig. 1-style plot of one loss: median Dice over learning rate (x, log) and patch side (y), bilinearly
// interpolated into a heat map with isolines traced by marching squares; failed cells crossed out.
import { formatLr } from '../../domain/sweep/plan';
import { axisAt, type HeatmapData } from '../../domain/sweep/plot';
import { type Grid, refineGrid } from '../../domain/sweep/isolines';
import { lossShortLabel } from '../../domain/sweep/labels';
import { diceColor } from './colors';

const W = 250;
const H = 190;
const M = { left: 56, right: 10, top: 22, bottom: 38 };
const FACTOR = 12;

/** Pixel position of each grid coordinate along an axis of `length` px (a single value spans it). */
function positions(coords: readonly number[], length: number, flip: boolean): number[] {
  if (coords.length === 1) return [flip ? length : 0, flip ? 0 : length];
  const lo = coords[0];
  const span = coords[coords.length - 1] - lo || 1;
  return coords.map((c) => ((c - lo) / span) * length).map((p) => (flip ? length - p : p));
}

/** A one-row or one-column grid is drawn as a band: repeat it so it has two. */
function atLeastTwo(z: Grid): Grid {
  const rows = z.length === 1 ? [z[0], z[0]] : z;
  return rows.map((r) => (r.length === 1 ? [r[0], r[0]] : r));
}

export function HeatMap({ data }: { data: HeatmapData }) {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const xs = positions(data.x, pw, false);
  const ys = positions(data.y, ph, true);
  const z = atLeastTwo(data.z);
  const fine = refineGrid({ z, factor: FACTOR });
  const cells: { x: number; y: number; w: number; h: number; fill: string }[] = [];
  for (let i = 0; i + 1 < fine.length; i++)
    for (let j = 0; j + 1 < fine[i].length; j++) {
      const corners = [fine[i][j], fine[i][j + 1], fine[i + 1][j], fine[i + 1][j + 1]];
      const known = corners.filter((v): v is number => v !== null);
      const x0 = axisAt(xs, j / FACTOR);
      const x1 = axisAt(xs, (j + 1) / FACTOR);
      const y0 = axisAt(ys, i / FACTOR);
      const y1 = axisAt(ys, (i + 1) / FACTOR);
      const fill = known.length === 4 ? diceColor(known.reduce((a, v) => a + v, 0) / 4) : 'var(--border)';
      cells.push({ x: Math.min(x0, x1), y: Math.min(y0, y1), w: Math.abs(x1 - x0) + 0.4, h: Math.abs(y1 - y0) + 0.4, fill });
    }
  const px = (col: number) => axisAt(data.x.length === 1 ? [xs[0]] : xs, col);
  const py = (row: number) => axisAt(data.y.length === 1 ? [(ys[0] + ys[1]) / 2] : ys, row);
  const nodeX = data.x.length === 1 ? [pw / 2] : xs;
  const nodeY = data.y.length === 1 ? [ph / 2] : ys;
  const label = lossShortLabel(data.loss);
  // Isoline labels go where they overlap neither another label nor the frame; crowded lines stay unlabelled.
  const placed: [number, number][] = [];
  const lines = data.isolines.flatMap((iso) =>
    iso.lines.map((line) => {
      const pts = line.map(([c, r]): [number, number] => [px(c), py(r)]);
      const d = pts.map(([x, y], n) => `${n ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
      const candidates = [0.5, 0.3, 0.7, 0.15, 0.85].map((f) => pts[Math.floor(f * (pts.length - 1))]);
      const free = candidates.find(
        ([x, y]) =>
          x > 10 && x < pw - 10 && y > 6 && y < ph - 6 && placed.every(([a, b]) => Math.abs(a - x) > 18 || Math.abs(b - y) > 10),
      );
      if (free) placed.push(free);
      return { key: `${iso.level}-${d.slice(0, 24)}`, level: iso.level, d, label: free ?? null };
    }),
  );
  return (
    <figure className="heatmap">
      <svg
        role="img"
        aria-label={`Heat map ${label}: median Dice over learning rate and patch size`}
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
      >
        <title>{`${label}: median Dice over learning rate and patch size`}</title>
        <text x={M.left + pw / 2} y={14} textAnchor="middle" className="heatmap-title">
          {label}
        </text>
        <g transform={`translate(${M.left},${M.top})`}>
          <g className="heatmap-cells" shapeRendering="crispEdges">
            {cells.map((c) => (
              <rect key={`${c.x.toFixed(2)},${c.y.toFixed(2)}`} x={c.x} y={c.y} width={c.w} height={c.h} fill={c.fill} />
            ))}
          </g>
          <g className="heatmap-isolines">
            {lines.map((l) => (
              <g key={l.key} data-level={l.level}>
                <path d={l.d} className="isoline" />
                {l.label && (
                  <text x={l.label[0]} y={l.label[1]} className="isoline-label" textAnchor="middle" dy="0.35em">
                    {l.level.toFixed(1)}
                  </text>
                )}
              </g>
            ))}
          </g>
          {data.failed.flatMap((row, i) =>
            row.map((f, j) =>
              f ? (
                <text
                  key={`${data.patches[i].id}-${data.lrs[j]}`}
                  x={nodeX[j]}
                  y={nodeY[i]}
                  className="heatmap-failed"
                  textAnchor="middle"
                  dy="0.35em"
                >
                  ×
                </text>
              ) : null,
            ),
          )}
          <rect x={0} y={0} width={pw} height={ph} fill="none" className="heatmap-frame" />
          {data.lrs.map((lr, j) => (
            <text key={lr} x={nodeX[j]} y={ph + 14} textAnchor="middle" className="heatmap-tick">
              {formatLr(lr)}
            </text>
          ))}
          {data.patches.map((p, i) => (
            <text key={p.id} x={-6} y={nodeY[i]} textAnchor="end" dy="0.35em" className="heatmap-tick">
              {p.id} {p.patch}
            </text>
          ))}
          <text x={pw / 2} y={ph + 30} textAnchor="middle" className="heatmap-axis">
            learning rate
          </text>
          <text transform={`translate(${-44},${ph / 2}) rotate(-90)`} textAnchor="middle" className="heatmap-axis">
            patch side
          </text>
        </g>
      </svg>
    </figure>
  );
}
