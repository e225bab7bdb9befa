// The fused Adam update against tfjs's own Adam (bit for bit, on wasm and on cpu) and against a
// textbook Adam in float64 written here (tfjs's form: epsilon added after the bias correction).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer } from './wasm-adam';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { seededValues } from './wasm-test-utils';

const SHAPES = [[3, 3, 3, 8], [8], [2, 2, 8, 4], [1]];
const STEPS = 12;
const lrAt = (step: number) => (step < 6 ? 1e-2 : 3e-3); // a learning-rate change mid-run

/** Gradient of variable k at step t: seeded, with exact zeros and large values mixed in. */
function gradient(k: number, t: number): Float32Array {
  const g = seededValues({ size: SHAPES[k].reduce((a, b) => a * b, 1), seed: 1000 * k + t });
  return g.map((x, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? x * 50 : x));
}

/** Runs STEPS updates with `make`'s optimizer on fresh variables; their values, moments and iterations. */
async function run(
  make: (lr: number) => tf.AdamOptimizer,
): Promise<{ values: Float32Array[]; moments: Float32Array[]; names: string[] }> {
  const vars = SHAPES.map((s, k) =>
    tf.variable(tf.tensor(seededValues({ size: s.reduce((a, b) => a * b, 1), seed: 7 + k }), s), true, `w${k}_${Math.random()}`),
  );
  const opt = make(lrAt(0));
  for (let t = 0; t < STEPS; t++) {
    (opt as unknown as { learningRate: number }).learningRate = lrAt(t);
    // The array form here; the trainer's minimize passes the map form (the last test).
    const grads = vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(gradient(k, t), v.shape) }));
    opt.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await opt.getWeights();
  const out = {
    values: vars.map((v) => v.dataSync() as Float32Array),
    moments: await Promise.all(weights.slice(1).map(async (w) => (await w.tensor.data()) as Float32Array)),
    names: weights.map((w) => w.name.replace(/w(\d)_[0-9.]+/, 'w$1')),
  };
  expect((await weights[0].tensor.data())[0]).toBe(STEPS);
  opt.dispose();
  tf.dispose(vars);
  return out;
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('FusedAdamOptimizer', () => {
  it('on wasm equals tfjs Adam on wasm and on cpu bit for bit: weights, moments, names', async () => {
    await tf.setBackend('wasm');
    const fused = await run((lr) => new FusedAdamOptimizer(lr, 0.9, 0.999));
    const stock = await run((lr) => tf.train.adam(lr));
    await tf.setBackend('cpu');
    const cpu = await run((lr) => tf.train.adam(lr));
    await tf.setBackend('wasm');
    expect(fused.names).toEqual(stock.names);
    for (const other of [stock, cpu]) {
      expect(fused.values).toEqual(other.values);
      expect(fused.moments).toEqual(other.moments);
    }
  });

  it('equals a textbook float64 Adam within float32 rounding', async () => {
    await tf.setBackend('wasm');
    const fused = await run((lr) => new FusedAdamOptimizer(lr, 0.9, 0.999));
    let worst = 0;
    SHAPES.forEach((s, k) => {
      const w = Array.from(seededValues({ size: s.reduce((a, b) => a * b, 1), seed: 7 + k }));
      const m = w.map(() => 0);
      const v = w.map(() => 0);
      for (let t = 0; t < STEPS; t++) {
        const g = gradient(k, t);
        for (let i = 0; i < w.length; i++) {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          const mHat = m[i] / (1 - 0.9 ** (t + 1));
          const vHat = v[i] / (1 - 0.999 ** (t + 1));
          w[i] -= (lrAt(t) * mHat) / (Math.sqrt(vHat) + 1e-7);
        }
      }
      for (const [i, x] of w.entries()) worst = Math.max(worst, Math.abs(fused.values[k][i] - x) / Math.max(1, Math.abs(x)));
    });
    console.log(`fused Adam vs float64 Adam after ${STEPS} steps: max rel error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind and makes the moments once', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.ones([5]));
    const opt = new FusedAdamOptimizer(0.01, 0.9, 0.999);
    const grad = () => ({ [v.name]: tf.fill([5], 0.5) }) as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0];
    const g0 = grad();
    opt.applyGradients(g0);
    tf.dispose(Object.values(g0));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const g = grad();
      opt.applyGradients(g);
      tf.dispose(Object.values(g));
    }
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    v.dispose();
  });
});
