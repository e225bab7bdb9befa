// Live verdicts: a collapse is reported while the run trains (once its one-class stretch is K steps long)
// and withdrawn when the run predicts both classes again; divergence is reported at its step, mid-run.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEventName, RunEvents } from './events';
import { createToySource } from './toy-source';
import { findCollapse, type LossFn, Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyModel(): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: 70 + k });
  const input = tf.input({ shape: [null, null, 1] as unknown as number[] });
  const h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) });
  const out = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax', kernelInitializer: init(2) });
  return tf.model({ inputs: input, outputs: out.apply(h.apply(input)) as tf.SymbolicTensor });
}

const ce: LossFn = (y, p) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), -1)));
/** Rewards predicting background everywhere: drives the net to a one-class prediction. */
const allBackground: LossFn = (_y, p) => tf.mean(tf.slice(p, [0, 0, 0, 1], [-1, -1, -1, 1]));

function statuses() {
  const seen: (RunEvents['status'] & { atStep: number })[] = [];
  let trainer: Trainer | null = null;
  const emit = <K extends RunEventName>(name: K, payload: RunEvents[K]) => {
    if (name === 'status') seen.push({ ...(payload as RunEvents['status']), atStep: trainer?.step ?? 0 });
  };
  return { seen, emit, bind: (t: Trainer) => void (trainer = t) };
}

describe('live verdicts', () => {
  it('reports a collapse K steps into it, before the run ends, and withdraws it when the run recovers', async () => {
    let loss = allBackground;
    const s = statuses();
    const t = new Trainer({
      runId: 'c',
      model: tinyModel(),
      source: createToySource({ seed: 5 }),
      loss: (y, p) => loss(y, p),
      lr: 0.05,
      steps: 200,
      emit: s.emit,
      readEvery: 1,
      validateEvery: 0,
      snapshotEvery: 0,
      collapseMinSteps: 10,
    });
    s.bind(t);
    const verdicts = () => s.seen.filter((e) => e.verdict !== undefined);
    while (verdicts().length === 0 && t.step < 100) await t.advance();
    const [collapsed] = verdicts();
    expect(collapsed.verdict).toEqual({ kind: 'collapsed', since: expect.any(Number) });
    const since = collapsed.verdict!.since;
    // Seen at the step the stretch reached K (reads every step), with the status unchanged.
    expect(collapsed.atStep).toBe(since + 9);
    expect(findCollapse(t.history, 10)).toBe(since);
    expect(t.history.filter((p) => p.step >= since).every((p) => p.predictedFg === 0)).toBe(true);
    expect(collapsed.status).toBe(t.status);
    // A one-class run that goes on in the same state reports nothing more.
    for (let i = 0; i < 5; i++) await t.advance();
    expect(verdicts()).toHaveLength(1);
    // The real task's loss brings the foreground back: the verdict is withdrawn.
    loss = ce;
    while (verdicts().length === 1 && t.step < 200) await t.advance();
    const [, cleared] = verdicts();
    expect(cleared.verdict).toBeNull();
    const last = t.history.at(-1)!;
    expect(last.predictedFg > 0 && last.predictedFg < 1).toBe(true);
    expect(t.finished).toBe(false);
    t.dispose();
  });

  it('a divergence is reported at its step while steps remain', async () => {
    let calls = 0;
    const s = statuses();
    const t = new Trainer({
      runId: 'd',
      model: tinyModel(),
      source: createToySource({ seed: 5 }),
      loss: (y, p) => (++calls >= 12 ? tf.scalar(Number.NaN).add(ce(y, p).mul(0)) : ce(y, p)),
      lr: 0.05,
      steps: 200,
      emit: s.emit,
      readEvery: 5,
      validateEvery: 0,
      snapshotEvery: 0,
    });
    s.bind(t);
    while (!t.finished) await t.advance();
    const diverged = s.seen.find((e) => e.status === 'diverged')!;
    expect(diverged).toMatchObject({ step: 12, message: 'loss became NaN at step 12' });
    // Found at the read of step 15 and dated to step 12, with 185 steps still to go; nothing trains after it.
    expect(diverged.atStep).toBe(12);
    expect(t.history.at(-1)!.step).toBe(15);
    t.dispose();
  });
});
