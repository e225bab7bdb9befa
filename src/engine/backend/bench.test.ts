// npm run bench's measurement in Node (real tfjs wasm): both networks train, the loops leave no tensors behind.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createToySource } from '../train/toy-source';
import { runBenchmark } from './bench';

describe('runBenchmark', () => {
  it('times the reference net and the 3D U-Net through the engine and a bare loop, without leaks', async () => {
    for (const [network, size] of [
      ['unet2d', 16],
      ['unet3d', 8],
    ] as const) {
      const r = await runBenchmark({ backend: 'wasm', network, size, batch: 1, steps: 2, budgetMs: 1000, wasmThreads: false });
      expect(r).toMatchObject({ available: true, network, size, batch: 1 });
      expect(r.params).toBeGreaterThan(1000);
      expect(r.engine!.stepsMs.length).toBeGreaterThanOrEqual(2);
      expect(r.bare!.median).toBeGreaterThan(0);
      expect(r.tensorsAfter).toBe(r.tensorsBefore);
    }
  });

  it('profileSteps: each kernel of a step by name, longest first, within the profiled step', async () => {
    const r = await runBenchmark({
      backend: 'wasm',
      size: 16,
      batch: 1,
      steps: 2,
      budgetMs: 1000,
      wasmThreads: false,
      profileSteps: 2,
    });
    const ks = r.kernels!;
    const names = ks.map((k) => k.name);
    // The reference net's forward convs and both of their gradients run every step.
    for (const name of ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']) expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
    for (let i = 1; i < ks.length; i++) expect(ks[i].msPerStep).toBeLessThanOrEqual(ks[i - 1].msPerStep);
    expect(ks.find((k) => k.name === 'Conv2D')!.callsPerStep).toBeGreaterThanOrEqual(1);
    // The loss is a custom-gradient op: listed, flagged as including its kernels, and left out of the sum.
    const custom = ks.filter((k) => k.inclusive);
    expect(custom.length).toBeGreaterThan(0);
    for (const k of custom) expect(tf.getKernel(k.name, 'wasm')).toBeUndefined();
    for (const k of ks.filter((k) => !k.inclusive)) expect(tf.getKernel(k.name, 'wasm')).toBeDefined();
    const inKernels = ks.reduce((a, k) => a + (k.inclusive ? 0 : k.msPerStep), 0);
    expect(inKernels).toBeGreaterThan(0);
    expect(inKernels).toBeLessThanOrEqual(r.profiledStepMs!);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
  });

  it("the toy task's 3D batches are cubes with one-hot labels", () => {
    const b = createToySource({ size: 8, batch: 2, channels: 3, dims: 3 }).trainBatch(1);
    expect(b.xShape).toEqual([2, 8, 8, 8, 3]);
    expect(b.yShape).toEqual([2, 8, 8, 8, 2]);
    for (let i = 0; i < b.y.length; i += 2) expect(b.y[i] + b.y[i + 1]).toBe(1);
    const fg = b.y.filter((_, i) => i % 2 === 1).reduce((a, v) => a + v, 0);
    expect(fg).toBeGreaterThan(0);
    expect(fg).toBeLessThan(2 * 8 ** 3);
  });
});
