// Whole training runs: the same U-Net from the same initial weights trained with Adam on wasm (with
// our kernels) and on cpu must give the same loss curve; on wasm, tensors, buffers and heap must
// stay flat over repeated steps.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerWasmTrainingKernels } from './wasm-kernels';
import { backendDataIds, buildTestUNet, crossEntropy, testBatch, wasmHeapBytes } from './wasm-test-utils';

type Net = { dims: 2 | 3; size: number; batch: number; batchNorm: boolean };

/** Trains `steps` Adam steps on `backend` from the given initial weights; returns the losses. */
async function lossCurve(backend: string, net: Net, init: Float32Array[], steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const model = buildTestUNet({ ...net, depth: 2, baseFilters: 4 });
  model.setWeights(init.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  const data = testBatch({ ...net, seed: 11 });
  const x = tf.tensor(data.x, [...data.shape, 1]);
  const y = tf.tensor(data.y, [...data.shape, 2]);
  const opt = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cost = opt.minimize(() => crossEntropy(y, model.predict(x) as tf.Tensor), true) as tf.Scalar;
    losses.push((await cost.data())[0]);
    cost.dispose();
  }
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return losses;
}

async function initialWeights(net: Net): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const model = buildTestUNet({ ...net, depth: 2, baseFilters: 4, seed: 5 });
  const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  model.dispose();
  return weights;
}

async function compareCurves(net: Net): Promise<void> {
  const init = await initialWeights(net);
  const cpu = await lossCurve('cpu', net, init, 30);
  const wasm = await lossCurve('wasm', net, init, 30);
  await tf.setBackend('cpu');
  const rel = wasm.map((l, i) => Math.abs(l - cpu[i]) / Math.abs(cpu[i]));
  const worst = Math.max(...rel);
  console.log(
    `${net.dims}D U-Net${net.batchNorm ? ' + BN' : ''}: loss ${cpu[0].toFixed(4)} -> ${cpu[29].toFixed(4)} (cpu), ` +
      `${wasm[29].toFixed(4)} (wasm); max rel difference over 30 steps ${worst.toExponential(2)}`,
  );
  expect(cpu[29]).toBeLessThan(cpu[0] * 0.9); // it really trains
  expect(worst).toBeLessThan(1e-4);
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.setBackend('cpu');
});

describe('training on wasm matches cpu', () => {
  it('2D U-Net with batch norm, 30 Adam steps', async () => {
    await compareCurves({ dims: 2, size: 16, batch: 2, batchNorm: true });
  });

  it('3D U-Net (conv3d, maxPooling3d, conv3dTranspose), 30 Adam steps', async () => {
    await compareCurves({ dims: 3, size: 8, batch: 2, batchNorm: false });
  });
});

describe('no leaks on wasm', () => {
  it('tensors, wasm buffers and heap stay flat over repeated steps', async () => {
    await tf.setBackend('wasm');
    const heaps: number[] = [];
    for (const dims of [2, 3] as const) {
      const size = dims === 2 ? 32 : 8;
      const model = buildTestUNet({ dims, size, depth: 2, baseFilters: 4, batchNorm: dims === 2 });
      const data = testBatch({ dims, size, batch: 2, seed: 1 });
      const x = tf.tensor(data.x, [...data.shape, 1]);
      const y = tf.tensor(data.y, [...data.shape, 2]);
      const opt = tf.train.adam(0.01);
      const step = () => opt.minimize(() => crossEntropy(y, model.predict(x) as tf.Tensor), true)?.dispose();
      for (let i = 0; i < 3; i++) step();
      const tensors = tf.memory().numTensors;
      const buffers = backendDataIds();
      const heap0 = wasmHeapBytes() ?? 0;
      for (let i = 0; i < 40; i++) {
        step();
        heaps.push(wasmHeapBytes() ?? 0);
      }
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backendDataIds()).toBe(buffers);
      // The heap may grow once (allocator warm-up), never step after step.
      const growths = heaps.filter((h, i) => h > (i === 0 ? heap0 : heaps[i - 1])).length;
      expect(growths).toBeLessThanOrEqual(1);
      heaps.length = 0;
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    }
    await tf.setBackend('cpu');
  });
});
