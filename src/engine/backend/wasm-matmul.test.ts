// The wasm BatchMatMul (transposed operands through XNNPACK, inner size 1 and single rows as JS loops) against a
// hand-written triple loop and against the cpu backend, values and gradients, and its memory.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerWasmTrainingKernels } from './wasm-kernels';
import { planMatMul } from './wasm-matmul';
import { liveCounts, maxRelError, seededValues, valuesOn } from './wasm-test-utils';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

/** out = op(A) op(B) for one batch, by the textbook definition (float64 sums). */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (ta ? a[q * m + i] : a[i * k + q]) * (tb ? b[j * k + q] : b[q * n + j]);
      out.push(s);
    }
  return out;
}

interface Case {
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

// The shapes training meets (3D up-conv gradients, the losses' sums and their broadcasts) and the
// neighbours of each rule (single rows with 2, 3, 5 and 20 columns, transposed or batched).
const CASES: Case[] = [
  { a: [300, 24], b: [9, 24], ta: false, tb: true },
  { a: [300, 9], b: [300, 24], ta: true, tb: false },
  { a: [40, 300], b: [24, 40], ta: true, tb: true },
  { a: [1, 70, 16], b: [1, 16, 20], ta: false, tb: false },
  { a: [1, 16, 70], b: [1, 20, 16], ta: true, tb: true },
  { a: [1, 1, 500], b: [1, 1, 2], ta: true, tb: false },
  { a: [500, 1], b: [2, 1], ta: false, tb: true },
  { a: [2, 1, 250], b: [2, 1, 3], ta: true, tb: false },
  { a: [1, 250, 1], b: [3, 1, 4], ta: false, tb: false },
  { a: [3, 250, 1], b: [1, 4], ta: false, tb: false },
  { a: [2, 3, 8, 5], b: [2, 3, 6, 5], ta: false, tb: true },
  { a: [1, 1, 500], b: [1, 500, 2], ta: false, tb: false },
  { a: [1, 500], b: [500, 5], ta: false, tb: false },
  { a: [500, 1], b: [500, 3], ta: true, tb: false },
  { a: [1, 500], b: [3, 500], ta: false, tb: true },
  { a: [1, 500], b: [500, 20], ta: false, tb: false },
  { a: [2, 1, 500], b: [2, 500, 2], ta: false, tb: false },
  { a: [5, 1], b: [1, 7], ta: false, tb: false },
];

function operands(c: Case, seed: number): { va: Float32Array; vb: Float32Array } {
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return { va: seededValues({ size: size(c.a), seed }), vb: seededValues({ size: size(c.b), seed: seed + 1 }) };
}

describe('planMatMul', () => {
  it('reads m, k, n and the broadcast batch, and leaves batches that broadcast both ways alone', () => {
    expect(planMatMul([8192, 32], [8, 32], false, true)).toMatchObject({ m: 8192, k: 32, n: 8, outShape: [8192, 8] });
    expect(planMatMul([1, 1, 9], [1, 1, 2], true, false)).toMatchObject({ m: 9, k: 1, n: 2, outShape: [1, 9, 2] });
    expect(planMatMul([3, 4, 5], [5, 6], false, false)).toMatchObject({ batchA: 3, batchB: 1, outShape: [3, 4, 6] });
    expect(planMatMul([1, 4, 5], [2, 3, 5, 6], false, false)).toMatchObject({ batchA: 1, batchB: 6, outShape: [2, 3, 4, 6] });
    // [2,1] against [3] broadcasts both ways: left to the stock kernel.
    expect(planMatMul([2, 1, 4, 5], [3, 5, 6], false, false)).toBeNull();
  });
});

describe('wasm BatchMatMul', () => {
  it('equals the textbook product and the cpu backend for every transpose, batch and broadcast', async () => {
    await tf.setBackend('wasm');
    let seed = 1;
    for (const c of CASES) {
      const { va, vb } = operands(c, seed);
      seed += 2;
      const make = () => tf.matMul(tf.tensor(va, c.a), tf.tensor(vb, c.b), c.ta, c.tb);
      const got = await valuesOn('wasm', make);
      const p = planMatMul(c.a, c.b, c.ta, c.tb);
      if (p && p.batchA === 1 && p.batchB === 1) {
        const want = reference(va, vb, p.m, p.k, p.n, c.ta, c.tb);
        expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(1e-5);
      }
      expect(maxRelError(got, await valuesOn('cpu', make)), JSON.stringify(c)).toBeLessThan(1e-5);
      const shapeOn = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => make().shape);
      };
      expect(await shapeOn('wasm'), JSON.stringify(c)).toEqual(await shapeOn('cpu'));
    }
    await tf.setBackend('cpu');
  });

  it('an outer product (inner size 1) is each product exactly, in float32', async () => {
    const a = [0.1, -3, 7.25];
    const b = [1e-3, 2];
    const got = await valuesOn('wasm', () => tf.matMul(tf.tensor(a, [1, 1, 3]), tf.tensor(b, [1, 1, 2]), true, false));
    expect(Array.from(got)).toEqual(a.flatMap((x) => b.map((y) => Math.fround(Math.fround(x) * Math.fround(y)))));
    await tf.setBackend('cpu');
  });

  it("gradients through transposed products (the up-conv's and the losses') equal cpu's", async () => {
    const shapes: [number[], number[], boolean, boolean][] = [
      [[200, 12], [12, 20], false, false],
      [[1, 1, 300], [1, 300, 2], false, false],
      [[12, 200], [20, 12], true, true],
    ];
    let seed = 50;
    for (const [sa, sb, ta, tb] of shapes) {
      const { va, vb } = operands({ a: sa, b: sb, ta, tb }, seed);
      seed += 2;
      const grads = (wrt: 0 | 1) => () => {
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, ta, tb)));
        return tf.grads(f)([tf.tensor(va, sa), tf.tensor(vb, sb)])[wrt];
      };
      for (const wrt of [0, 1] as const) {
        const err = maxRelError(await valuesOn('wasm', grads(wrt)), await valuesOn('cpu', grads(wrt)));
        expect(err, `${sa} ${sb} ${ta} ${tb} wrt ${wrt}`).toBeLessThan(1e-5);
      }
    }
    await tf.setBackend('cpu');
  });

  it('frees every intermediate', async () => {
    await tf.setBackend('wasm');
    const xs = CASES.map((c, i) => {
      const { va, vb } = operands(c, 200 + 2 * i);
      return { c, a: tf.tensor(va, c.a), b: tf.tensor(vb, c.b) };
    });
    const run = () => tf.tidy(() => xs.map(({ c, a, b }) => tf.sum(tf.matMul(a, b, c.ta, c.tb))).reduce((s, t) => s.add(t)));
    run().dispose();
    const before = liveCounts();
    for (let i = 0; i < 3; i++) run().dispose();
    expect(liveCounts()).toEqual(before);
    for (const x of xs) tf.dispose([x.a, x.b]);
    await tf.setBackend('cpu');
  });
});
