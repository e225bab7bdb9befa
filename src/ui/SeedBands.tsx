// The Dice chart of a race with several seeds per loss: per loss, a shaded band from the minimum to the
// maximum training Dice across its seeds at each step, the median training Dice (thin) and the median
// validation metric (solid) across seeds, instead of one line per seed. Each series is cut to at most
// CHART_MAX_POINTS by min/max buckets, updated only with the steps added since the last redraw.
import { Area, Line } from 'recharts';
import type { StepPoint } from '../engine/train/events';
import type { MetricId } from '../domain/metrics';
import { isFinished } from '../domain/runs';
import type { SeedGroup } from '../state/replicates';
import { type BandPoint, type BandSource, SeedBand } from '../state/seed-band';
import { MinMaxSummary } from '../state/series';
import { metricOf, type RunSummary, type ValidationPoint } from '../state/store';
import { CHART_MAX_POINTS } from './downsample';

/** What the band spans, said in the caption and the tooltip. */
export const BAND_TEXT = 'min–max over seeds';

/** One band series over a group's runs: the band's final points bucketed once, its provisional tail appended. */
class BandSeries<T> {
  private band: SeedBand<T>;
  private summary = fresh();
  private settled: readonly BandPoint[] | null = null;
  private key = '';
  private drawn: readonly BandPoint[] = [];

  constructor(step: (p: T) => number, value: (p: T) => number) {
    this.band = new SeedBand({ step, value });
  }

  update(sources: readonly BandSource<T>[]): readonly BandPoint[] {
    // Nothing added and nothing ended: the same array, so the chart skips the line.
    const key = sources.map((s) => `${s.points.length}${s.final ? 'f' : ''}`).join(',');
    if (key === this.key && this.settled !== null && !this.band.stale(sources)) return this.drawn;
    this.key = key;
    const { settled, tail } = this.band.update(sources);
    if (settled !== this.settled || settled.length < this.summary.length) {
      this.settled = settled;
      this.summary = fresh();
    }
    for (let i = this.summary.length; i < settled.length; i++) this.summary.push(settled[i]);
    this.drawn = this.summary.points(settled).concat(tail);
    return this.drawn;
  }
}

const fresh = () =>
  new MinMaxSummary<BandPoint>({
    x: (p) => p.step,
    values: [(p) => p.lo, (p) => p.hi, (p) => p.median],
    maxPoints: CHART_MAX_POINTS,
  });

/** The band series of every group, by loss and series; groups no longer shown are dropped by retain(). */
export class SeedBandCache {
  private series = new Map<string, BandSeries<never>>();

  trainDice(group: SeedGroup): readonly BandPoint[] {
    return this.get<StepPoint>(`${group.loss}\u0000train`, (p) => p.trainDice).update(sources(group, (r) => r.steps));
  }

  validation(group: SeedGroup, metric: MetricId): readonly BandPoint[] {
    const value = (p: ValidationPoint) => metricOf(p, metric);
    return this.get(`${group.loss}\u0000validation\u0000${metric}`, value).update(sources(group, (r) => r.validation));
  }

  /** The loss across seeds; on a log axis only positive losses count (as the per-run log series). */
  loss(group: SeedGroup, log: boolean): readonly BandPoint[] {
    const value = log ? (p: StepPoint) => (p.loss > 0 ? p.loss : Number.NaN) : (p: StepPoint) => p.loss;
    return this.get<StepPoint>(`${group.loss}\u0000loss${log ? '\u0000log' : ''}`, value).update(sources(group, (r) => r.steps));
  }

  retain(losses: readonly string[]): void {
    for (const key of this.series.keys()) if (!losses.includes(key.split('\u0000')[0])) this.series.delete(key);
  }

  private get<T extends { step: number }>(key: string, value: (p: T) => number): BandSeries<T> {
    let s = this.series.get(key) as BandSeries<T> | undefined;
    if (!s) {
      s = new BandSeries<T>((p) => p.step, value);
      this.series.set(key, s as unknown as BandSeries<never>);
    }
    return s;
  }
}

function sources<T>(group: SeedGroup, points: (r: RunSummary) => readonly T[]): BandSource<T>[] {
  return group.runs.map((r) => ({ points: points(r), final: isFinished(r.status) }));
}

const range = (p: BandPoint): [number, number] => [p.lo, p.hi];

/** A shaded band from each point's lo to hi, out of the legend. */
function bandArea(p: { key: string; data: readonly BandPoint[]; name: string; color: string; yAxisId?: string }) {
  return (
    <Area
      key={p.key}
      className="seed-band"
      {...(p.yAxisId ? { yAxisId: p.yAxisId } : {})}
      data={p.data as BandPoint[]}
      dataKey={range}
      name={p.name}
      fill={p.color}
      fillOpacity={0.22}
      stroke="none"
      legendType="none"
      dot={false}
      activeDot={false}
      isAnimationActive={false}
    />
  );
}

/** The recharts elements of one group: its band, median training Dice and median validation line. */
export function seedGroupElements(p: { group: SeedGroup; cache: SeedBandCache; metric: MetricId; metricAxis: string }) {
  const { group, cache, metric } = p;
  const n = group.runs.length;
  return [
    bandArea({
      key: `band-${group.loss}`,
      yAxisId: 'dice',
      data: cache.trainDice(group),
      name: `${group.loss} training Dice, ${BAND_TEXT} (${n})`,
      color: group.color,
    }),
    <Line
      key={`train-${group.loss}`}
      yAxisId="dice"
      data={cache.trainDice(group) as BandPoint[]}
      dataKey="median"
      name={`${group.loss} (train, median)`}
      stroke={group.color}
      strokeOpacity={0.6}
      strokeWidth={1}
      dot={false}
      legendType="none"
      isAnimationActive={false}
    />,
    <Line
      key={`val-${group.loss}-${metric}`}
      yAxisId={p.metricAxis}
      data={cache.validation(group, metric) as BandPoint[]}
      dataKey="median"
      name={`${group.loss}: median of ${n} seeds`}
      stroke={group.color}
      strokeWidth={2}
      dot={false}
      isAnimationActive={false}
    />,
  ];
}

/** The loss chart's elements of one group: the band of its seeds' losses and their median. */
export function seedLossElements(p: { group: SeedGroup; cache: SeedBandCache; log: boolean }) {
  const { group, cache, log } = p;
  const data = cache.loss(group, log) as BandPoint[];
  return [
    bandArea({
      key: `loss-band-${group.loss}`,
      data,
      name: `${group.loss} loss, ${BAND_TEXT} (${group.runs.length})`,
      color: group.color,
    }),
    <Line
      key={`loss-${group.loss}`}
      data={data}
      dataKey="median"
      name={`${group.loss}: median of ${group.runs.length} seeds`}
      stroke={group.color}
      dot={false}
      isAnimationActive={false}
    />,
  ];
}
