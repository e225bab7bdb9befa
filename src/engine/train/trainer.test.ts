import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvents, RunEventName, StepPoint } from './events';
import { Runner } from './runner';
import { createToySource } from './toy-source';
import { findCollapse, type LossFn, Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyModel(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 10 + k });
  const input = tf.input({ shape: [null, null, 1] as unknown as number[] });
  const h = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) })
    .apply(input);
  const out = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax', kernelInitializer: init(2) }).apply(h);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
}

const ce: LossFn = (y, p) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), -1)));

function collect() {
  const events: { name: RunEventName; payload: unknown }[] = [];
  const emit = <K extends RunEventName>(name: K, payload: RunEvents[K]) => void events.push({ name, payload });
  const points = () => events.filter((e) => e.name === 'steps').flatMap((e) => (e.payload as RunEvents['steps']).points);
  return { events, emit, points };
}

function trainer(opts: { seed?: number; lr?: number; steps?: number; emit: ReturnType<typeof collect>['emit']; loss?: LossFn }) {
  return new Trainer({
    runId: 'r',
    model: tinyModel(opts.seed ?? 1),
    source: createToySource({ seed: opts.seed ?? 1 }),
    loss: opts.loss ?? ce,
    lr: opts.lr ?? 0.05,
    steps: opts.steps ?? 30,
    emit: opts.emit,
    readEvery: 5,
    validateEvery: 10,
    snapshotEvery: 15,
    collapseMinSteps: 10,
  });
}

