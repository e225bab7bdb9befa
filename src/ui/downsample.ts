// What the charts draw: each series cut to at most CHART_MAX_POINTS by min/max buckets (src/state/series),
// kept up to date as points arrive, so a redraw reads only the new points and its cost does not grow with
// the run. The store's series are append-only arrays; a new array means a new series.
import type { StepPoint } from '../engine/train/events';
import type { MetricId } from '../domain/metrics';
import { MinMaxSummary } from '../state/series';
import { metricOf, type ValidationPoint } from '../state/store';

export const CHART_MAX_POINTS = 2000;

export interface ChartSeriesParams<T> {
  x: (p: T) => number;
  value: (p: T) => number;
  /** Points the chart cannot draw (a loss <= 0 on a log axis) are left out of what it gets. */
  keep?: (p: T) => boolean;
  maxPoints?: number;
}

/** One chart line over an append-only source: update() reads only points new since the last call. */
export class ChartSeries<T> {
  private source: readonly T[] | null = null;
  private summary: MinMaxSummary<T>;
  private drawn: readonly T[] = [];

  constructor(private readonly p: ChartSeriesParams<T>) {
    this.summary = this.fresh();
  }

  /** The points to draw; the same array while nothing was added, a new one (for the chart to redraw) after. */
  update(source: readonly T[]): readonly T[] {
    if (source !== this.source || source.length < this.summary.length) {
      this.source = source;
      this.summary = this.fresh();
      this.drawn = [];
    } else if (source.length === this.summary.length) return this.drawn;
    for (let i = this.summary.length; i < source.length; i++) this.summary.push(source[i]);
    const pts = this.summary.points(source);
    // Always a new array: the source itself grows in place and the chart would not see the change.
    this.drawn = this.p.keep ? pts.filter(this.p.keep) : pts === source ? source.slice() : pts;
    return this.drawn;
  }

  private fresh(): MinMaxSummary<T> {
    return new MinMaxSummary({ x: this.p.x, values: [this.p.value], maxPoints: this.p.maxPoints ?? CHART_MAX_POINTS });
  }
}

export type StepSeriesKind = 'trainDice' | 'loss' | 'logLoss';

const STEP_SERIES: Record<StepSeriesKind, ChartSeriesParams<StepPoint>> = {
  trainDice: { x: (p) => p.step, value: (p) => p.trainDice },
  loss: { x: (p) => p.step, value: (p) => p.loss },
  // Buckets rank only positive losses, so the smallest one a log axis can show survives.
  logLoss: { x: (p) => p.step, value: (p) => (p.loss > 0 ? p.loss : Number.NaN), keep: (p) => p.loss > 0 },
};

/** The chart lines of every run, by run and kind; lines of runs no longer shown are dropped by retain(). */
export class ChartSeriesCache {
  private lines = new Map<string, ChartSeries<never>>();

  constructor(private readonly maxPoints = CHART_MAX_POINTS) {}

  steps(runId: string, kind: StepSeriesKind, source: readonly StepPoint[]): readonly StepPoint[] {
    return this.line(`${runId}\u0000${kind}`, STEP_SERIES[kind]).update(source);
  }

  /** A run's validation line of one metric (Dice by default); points without it are left out. */
  validation<V extends ValidationPoint>(runId: string, source: readonly V[], metric: MetricId = 'dice'): readonly V[] {
    const value = (p: V) => metricOf(p, metric);
    const keep = (p: V) => Number.isFinite(value(p));
    return this.line<V>(`${runId}\u0000validation\u0000${metric}`, { x: (p) => p.step, value, keep }).update(source);
  }

  /** Forgets the lines of runs not in ids. */
  retain(ids: readonly string[]): void {
    for (const key of this.lines.keys()) if (!ids.includes(key.split('\u0000')[0])) this.lines.delete(key);
  }

  private line<T>(key: string, params: ChartSeriesParams<T>): ChartSeries<T> {
    let l = this.lines.get(key) as ChartSeries<T> | undefined;
    if (!l) {
      l = new ChartSeries<T>({ ...params, maxPoints: this.maxPoints });
      this.lines.set(key, l as unknown as ChartSeries<never>);
    }
    return l;
  }
}
