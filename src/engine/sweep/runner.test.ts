// A real (tiny) sweep on wasm: results equal direct training runs; pause, resume, cancel and resume-by-skip.
import type { LossId } from '../../domain/losses';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvents } from '../api';
import { selectBackend } from '../backend/backend';
import { Session } from '../train/session';
import { createSweepMethods } from './host';
import { planSweep } from '../../domain/sweep/plan';
import { SweepRunner, windowValidations } from './runner';
import type { SweepProgress, SweepSpec } from '../../domain/sweep/types';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

const SPEC: SweepSpec = {
  name: 'tiny',
  network: 'unet2d',
  losses: ['gdl', 'wce'],
  lrs: [1e-3, 1e-2],
  patches: [{ id: 'S', patch: 16, batch: 2 }],
  burdens: [0.03],
  seeds: 1,
  firstSeed: 3,
  steps: 8,
  lastK: 4,
  lesion: 'tumour',
  noise: 0.05,
  size: 32,
};

async function runSweep(spec: SweepSpec, skip?: string[]): Promise<SweepProgress[]> {
  const events: SweepProgress[] = [];
  const runner = new SweepRunner({ sweepId: 's', spec, emit: (p) => events.push(p), skip, progressEveryMs: 0 });
  expect(await runner.run()).toBe('done');
  return events;
}

/** The same cell trained through the playground's Session: the sweep must reproduce it. */
async function directDice(loss: LossId, lr: number, spec: SweepSpec): Promise<number[]> {
  const dice: number[] = [];
  const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => {
    if (name === 'steps') dice.push(...(payload as EngineEvents['steps']).points.map((p) => p.trainDice));
  };
  const s = new Session(emit, { trainer: { validateEvery: 0, snapshotEvery: 0 } });
  const p = spec.patches[0];
  await s.prepareData({
    seed: spec.firstSeed,
    lesion: spec.lesion,
    fraction: spec.burdens[0],
    noise: spec.noise,
    patch: p.patch,
    batch: p.batch,
    network: spec.network,
    shape: [spec.size, spec.size, 24],
  });
  await s.createRuns([{ runId: 'r', loss, lossOptions: {}, lr, network: spec.network, steps: spec.steps, seed: spec.firstSeed }]);
  await s.control('play');
  await s.whenIdle();
  await s.disposeRuns();
  return dice;
}

describe('SweepRunner', () => {
  it('trains every cell once; each result is the run the playground would train; no tensor leaks', async () => {
    await runSweep({ ...SPEC, losses: ['gdl'], lrs: [1e-3], steps: 2 }); // warm-up (kernels, caches)
    const before = tf.memory().numTensors;
    const events = await runSweep(SPEC);
    expect(tf.memory().numTensors).toBe(before);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ state: 'done', runsDone: 4, runsTotal: 4, stepsDone: 32, stepsTotal: 32, current: null });
    expect(events[0]).toMatchObject({ state: 'running', runsDone: 0, stepsDone: 0 });
    const results = events.flatMap((e) => e.results);
    expect(results.map((r) => r.key).sort()).toEqual(
      planSweep(SPEC)
        .cells.map((c) => c.key)
        .sort(),
    );
    const groups = events.flatMap((e) => e.groups);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ side: 16, batch: 2 });
    expect(groups[0].patchImbalance).toBeGreaterThan(0);
    // The group's threshold baseline travels with it into the sweep file and its report.
    expect(groups[0].baselineDice).toBeGreaterThanOrEqual(0);
    expect(groups[0].baselineDice).toBeLessThanOrEqual(1);
    for (const r of results) {
      expect(['done', 'collapsed']).toContain(r.status);
      expect(r.window).toHaveLength(4);
      expect(r.curve).toHaveLength(8);
      // lastK 4 of 8 steps: validations every 4 / WINDOW_VALIDATIONS = 1 step inside the window only.
      expect(r.validation!.map((v) => v.step)).toEqual([5, 6, 7, 8]);
      expect(Object.keys(r.validation![0].metrics)).toContain('lesionF1');
    }
    expect(windowValidations({ steps: 600, lastK: 200 })).toEqual({ validateEvery: 50, validateFrom: 401 });
    for (const [loss, lr] of [
      ['wce', 1e-2],
      ['gdl', 1e-3],
    ] as const) {
      const direct = await directDice(loss, lr, SPEC);
      const r = results.find((x) => x.loss === loss && x.lr === lr)!;
      expect(direct).toHaveLength(8);
      r.window.forEach((v, i) => {
        expect(v).toBeCloseTo(direct[4 + i], 4);
      });
    }
  });

  it('skips finished runs (resuming a stored sweep)', async () => {
    const keys = planSweep(SPEC).cells.map((c) => c.key);
    const events = await runSweep(SPEC, keys.slice(0, 3));
    const results = events.flatMap((e) => e.results);
    expect(results.map((r) => r.key)).toEqual([keys[3]]);
    expect(events[0]).toMatchObject({ runsDone: 3, stepsDone: 24 });
    expect(events.at(-1)).toMatchObject({ runsDone: 4, stepsDone: 32, state: 'done' });
  });

  it('pauses, resumes and cancels through the engine methods; keeps finished runs', async () => {
    const events: SweepProgress[] = [];
    const methods = createSweepMethods({
      emit: (name, payload) => name === 'sweep' && events.push(payload as SweepProgress),
      runner: { progressEveryMs: 0, maxRace: 2, readEvery: 2 },
    });
    const spec = { ...SPEC, steps: 30, lastK: 10 };
    const before = tf.memory().numTensors;
    await expect(methods.controlSweep({ action: 'resume' })).rejects.toThrow(/no sweep/);
    expect(await methods.startSweep({ sweepId: 'a', spec })).toEqual({ runsTotal: 4, runsToDo: 4, groups: 1 });
    await expect(methods.startSweep({ sweepId: 'b', spec })).rejects.toThrow(/already running/);
    await expect.poll(() => events.at(-1)?.stepsDone ?? 0).toBeGreaterThan(4);
    expect(await methods.controlSweep({ action: 'pause' })).toEqual({ state: 'paused' });
    const paused = events.at(-1)!.stepsDone;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.at(-1)).toMatchObject({ state: 'paused', stepsDone: paused });
    expect(await methods.controlSweep({ action: 'resume' })).toEqual({ state: 'running' });
    // Let the first race (2 runs) finish, then cancel during the second.
    await expect.poll(() => events.flatMap((e) => e.results).length, { timeout: 30_000 }).toBe(2);
    expect(await methods.controlSweep({ action: 'cancel' })).toEqual({ state: 'cancelled' });
    expect(events.at(-1)).toMatchObject({ state: 'cancelled', runsDone: 2 });
    expect(events.flatMap((e) => e.results)).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    await expect(methods.startSweep({ sweepId: 'c', spec: { ...spec, lastK: 99 } })).rejects.toThrow(/last K/);
  });
});
