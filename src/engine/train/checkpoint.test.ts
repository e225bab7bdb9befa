// Checkpoints: a run continued from one follows the unbroken run step for step (wasm backend with our training kernels, as session.test.ts: cpu is ~20x slower).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvents, RunRequest } from '../api';
import { checkResume, type RunCheckpoint } from './checkpoint';
import { selectBackend } from '../backend/backend';
import { Session } from './session';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

const DATA = { seed: 3, lesion: 'tumour', fraction: 0.03, noise: 0.02, patch: 16, batch: 2, network: 'unet2d' } as const;
const RUN: RunRequest = { runId: 'r', loss: 'gdl', lossOptions: {}, lr: 1e-2, network: 'unet2d', steps: 8, seed: 5 };
const SCHEDULE = { readEvery: 1, validateEvery: 0, snapshotEvery: 0 };

function losses() {
  const byStep = new Map<number, number>();
  const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => {
    const e = payload as EngineEvents['steps'];
    // Run 'r' only (one test races a second run beside it).
    if (name === 'steps' && e.runId === 'r') for (const p of e.points) byStep.set(p.step, p.loss);
  };
  return { emit, byStep };
}

async function session(emit: ReturnType<typeof losses>['emit']): Promise<Session> {
  const s = new Session(emit, { trainer: SCHEDULE });
  await s.prepareData({ ...DATA, shape: [40, 40, 24] });
  return s;
}

async function stepTo(s: Session, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await s.control('step');
}

describe('checkpoints', () => {
  let unbroken: Map<number, number>;
  let midway: RunCheckpoint;

  it('a run continued from step 4 repeats the unbroken run exactly', async () => {
    const a = losses();
    const sa = await session(a.emit);
    await sa.createRuns([RUN]);
    await sa.control('play');
    await sa.whenIdle();
    unbroken = a.byStep;
    expect([...unbroken.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await sa.disposeRuns();

    const b = losses();
    const sb = await session(b.emit);
    await sb.createRuns([RUN]);
    await stepTo(sb, 4);
    [midway] = await sb.checkpoint();
    expect(midway.step).toBe(4);
    expect(midway.optimizer[0].data[0]).toBe(4); // Adam's iteration count
    expect(midway.weights.length).toBeGreaterThan(10);
    await sb.disposeRuns();

    const c = losses();
    const sc = await session(c.emit);
    await sc.createRuns([{ ...RUN, resume: midway }]);
    expect(sc.trainers[0].step).toBe(4);
    await sc.control('play');
    await sc.whenIdle();
    expect([...c.byStep.keys()]).toEqual([5, 6, 7, 8]);
    for (const [step, loss] of c.byStep) expect(loss).toBeCloseTo(unbroken.get(step)!, 5);
    await sc.disposeRuns();
  });

  it("without Adam's moments the continuation differs (the state matters)", async () => {
    const d = losses();
    const sd = await session(d.emit);
    await sd.createRuns([{ ...RUN, resume: { ...midway, optimizer: midway.optimizer.slice(0, 1) } }]);
    await sd.control('play');
    await sd.whenIdle();
    // Step 5's loss is computed before the update, so it matches; the update after it does not.
    expect(d.byStep.get(5)).toBeCloseTo(unbroken.get(5)!, 5);
    expect(Math.abs(d.byStep.get(8)! - unbroken.get(8)!)).toBeGreaterThan(1e-4);
    await sd.disposeRuns();
  });

  it('a checkpoint taken while playing is consistent and the run goes on to the end', async () => {
    const e = losses();
    const se = await session(e.emit);
    // A race of two: the checkpoint waits for the end of a round, so both runs are at the same step.
    await se.createRuns([
      { ...RUN, steps: 16 },
      { ...RUN, runId: 'r2', loss: 'dl2', steps: 16 },
    ]);
    await se.control('play');
    await new Promise((r) => setTimeout(r, 50));
    const [ck, ck2] = await se.checkpoint();
    expect(ck2.step).toBe(ck.step);
    await se.whenIdle();
    // The loop restarted after the checkpoint: wait until the run is really done.
    while (se.trainers[0].status === 'running') await se.whenIdle();
    expect(se.trainers.map((t) => t.status)).toEqual(['done', 'done']);
    expect(ck.step).toBeGreaterThan(0);
    expect(ck.step).toBeLessThan(16);
    await se.disposeRuns();
    const f = losses();
    const sf = await session(f.emit);
    await sf.createRuns([{ ...RUN, steps: 30, resume: ck }]);
    await stepTo(sf, 2);
    for (const step of [ck.step + 1, ck.step + 2]) expect(f.byStep.get(step)).toBeCloseTo(e.byStep.get(step)!, 5);
    await sf.disposeRuns();
  });

  it('refuses a checkpoint of another network with a clear message, leaving nothing behind', async () => {
    const s = await session(() => undefined);
    const bad = { ...midway, weights: midway.weights.slice(1) };
    await expect(s.createRuns([{ ...RUN, resume: bad }])).rejects.toThrow(/weight tensors/);
    const reshaped = { ...midway, weights: midway.weights.map((w, i) => (i === 0 ? { ...w, shape: [1, ...w.shape] } : w)) };
    await expect(s.createRuns([{ ...RUN, resume: reshaped }])).rejects.toThrow(/shape/);
    await expect(s.createRuns([{ ...RUN, resume: { ...midway, step: -1 } }])).rejects.toThrow(/bad step/);
    expect(s.trainers).toHaveLength(0);
  });

  it('capture and restore leak no tensors', async () => {
    const s = await session(() => undefined);
    await s.createRuns([{ ...RUN, resume: midway }]);
    await s.checkpoint(); // warm-up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await s.checkpoint();
    expect(tf.memory().numTensors).toBe(before);
    await s.disposeRuns();
    const afterDispose = tf.memory().numTensors;
    await s.createRuns([{ ...RUN, resume: midway }]);
    await s.disposeRuns();
    expect(tf.memory().numTensors).toBe(afterDispose);
  });

  it('checkResume names the first mismatch', async () => {
    const s = await session(() => undefined);
    await s.createRuns([RUN]);
    const model = s.trainers[0].checkpointParts.model;
    expect(checkResume(model, midway)).toBeNull();
    expect(checkResume(model, { ...midway, lr: 0 })).toMatch(/learning rate/);
    expect(checkResume(model, { ...midway, optimizer: midway.optimizer.slice(0, 3) })).toMatch(/optimizer state/);
    await s.disposeRuns();
  });
});
