// Curve costs against run length, in Node: the store's cost per `steps` event (10 points), the charts'
// preparation per redraw (two step lines), and the persister's compaction per save, at 1,000, 10,000 and
// 100,000 steps. The baseline, measured in the same run, is the store's old append (a copy of the whole
// series per event, kept below verbatim); the ratio 100,000 / 1,000 should stay near 1 for the new paths.
// Usage: npm run bench:curves [-- --reps 25]
import type { StepPoint } from '../src/engine/train/events';
import { compactRun } from '../src/state/persist/compact';
import { RunStore, type RunSummary } from '../src/state/store';
import { CHART_MAX_POINTS, ChartSeriesCache } from '../src/ui/downsample';
import { appendInPlace, downsampleMinMax } from '../src/state/series';

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 25;
const SIZES = [1_000, 10_000, 100_000];
const EVENT_POINTS = 10;
const EVENTS_PER_REP = 20;

const pt = (step: number): StepPoint => ({
  step,
  loss: 1 / Math.sqrt(step) + (step % 17) / 100,
  trainDice: (step % 101) / 101,
  predictedFg: 0.1,
  msPerStep: 3,
  lr: 1e-3,
});
const points = (from: number, n: number) => Array.from({ length: n }, (_, i) => pt(from + i));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median over reps of the per-call time in microseconds; setup is untimed, calls are timed together. */
function perCall(setup: () => (i: number) => unknown, calls: number): number {
  const ts: number[] = [];
  for (let r = 0; r < REPS + 1; r++) {
    const call = setup();
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) call(i);
    if (r > 0) ts.push(((performance.now() - t0) * 1000) / calls); // rep 0 warms the JIT
  }
  return median(ts);
}

const RUN = { id: 'a', label: 'gdl', color: '#3bb273', config: {}, totalSteps: 200_000 };

function runAt(n: number): RunSummary {
  const store = new RunStore(0);
  store.reset([RUN]);
  const run = store.getState().runs[0];
  const validation = Array.from({ length: Math.floor(n / 25) }, (_, i) => ({ step: 25 * (i + 1), dice: ((i * 7) % 10) / 10 }));
  return { ...run, steps: points(1, n), validation };
}

/** The store's old append, verbatim from before this change: every event copies the run's whole series. */
function baselineApply(state: { runs: RunSummary[] }, runId: string, pts: StepPoint[]) {
  const runs = state.runs.map((r) => (r.id === runId ? { ...r, steps: [...r.steps, ...pts] } : r));
  return { ...state, runs };
}

let sink = 0;
function measure(n: number) {
  const base = runAt(n);
  // The store grows to n the way a run does (events of 10 points); the build's own cost is the amortised one.
  const builds: number[] = [];
  const storeNew = perCall(() => {
    const store = new RunStore(60_000); // no flush inside the timed loops
    store.reset([RUN]);
    const t0 = performance.now();
    for (let s = 1; s <= n; s += EVENT_POINTS) store.apply('steps', { runId: 'a', points: points(s, EVENT_POINTS) });
    builds.push(((performance.now() - t0) * 1000) / (n / EVENT_POINTS));
    return (i) => {
      store.apply('steps', { runId: 'a', points: points(n + 1 + i * EVENT_POINTS, EVENT_POINTS) });
      if (i === EVENTS_PER_REP - 1) store.reset([]); // clears the pending flush timer
    };
  }, EVENTS_PER_REP);
  const storeBuild = median(builds.slice(1));
  const storeOld = perCall(() => {
    let state = { runs: [{ ...base, steps: base.steps.slice() }] };
    return (i) => {
      state = baselineApply(state, 'a', points(n + 1 + i * EVENT_POINTS, EVENT_POINTS));
      sink += state.runs[0].steps.length;
    };
  }, EVENTS_PER_REP);
  // A redraw after each event: 10 new points, the training-Dice and loss lines prepared.
  const chart = (prepare: (cache: ChartSeriesCache, steps: StepPoint[]) => number) =>
    perCall(() => {
      // Grown by pushes like the store's array (a slice has no spare room: its first push would copy it).
      const steps: StepPoint[] = [];
      appendInPlace(steps, base.steps);
      const cache = new ChartSeriesCache();
      prepare(cache, steps); // the first draw reads the whole series (a restore); untimed
      const more = points(n + 1, EVENT_POINTS * EVENTS_PER_REP);
      return (i) => {
        for (let j = 0; j < EVENT_POINTS; j++) steps.push(more[i * EVENT_POINTS + j]);
        sink += prepare(cache, steps);
      };
    }, EVENTS_PER_REP);
  const chartNew = chart((cache, steps) => cache.steps('a', 'trainDice', steps).length + cache.steps('a', 'loss', steps).length);
  const cut = (steps: StepPoint[], value: (p: StepPoint) => number) =>
    downsampleMinMax({ x: (p) => p.step, values: [value], points: steps, maxPoints: CHART_MAX_POINTS }).length;
  const chartWhole = chart((_, steps) => cut(steps, (p) => p.trainDice) + cut(steps, (p) => p.loss));
  const drawn = new ChartSeriesCache().steps('a', 'loss', base.steps).length;
  const save = perCall(() => () => (sink += compactRun(base).steps.length), 1);
  return { n, storeNew, storeBuild, storeOld, chartNew, chartWhole, drawn, save, saved: compactRun(base).steps.length };
}

measure(5_000); // warms the JIT for every path before anything is recorded
const rows = SIZES.map(measure);

const cols = [
  ['store us/event', (r: (typeof rows)[number]) => r.storeNew],
  ['store us/event, 0 to n', (r: (typeof rows)[number]) => r.storeBuild],
  ['baseline: old store us/event', (r: (typeof rows)[number]) => r.storeOld],
  ['chart us/redraw', (r: (typeof rows)[number]) => r.chartNew],
  ['ref: whole cut us/redraw', (r: (typeof rows)[number]) => r.chartWhole],
  ['save compact us', (r: (typeof rows)[number]) => r.save],
] as const;
const width = (name: string) => name.length + 2;
console.log(`curves, Node ${process.version}, events of ${EVENT_POINTS} points, median of ${REPS} reps after a warm-up`);
console.log(
  `${'steps'.padEnd(9)}${cols.map(([name]) => name.padStart(width(name))).join('')}  points drawn old/new  saved points`,
);
for (const r of rows) {
  const cells = cols.map(([name, f]) => f(r).toFixed(1).padStart(width(name))).join('');
  console.log(`${r.n.toLocaleString('en').padEnd(9)}${cells}${`${r.n}/${r.drawn}`.padStart(22)}${String(r.saved).padStart(14)}`);
}
const [first, last] = [rows[0], rows[rows.length - 1]];
const ratios = cols.map(([name, f]) => `${(f(last) / f(first)).toFixed(1)}x`.padStart(width(name))).join('');
console.log(`${'ratio'.padEnd(9)}${ratios}`);
console.log(`ratio: 100,000 steps / 1,000 steps; the store and chart columns should stay near 1x${sink > 0 ? '' : ' (!)'}`);
