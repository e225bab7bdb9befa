// Slice, SplitV, Concat, Tile and the axis-merging reductions registered for wasm, against the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerWasmTrainingKernels } from './wasm-kernels';
import { mergeTranspose } from './wasm-kernel-ops';
import { mergeReduction } from './wasm-layout';
import { backendDataIds, liveCounts, maxRelError, seededValues, valuesOn } from './wasm-test-utils';

let seed = 100;
function input(shape: number[]): () => tf.Tensor {
  const v = seededValues({ size: shape.reduce((a, b) => a * b, 1), seed: seed++ });
  return () => tf.tensor(v, shape);
}

async function worstError(cases: Array<() => tf.Tensor>): Promise<number> {
  let worst = 0;
  for (const make of cases) {
    const err = maxRelError(await valuesOn('wasm', make), await valuesOn('cpu', make));
    worst = Number.isNaN(err) ? Number.POSITIVE_INFINITY : Math.max(worst, err);
  }
  await tf.setBackend('cpu');
  return worst;
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

describe('mergeReduction', () => {
  it('merges runs of reduced and of kept axes and drops size-1 axes', () => {
    expect(mergeReduction([2, 8, 8, 8, 4], [0, 1, 2, 3])).toEqual({ shape: [1024, 4], axes: [0] });
    expect(mergeReduction([2, 1, 8, 3], [0, 2])).toEqual({ shape: [16, 3], axes: [0] });
    expect(mergeReduction([2, 3, 4], [1])).toEqual({ shape: [2, 3, 4], axes: [1] });
    expect(mergeReduction([5, 6], [0, 1])).toEqual({ shape: [30], axes: [0] });
  });
});

/** Plain transpose of a flat array: out[i_0..] = x[i_perm...], by index arithmetic. */
function naiveTranspose(x: number[], shape: number[], perm: number[]): number[] {
  const out = new Array<number>(x.length);
  const outShape = perm.map((a) => shape[a]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let o = 0; o < x.length; o++) {
    let rest = o;
    let src = 0;
    for (let i = outShape.length - 1; i >= 0; i--) {
      src += (rest % outShape[i]) * strides[perm[i]];
      rest = Math.floor(rest / outShape[i]);
    }
    out[o] = x[src];
  }
  return out;
}

describe('mergeTranspose', () => {
  it('the merged permutation moves every value where the full one does (size-1 axes, runs, identity)', () => {
    const cases: [number[], number[]][] = [
      [
        [4, 6, 5, 3],
        [3, 1, 2, 0],
      ],
      [
        [4, 6, 5, 3],
        [1, 2, 0, 3],
      ],
      [
        [2, 1, 3, 1, 4],
        [4, 0, 2, 1, 3],
      ],
      [
        [2, 3, 4],
        [0, 1, 2],
      ],
      [
        [1, 1],
        [1, 0],
      ],
      [
        [2, 3, 4, 5, 2],
        [2, 3, 4, 0, 1],
      ],
      [
        [3, 2, 2, 3],
        [0, 2, 1, 3],
      ],
    ];
    for (const [shape, perm] of cases) {
      const x = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      const m = mergeTranspose(shape, perm);
      expect(m.shape.reduce((a, b) => a * b, 1)).toBe(x.length);
      expect(naiveTranspose(x, m.shape, m.perm)).toEqual(naiveTranspose(x, shape, perm));
    }
    expect(mergeTranspose([4, 64, 64, 8], [3, 1, 2, 0])).toEqual({ shape: [4, 4096, 8], perm: [2, 1, 0] });
    expect(mergeTranspose([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
  });
});

describe('wasm layout kernels vs cpu', () => {
  it('Slice over ranks 1-6, with -1 sizes', async () => {
    const cases: Array<() => tf.Tensor> = [];
    const shapes = [[7], [5, 6], [4, 5, 6], [2, 5, 6, 3], [2, 5, 6, 7, 3], [2, 3, 4, 3, 2, 3]];
    for (const shape of shapes) {
      const x = input(shape);
      const begin = shape.map((d, i) => (i % 2 ? 1 : 0) % d);
      const size = shape.map((d, i) => (i === shape.length - 1 ? -1 : Math.max(1, d - begin[i] - (i % 3))));
      cases.push(() => tf.slice(x(), begin, size));
      cases.push(() => tf.slice(x(), new Array(shape.length).fill(0), shape)); // whole tensor
    }
    const worst = await worstError(cases);
    console.log(`Slice: ${cases.length} cases, max rel error ${worst.toExponential(2)}`);
    expect(worst).toBe(0);
  });

  it('SplitV (concat gradients) on rank 4 and 5 along every axis', async () => {
    const cases: Array<() => tf.Tensor> = [];
    for (const shape of [
      [2, 6, 5, 4],
      [2, 4, 6, 5, 6],
    ])
      for (let axis = 0; axis < shape.length; axis++) {
        const x = input(shape);
        const first = Math.max(1, Math.floor(shape[axis] / 3));
        // Concatenate the pieces back in reverse, so every piece's values and place are checked.
        cases.push(() => tf.concat(tf.split(x(), [first, shape[axis] - first], axis).reverse(), axis));
        // Equal pieces (the U-Net's skip concat and its gradient): each piece on its own, and back in reverse.
        for (const k of [2, 3])
          if (shape[axis] % k === 0) {
            cases.push(() => tf.stack(tf.split(x(), k, axis)));
            cases.push(() => tf.concat(tf.split(x(), k, axis).reverse(), axis));
          }
      }
    const worst = await worstError(cases);
    console.log(`SplitV: ${cases.length} cases, max rel error ${worst.toExponential(2)}`);
    expect(worst).toBe(0);
  });

  it('Concat of 2-4 inputs (empty ones, narrow and wide rows, float, int and bool) on ranks 1-5 along every axis', async () => {
    const cases: Array<() => tf.Tensor> = [];
    for (const shape of [[6], [3, 40], [2, 5, 3], [2, 6, 5, 4], [2, 3, 4, 5, 3]])
      for (let axis = 0; axis < shape.length; axis++) {
        const widths = [1, shape[axis], 0, 2];
        const parts = widths.map((w) => input(shape.map((d, i) => (i === axis ? w : d))));
        cases.push(() =>
          tf.concat(
            parts.map((p) => p()),
            axis,
          ),
        );
        cases.push(() => tf.concat([parts[1](), parts[3]()], axis));
        cases.push(() =>
          tf.cast(tf.concat([tf.cast(tf.mul(parts[0](), 10), 'int32'), tf.cast(parts[1](), 'int32')], axis), 'float32'),
        );
        cases.push(() => tf.cast(tf.concat([tf.greater(parts[3](), 0), tf.greater(parts[1](), 0)], axis), 'float32'));
      }
    const worst = await worstError(cases);
    console.log(`Concat: ${cases.length} cases, max rel error ${worst.toExponential(2)}`);
    expect(worst).toBe(0);
  });

  it('Concat along channels is each input in its columns, row by row (a hand-built reference)', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const b = tf.tensor(
      Array.from({ length: 3 * 40 }, (_, i) => 100 + i),
      [3, 40],
    );
    const got = Array.from(await tf.concat([a, b, a], 1).data());
    const want: number[] = [];
    for (let r = 0; r < 3; r++)
      want.push(1 + 2 * r, 2 + 2 * r, ...Array.from({ length: 40 }, (_, i) => 100 + 40 * r + i), 1 + 2 * r, 2 + 2 * r);
    expect(got).toEqual(want);
    tf.dispose([a, b]);
    await tf.setBackend('cpu');
  });

  it("Tile over ranks 1-5 (float, int and bool), including batch norm's [1,1,1,C] -> [B,H,W,C]", async () => {
    const cases: Array<() => tf.Tensor> = [];
    const plans: Array<[number[], number[]]> = [
      [[5], [3]],
      [
        [2, 3],
        [3, 1],
      ],
      [
        [2, 3],
        [1, 4],
      ],
      [
        [1, 1, 1, 8],
        [4, 6, 5, 1],
      ],
      [
        [2, 1, 3, 2],
        [2, 3, 1, 2],
      ],
      [
        [2, 3, 1, 2, 2],
        [1, 2, 3, 1, 2],
      ],
    ];
    for (const [shape, reps] of plans) {
      const x = input(shape);
      cases.push(() => tf.tile(x(), reps));
      cases.push(() => tf.cast(tf.tile(tf.cast(tf.mul(x(), 10), 'int32'), reps), 'float32'));
      cases.push(() => tf.cast(tf.tile(tf.greater(x(), 0), reps), 'float32'));
    }
    const worst = await worstError(cases);
    console.log(`Tile: ${cases.length} cases, max rel error ${worst.toExponential(2)}`);
    expect(worst).toBe(0);
  });

  it('Sum, Mean, Max, Min, Prod over merged axes, with and without keepDims', async () => {
    const cases: Array<() => tf.Tensor> = [];
    const axesSets = [[0, 1, 2, 3], [1, 2, 3], [0, 4], [2], [0, 1, 2, 3, 4], [1, 3]];
    for (const shape of [
      [2, 3, 4, 5, 2],
      [1, 3, 1, 5, 4],
    ])
      for (const axes of axesSets)
        for (const keepDims of [false, true]) {
          const x = input(shape);
          cases.push(() => tf.sum(x(), axes, keepDims));
          cases.push(() => tf.mean(x(), axes, keepDims));
          cases.push(() => tf.max(x(), axes, keepDims));
          cases.push(() => tf.min(x(), axes, keepDims));
          cases.push(() => tf.prod(tf.add(x(), 1.5), axes, keepDims));
        }
    const worst = await worstError(cases);
    console.log(`reductions: ${cases.length} cases, max rel error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(2e-5);
  });

  it('Sum and Mean over the leading axes (bias gradients): every channel count, exactly the float64 column sums', async () => {
    await tf.setBackend('wasm');
    // (One channel merges to a plain 1D sum: the stock kernel's, tested above.)
    for (const c of [2, 3, 4, 5, 8, 13, 32]) {
      const shape = [3, 7, 5, c];
      const v = Float32Array.from(seededValues({ size: 105 * c, seed: c }));
      const x = tf.tensor(v, shape);
      const sums = Array.from({ length: c }, (_, k) => {
        let a = 0;
        for (let r = 0; r < 105; r++) a += v[r * c + k];
        return a;
      });
      expect(Array.from(await tf.sum(x, [0, 1, 2]).data())).toEqual(sums.map(Math.fround));
      expect(Array.from(await tf.mean(x, [0, 1, 2]).data())).toEqual(sums.map((a) => Math.fround(a / 105)));
      x.dispose();
    }
    await tf.setBackend('cpu');
  });

  it('Identity (what tfjs saves for the backward pass) shares the data: no copy, and each reference outlives the other', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(seededValues({ size: 24, seed: 3 }), [2, 3, 4]);
    const want = Array.from(await x.data());
    const buffers = backendDataIds();
    const y = tf.clone(x);
    expect(backendDataIds()).toBe(buffers);
    expect(y.shape).toEqual([2, 3, 4]);
    x.dispose();
    expect(Array.from(await y.data())).toEqual(want);
    y.dispose();
    expect(backendDataIds()).toBe(buffers - 1);
    // A cast to the same dtype shares too; a real cast converts.
    const f = tf.tensor([1.5, -2, 0], [3]);
    const before = backendDataIds();
    const same = tf.cast(f, 'float32');
    expect(backendDataIds()).toBe(before);
    const ints = tf.cast(f, 'int32');
    expect(backendDataIds()).toBe(before + 1);
    expect(Array.from(await ints.data())).toEqual([1, -2, 0]);
    expect(Array.from(await tf.cast(ints, 'bool').data())).toEqual([1, 1, 0]);
    // To bool is x != 0, as on cpu (stock wasm kept the low byte: -2 gave 254).
    const odd = () => tf.tensor([0.5, -0.25, 0, Number.NaN, -256], [5]);
    expect(Array.from(await tf.cast(odd(), 'bool').data())).toEqual([1, 1, 0, 1, 1]);
    expect(Array.from(await valuesOn('wasm', () => tf.cast(odd(), 'bool')))).toEqual(
      Array.from(await valuesOn('cpu', () => tf.cast(odd(), 'bool'))),
    );
    await tf.setBackend('wasm');
    tf.dispose([f, same, ints]);
    await tf.setBackend('cpu');
  });

  it('frees every intermediate', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(seededValues({ size: 2 * 4 * 6 * 5 * 6, seed: 1 }), [2, 4, 6, 5, 6]);
    const run = () =>
      tf.tidy(() =>
        tf.addN([
          tf.sum(tf.concat(tf.split(x, [2, 4], 4), 4), [0, 1, 2, 3]),
          tf.sum(tf.concat(tf.split(x, 2, 4), 4), [0, 1, 2, 3]),
          tf.max(x, [0, 1, 2, 3]),
        ]),
      );
    run().dispose();
    const before = liveCounts();
    for (let i = 0; i < 3; i++) run().dispose();
    expect(liveCounts()).toEqual(before);
    x.dispose();
    await tf.setBackend('cpu');
  });
});