describe('Trainer', () => {
  it('learns the toy task and streams steps, validation and snapshots', async () => {
    const c = collect();
    const t = trainer({ emit: c.emit, steps: 60 });
    const runner = new Runner([t]);
    runner.play();
    await runner.whenIdle();
    expect(t.status).toBe('done');
    const pts = c.points();
    expect(pts.map((p) => p.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(pts[59].loss).toBeLessThan(pts[0].loss * 0.6);
    const val = c.events.filter((e) => e.name === 'validation').map((e) => e.payload as RunEvents['validation']);
    expect(val.map((v) => v.step)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(val.at(-1)!.dice).toBeGreaterThan(0.8);
    const snap = c.events.find((e) => e.name === 'snapshot')!.payload as RunEvents['snapshot'];
    expect(snap.probs).toBeInstanceOf(Float32Array);
    expect(snap.probs.length).toBe(snap.height * snap.width);
    expect([snap.height, snap.width]).toEqual([16, 16]);
    t.dispose();
  });

  it('the same seed gives identical curves; another seed does not', async () => {
    const curves: StepPoint[][] = [];
    for (const seed of [3, 3, 4]) {
      const c = collect();
      const t = trainer({ seed, emit: c.emit, steps: 10 });
      for (let i = 0; i < 10; i++) await t.advance();
      curves.push(c.points());
      t.dispose();
    }
    expect(curves[0].map((p) => p.loss)).toEqual(curves[1].map((p) => p.loss));
    expect(curves[0].map((p) => p.loss)).not.toEqual(curves[2].map((p) => p.loss));
  });

  it('pause stops within one step and stop keeps the curve', async () => {
    const c = collect();
    const t = trainer({ emit: c.emit, steps: 10_000 });
    const runner = new Runner([t]);
    runner.play();
    while (t.step < 7) await new Promise((r) => setTimeout(r, 5));
    await runner.pause();
    const atPause = t.step;
    await new Promise((r) => setTimeout(r, 50));
    expect(t.step).toBe(atPause);
    expect(t.status).toBe('paused');
    expect(c.points().length).toBe(atPause);
    await runner.stepOnce();
    expect(t.step).toBe(atPause + 1);
    expect(c.points().at(-1)!.step).toBe(atPause + 1);
    const ac = new AbortController();
    const r2 = new Runner([t], ac.signal);
    r2.play();
    while (t.step < atPause + 4) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const atAbort = t.step;
    await r2.whenIdle();
    expect(t.step - atAbort).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.status).toBe('stopped');
    expect(c.points().length).toBe(t.step);
    t.dispose();
  });

  it('a non-finite loss ends the run as diverged at that step', async () => {
    const c = collect();
    // The loss is finite for 7 steps, then NaN: the run must stop at step 8.
    let calls = 0;
    const flaky: LossFn = (y, p) => (++calls >= 8 ? tf.scalar(Number.NaN).add(ce(y, p).mul(0)) : ce(y, p));
    const t = trainer({ emit: c.emit, steps: 50, loss: flaky });
    const runner = new Runner([t]);
    runner.play();
    await runner.whenIdle();
    expect(t.status).toBe('diverged');
    expect(t.step).toBe(8);
    t.dispose();
  });

  it('an absurd learning rate diverges or collapses, and is marked', async () => {
    const c = collect();
    const t = trainer({ emit: c.emit, steps: 40, lr: 1e6 });
    const runner = new Runner([t]);
    runner.play();
    await runner.whenIdle();
    expect(['diverged', 'collapsed']).toContain(t.status);
    t.dispose();
  });

  it('a learning-rate change mid-run is applied and recorded', async () => {
    const c = collect();
    const t = trainer({ emit: c.emit, steps: 10 });
    for (let i = 0; i < 5; i++) await t.advance();
    t.setLearningRate(1e-3);
    for (let i = 0; i < 5; i++) await t.advance();
    const pts = c.points();
    expect(pts.slice(0, 5).every((p) => p.lr === 0.05)).toBe(true);
    expect(pts.slice(5).every((p) => p.lr === 1e-3)).toBe(true);
    expect(c.events.some((e) => e.name === 'lr' && (e.payload as RunEvents['lr']).step === 5)).toBe(true);
    t.dispose();
  });

  it('leaks no tensors over 50 steps after warm-up', async () => {
    const c = collect();
    const t = trainer({ emit: c.emit, steps: 1000 });
    for (let i = 0; i < 10; i++) await t.advance();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await t.advance();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('race mode advances runs in lockstep', async () => {
    const steps: string[] = [];
    const make = (id: string) => {
      const c = collect();
      const t = new Trainer({ ...trainerParams(c.emit), runId: id });
      const orig = t.advance.bind(t);
      t.advance = async () => {
        steps.push(id);
        await orig();
      };
      return t;
    };
    const a = make('a');
    const b = make('b');
    const runner = new Runner([a, b]);
    runner.play();
    await runner.whenIdle();
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 'b' : 'a')));
    expect(a.step).toBe(10);
    expect(b.step).toBe(10);
  });
});

function trainerParams(emit: ReturnType<typeof collect>['emit']) {
  return { runId: 'x', model: tinyModel(1), source: createToySource(), loss: ce, lr: 0.05, steps: 10, emit };
}

describe('Runner', () => {
  it('pausing a race leaves every run at the same step', async () => {
    const make = (id: string) => new Trainer({ ...trainerParams(collect().emit), runId: id, steps: 10_000 });
    const trainers = [make('a'), make('b'), make('c')];
    const runner = new Runner(trainers);
    for (let i = 0; i < 5; i++) {
      runner.play();
      await new Promise((r) => setTimeout(r, 15 + 7 * i));
      await runner.pause();
      const steps = trainers.map((t) => t.step);
      expect(new Set(steps).size).toBe(1);
    }
    for (const t of trainers) t.dispose();
  });
});

describe('findCollapse', () => {
  const pt = (step: number, predictedFg: number): StepPoint => ({
    step,
    predictedFg,
    loss: 1,
    trainDice: 0,
    msPerStep: 1,
    lr: 1,
  });
  it('finds the start of a final one-class stretch of at least minSteps', () => {
    const h = [pt(1, 0.2), pt(2, 0.1), pt(3, 0), pt(4, 0), pt(5, 0)];
    expect(findCollapse(h, 3)).toBe(3);
    expect(findCollapse(h, 4)).toBeNull();
    expect(findCollapse([pt(1, 0), pt(2, 0.5)], 1)).toBeNull();
    expect(findCollapse([pt(1, 1), pt(2, 1)], 2)).toBe(1);
  });
});
