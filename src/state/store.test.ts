// The run store: series grow in place (no copy per event) yet every change reaches subscribers as a new
// run object and version; restore takes its own copies so appends never touch the caller's records.
import { METRIC_IDS } from '../domain/metrics';
import { describe, expect, it, vi } from 'vitest';
import type { StepPoint } from '../engine/train/events';
import { metricOf, RunStore, type RunSummary } from './store';

const ZERO_METRICS = Object.fromEntries(METRIC_IDS.map((id) => [id, 0])) as Record<(typeof METRIC_IDS)[number], number>;

const pt = (step: number): StepPoint => ({
  step,
  loss: 1 / step,
  trainDice: step / 1000,
  predictedFg: 0.1,
  msPerStep: 2,
  lr: 1e-3,
});
const points = (from: number, n: number) => Array.from({ length: n }, (_, i) => pt(from + i));

function twoRuns(throttleMs = 0): RunStore {
  const store = new RunStore(throttleMs);
  store.reset([
    { id: 'a', label: 'gdl', color: '#3bb273', config: {}, totalSteps: 100 },
    { id: 'b', label: 'wce', color: '#e4572e', config: {}, totalSteps: 100 },
  ]);
  return store;
}

describe('RunStore series', () => {
  it('appends every point of every steps event, in order, to the run it names', () => {
    const store = twoRuns();
    for (let e = 0; e < 30; e++) store.apply('steps', { runId: 'a', points: points(1 + e * 10, 10) });
    store.apply('steps', { runId: 'b', points: points(1, 3) });
    const [a, b] = store.getState().runs;
    expect(a.steps.map((p) => p.step)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(b.steps.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('grows the array in place but hands subscribers a new run object and version each time', () => {
    vi.useFakeTimers();
    try {
      const store = twoRuns();
      const seen: RunSummary[] = [];
      store.subscribe(() => seen.push(store.getState().runs[0]));
      const before = store.getState();
      store.apply('steps', { runId: 'a', points: points(1, 10) });
      vi.advanceTimersByTime(1);
      store.apply('validation', { runId: 'a', step: 10, dice: 0.3, perSubject: [0.3], perClass: [0.3] });
      vi.advanceTimersByTime(1);
      const after = store.getState();
      expect(after.runs[0].steps).toBe(before.runs[0].steps);
      expect(after.runs[0].validation).toBe(before.runs[0].validation);
      expect(after.runs[1]).toBe(before.runs[1]); // the untouched run keeps its identity
      expect(after.version).toBe(before.version + 2);
      expect(seen).toHaveLength(2);
      expect(new Set([before.runs[0], ...seen]).size).toBe(3);
      expect(seen[1].validation).toEqual([{ step: 10, dice: 0.3, perClass: [0.3] }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the challenge metrics with each validation point; metricOf reads them (Dice falls back)', () => {
    const store = twoRuns();
    const metrics = { ...ZERO_METRICS, dice: 0.4, hd95: 7.5, lesionF1: 0.25 };
    store.apply('validation', { runId: 'a', step: 5, dice: 0.41, perSubject: [0.41], metrics });
    store.apply('validation', { runId: 'b', step: 5, dice: 0.2, perSubject: [0.2] });
    const [a, b] = store.getState().runs;
    expect(a.validation).toEqual([{ step: 5, dice: 0.41, metrics }]);
    expect(metricOf(a.validation[0], 'hd95')).toBe(7.5);
    expect(metricOf(a.validation[0], 'dice')).toBe(0.4); // the binary foreground Dice of the metrics
    expect(metricOf(b.validation[0], 'dice')).toBe(0.2); // no metrics recorded: the point's Dice
    expect(metricOf(b.validation[0], 'hd95')).toBeNaN();
    expect(metricOf(undefined, 'dice')).toBeNaN();
  });

  it('a live verdict is kept beside the status, which it leaves alone, and dropped when withdrawn', () => {
    const store = twoRuns();
    store.apply('status', { runId: 'a', status: 'running', step: 1 });
    store.apply('status', { runId: 'a', status: 'running', step: 46, verdict: { kind: 'collapsed', since: 37 } });
    expect(store.getState().runs[0]).toMatchObject({
      status: 'running',
      statusStep: 1,
      verdict: { kind: 'collapsed', since: 37 },
    });
    store.apply('status', { runId: 'a', status: 'running', step: 60, verdict: null });
    expect(store.getState().runs[0].verdict).toBeUndefined();
    expect(store.getState().runs[1].verdict).toBeUndefined();
  });

  it('throttles data notifications but shows status changes at once', () => {
    vi.useFakeTimers();
    try {
      const store = twoRuns(250);
      let calls = 0;
      store.subscribe(() => calls++);
      store.apply('steps', { runId: 'a', points: points(1, 10) });
      store.apply('steps', { runId: 'a', points: points(11, 10) });
      expect(calls).toBe(0);
      store.apply('status', { runId: 'a', status: 'running', step: 20 });
      expect(calls).toBe(1);
      expect(store.getState().runs[0].steps).toHaveLength(20);
      vi.advanceTimersByTime(300);
      expect(calls).toBe(1); // the status flush delivered the points: nothing left pending
    } finally {
      vi.useRealTimers();
    }
  });

  it('restores its own copies: appending after a restore leaves the saved record as it was', () => {
    const saved: RunSummary = {
      ...twoRuns().getState().runs[0],
      status: 'paused',
      steps: points(1, 5),
      validation: [{ step: 5, dice: 0.2 }],
    };
    const store = new RunStore(0);
    store.restore([saved]);
    store.apply('steps', { runId: 'a', points: points(6, 5) });
    store.apply('validation', { runId: 'a', step: 10, dice: 0.4, perSubject: [0.4] });
    expect(saved.steps).toHaveLength(5);
    expect(saved.validation).toHaveLength(1);
    expect(store.getState().runs[0].steps.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('starts each reset with fresh empty series', () => {
    const store = twoRuns();
    store.apply('steps', { runId: 'a', points: points(1, 4) });
    const old = store.getState().runs[0].steps;
    store.reset([{ id: 'a', label: 'gdl', color: '#3bb273', config: {}, totalSteps: 100 }]);
    expect(store.getState().runs[0].steps).toEqual([]);
    store.apply('steps', { runId: 'a', points: points(1, 2) });
    expect(old).toHaveLength(4);
  });

  it('records lr changes and keeps snapshots apart from runs', () => {
    const store = twoRuns();
    const runs = store.getState().runs;
    store.apply('lr', { runId: 'b', step: 7, lr: 5e-4 });
    store.apply('snapshot', { runId: 'a', step: 7, height: 1, width: 2, probs: Float32Array.from([0.1, 0.9]) });
    expect(store.getState().runs[1].lrChanges).toEqual([{ step: 7, lr: 5e-4 }]);
    expect(store.getState().runs[0]).toBe(runs[0]);
    expect(store.getState().snapshots.a.step).toBe(7);
  });
});
