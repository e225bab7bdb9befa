// Compact saved records: a 100,000-step run saved and restored keeps its exact last-K statistics and its
// recent points, a bounded history with the extremes, the trainer's collapse verdict; old records still load.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/data/rng';
import { medianIqr, windowStats } from '../../domain/summary';
import type { StepPoint } from '../../engine/train/events';
import { findCollapse } from '../../engine/train/trainer';
import { RunStore, type RunSummary } from '../store';
import { COMPACT_LIMITS, compactRun } from './compact';
import { approxBytes, memoryStore } from './db';
import { Persister } from './persister';
import type { ExperimentRecord } from './records';
import { RunsDb } from './runs-db';

const LAST_K = 50;

function trainedPoints(n: number, seed: number, from = 1): StepPoint[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    step: from + i,
    loss: 1 / Math.sqrt(from + i) + rng.next() * 0.1,
    trainDice: Math.min(1, (from + i) / n) * rng.next(),
    predictedFg: rng.next() * 0.2,
    msPerStep: 3 + rng.next(),
    lr: 1e-3,
  }));
}

const blankRun = (id = 'gdl-1') => ({ id, label: 'gdl', color: '#3bb273', config: { loss: 'gdl' }, totalSteps: 100_000 });

function storeWith(points: StepPoint[]): RunStore {
  const store = new RunStore(0);
  store.reset([blankRun()]);
  for (let i = 0; i < points.length; i += 10) store.apply('steps', { runId: 'gdl-1', points: points.slice(i, i + 10) });
  for (let s = 25; s <= points.length; s += 25)
    store.apply('validation', { runId: 'gdl-1', step: s, dice: points[s - 1].trainDice, perSubject: [0] });
  store.apply('status', { runId: 'gdl-1', status: 'paused', step: points.length });
  return store;
}

async function saveAndLoad(store: RunStore): Promise<ExperimentRecord> {
  const db = new RunsDb(memoryStore(), memoryStore());
  const persister = new Persister({ db, store, checkpoint: async () => null, onProblem: () => undefined });
  persister.begin({ id: 'e1', name: 'long', createdAt: 1, query: 'loss=gdl', backend: 'cpu' });
  await persister.flush();
  persister.dispose();
  return (await db.get('e1'))!;
}

const lastKDice = (r: RunSummary) => windowStats({ values: r.steps.map((p) => p.trainDice), window: LAST_K });
const extremes = (pts: readonly StepPoint[], k: 'loss' | 'trainDice') =>
  pts.reduce(([lo, hi], p) => [Math.min(lo, p[k]), Math.max(hi, p[k])], [Infinity, -Infinity]);

describe('compactRun', () => {
  it('saves a 100,000-step run compactly and restores its exact last-K statistics', async () => {
    const full = trainedPoints(100_000, 1);
    const store = storeWith(full);
    const live = store.getState().runs[0];
    const rec = await saveAndLoad(store);
    const saved = rec.runs[0];
    const { recentSteps, historySteps, recentValidation, historyValidation } = COMPACT_LIMITS;
    expect(saved.steps.length).toBeLessThanOrEqual(recentSteps + historySteps + 2);
    expect(saved.validation.length).toBeLessThanOrEqual(recentValidation + historyValidation + 2);
    expect(approxBytes(rec)).toBeLessThan(approxBytes({ ...rec, runs: [live] }) / 10);

    const restored = new RunStore(0);
    restored.restore(rec.runs);
    const back = restored.getState().runs[0];
    // The statistic the runs table shows, against a median/IQR of the last K points computed directly.
    expect(lastKDice(back)).toEqual(medianIqr(full.slice(-LAST_K).map((p) => p.trainDice)));
    expect(back.steps.slice(-recentSteps)).toEqual(full.slice(-recentSteps));
    expect(back.validation.slice(-recentValidation)).toEqual(live.validation.slice(-recentValidation));
    expect(back.steps[0]).toEqual(full[0]);
    for (const k of ['loss', 'trainDice'] as const) expect(extremes(back.steps, k)).toEqual(extremes(full, k));
    const steps = back.steps.map((p) => p.step);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
  });

  it('saves a short run whole, in fresh arrays', () => {
    const store = storeWith(trainedPoints(300, 2));
    const run = store.getState().runs[0];
    const saved = compactRun(run);
    expect(saved).toEqual(run);
    expect(saved.steps).not.toBe(run.steps);
    expect(saved.validation).not.toBe(run.validation);
  });

  it.each([
    ['mixed until step 60,000, then all background', 60_000, 0],
    ['mixed until step 99,990, then all foreground', 99_990, 1],
    ['never mixed', 0, 0],
    ['mixed at the last step', 100_000, 0],
  ])('keeps the trainer’s collapse verdict on a resumed run: %s', (_, mixedUntil, after) => {
    const pts = trainedPoints(100_000, 3).map((p) => ({
      ...p,
      predictedFg: p.step <= mixedUntil ? p.predictedFg + 0.01 : after,
    }));
    const saved = compactRun({ ...storeWith([]).getState().runs[0], steps: pts }).steps;
    expect(saved.length).toBeLessThan(pts.length / 10);
    for (const minSteps of [5, 50, 20_000, 39_999, 40_000, 40_001, 100_000])
      expect(findCollapse(saved, minSteps)).toBe(findCollapse(pts, minSteps));
  });

  it('stays bounded and exact at the end over save, resume and train-on cycles', () => {
    let run: RunSummary = { ...storeWith([]).getState().runs[0], steps: trainedPoints(60_000, 4) };
    const all = [...run.steps];
    for (let cycle = 0; cycle < 4; cycle++) {
      const store = new RunStore(0);
      store.restore([compactRun(run)]);
      const more = trainedPoints(30_000, 10 + cycle, all.length + 1);
      all.push(...more);
      for (let i = 0; i < more.length; i += 10) store.apply('steps', { runId: 'gdl-1', points: more.slice(i, i + 10) });
      run = compactRun(store.getState().runs[0]);
      expect(run.steps.length).toBeLessThanOrEqual(COMPACT_LIMITS.recentSteps + COMPACT_LIMITS.historySteps + 2);
      expect(run.steps.slice(-COMPACT_LIMITS.recentSteps)).toEqual(all.slice(-COMPACT_LIMITS.recentSteps));
      for (const k of ['loss', 'trainDice'] as const) expect(extremes(run.steps, k)).toEqual(extremes(all, k));
    }
  });

  it('loads a record saved in the format of before compaction (every point) and compacts it on the next save', async () => {
    const full = trainedPoints(20_000, 5);
    const old: ExperimentRecord = {
      id: 'old',
      name: 'gdl · 27 Nov 12:05',
      createdAt: 1,
      updatedAt: 2,
      query: 'loss=gdl',
      backend: 'wasm',
      status: 'paused',
      checkpointStep: 20_000,
      runs: [
        {
          ...blankRun(),
          status: 'paused',
          statusStep: 20_000,
          steps: full,
          validation: [{ step: 25, dice: 0.1, perClass: [0.1] }],
          lrChanges: [{ step: 10_000, lr: 5e-4 }],
          startedAt: 5,
        },
      ],
    };
    const db = new RunsDb(memoryStore(), memoryStore());
    await db.save(old);
    const store = new RunStore(0);
    store.restore((await db.get('old'))!.runs);
    const back = store.getState().runs[0];
    expect(back).toEqual(old.runs[0]);
    expect(lastKDice(back)).toEqual(medianIqr(full.slice(-LAST_K).map((p) => p.trainDice)));
    const resaved = await saveAndLoad(store);
    expect(resaved.runs[0].steps.length).toBeLessThanOrEqual(COMPACT_LIMITS.recentSteps + COMPACT_LIMITS.historySteps + 2);
    expect(resaved.runs[0].lrChanges).toEqual(old.runs[0].lrChanges);
    expect(lastKDice(resaved.runs[0])).toEqual(lastKDice(back));
  });
});
