// BatchMatMul for training on wasm. Stock wasm sends a product to XNNPACK only when neither operand
// is transposed and the batch is 1; otherwise a naive loop runs (the 3D up-conv's gradients,
// [8192,32] x [8,32]^T: ~2 ms against ~0.4 ms transposed first). And XNNPACK packs all of B on every
// call with a new B, which for one output row or an inner size of 1 costs more than the product (the
// losses' sums over voxels and their outer-product gradients): those run as JS loops.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import { asWasm, detach, reshape, transpose, type WasmBackend, withScope } from './wasm-kernel-ops';
import { stockKernel } from './wasm-layout';

/** Single-row products with at most this many outputs run as a JS loop (more: XNNPACK's packing pays off). */
export const ROW_PRODUCT_MAX_N = 16;

interface Plan {
  batchA: number;
  batchB: number;
  m: number;
  k: number;
  n: number;
  outShape: number[];
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The product's sizes, or null where the batch dims broadcast other than one-against-many. */
export function planMatMul(a: readonly number[], b: readonly number[], ta: boolean, tb: boolean): Plan | null {
  const ra = a.length;
  const rb = b.length;
  const m = ta ? a[ra - 1] : a[ra - 2];
  const k = ta ? a[ra - 2] : a[ra - 1];
  const n = tb ? b[rb - 2] : b[rb - 1];
  const batchA = prod(a.slice(0, -2));
  const batchB = prod(b.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const outerA = a.slice(0, -2);
  const outerB = b.slice(0, -2);
  const outer = (outerA.length >= outerB.length ? outerA : outerB).map((_, i, longer) => {
    const da = outerA[i - (longer.length - outerA.length)] ?? 1;
    const db = outerB[i - (longer.length - outerB.length)] ?? 1;
    return Math.max(da, db);
  });
  if (prod(outer) !== Math.max(batchA, batchB)) return null;
  return { batchA, batchB, m, k, n, outShape: [...outer, m, n] };
}

/** A float32 output and views of both operands and of it (views after the malloc: it may grow the heap). */
function withOutput(backend: WasmBackend, a: TensorInfo, b: TensorInfo, shape: number[]) {
  const out = backend.makeOutput(shape, 'float32');
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  return { out, av: view(a), bv: view(b), ov: view(out) };
}

/** out[t] = op(A[t]) op(B[t]) when the inner size is 1: one multiply per output, no sum. */
function outerProduct(backend: WasmBackend, a: TensorInfo, b: TensorInfo, p: Plan) {
  const { out, av, bv, ov } = withOutput(backend, a, b, p.outShape);
  const { m, n } = p;
  // With k = 1 a transpose moves nothing: op(A) is A's m values in order, op(B) B's n values.
  for (let t = 0; t < Math.max(p.batchA, p.batchB); t++) {
    const aOff = p.batchA === 1 ? 0 : t * m;
    const bOff = p.batchB === 1 ? 0 : t * n;
    for (let i = 0, o = t * m * n; i < m; i++, o += n) {
      const ai = av[aOff + i];
      for (let j = 0; j < n; j++) ov[o + j] = ai * bv[bOff + j];
    }
  }
  return out;
}

/**
 * a B for a single row a and a plain B (the losses' sums over voxels, [1,M] x [M,C]): stock wasm
 * sends it to XNNPACK, which packs all of B for one output row (~0.7 ms for [65536,2], ~0.2 ms here).
 * Sums in float64.
 */
function rowProduct(backend: WasmBackend, a: TensorInfo, b: TensorInfo, p: Plan) {
  // (Batch 1, so no batch offsets.)
  const { out, av, bv, ov } = withOutput(backend, a, b, p.outShape);
  const { k, n } = p;
  if (n === 2) {
    // The two-class case in locals (an array accumulator costs a load and a store per element).
    let s0 = 0;
    let s1 = 0;
    for (let q = 0, o = 0; q < k; q++, o += 2) {
      const aq = av[q];
      s0 += aq * bv[o];
      s1 += aq * bv[o + 1];
    }
    ov[0] = s0;
    ov[1] = s1;
    return out;
  }
  const acc = new Float64Array(n);
  for (let q = 0, o = 0; q < k; q++, o += n) {
    const aq = av[q];
    for (let j = 0; j < n; j++) acc[j] += aq * bv[o + j];
  }
  ov.set(acc);
  return out;
}

/** The plain 2D operand XNNPACK takes: op(x) as a row-major [rows, cols] tensor. */
function plain(s: Parameters<typeof reshape>[0], x: TensorInfo, transposed: boolean, rows: number, cols: number) {
  return transposed ? transpose(s, reshape(s, x, [cols, rows]), [1, 0]) : reshape(s, x, [rows, cols]);
}

const batchMatMul: KernelFunc = (args) => {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA: ta, transposeB: tb } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const p = a.dtype === 'float32' && b.dtype === 'float32' ? planMatMul(a.shape, b.shape, ta, tb) : null;
  if (!p || p.m * p.n * p.k === 0) return stockKernel('BatchMatMul').kernelFunc(args);
  const backend = asWasm(args.backend);
  if (p.k === 1) return outerProduct(backend, a, b, p);
  // Batched products, and single rows against a transposed B (dot products of contiguous runs), run
  // stock wasm's loop, which is fast for them.
  if (p.batchA !== 1 || p.batchB !== 1 || (p.m === 1 && tb)) return stockKernel('BatchMatMul').kernelFunc(args);
  // With one row, a transposed A is the same memory as a plain one.
  if (p.m === 1 && p.n <= ROW_PRODUCT_MAX_N) return rowProduct(backend, a, b, p);
  if (!(ta || tb)) return stockKernel('BatchMatMul').kernelFunc(args);
  // Batch 1 with a transposed operand: transpose it on the heap, then XNNPACK's plain product.
  return withScope(backend, (s) => {
    const inputs = { a: plain(s, a, ta, p.m, p.k), b: plain(s, b, tb, p.k, p.n) };
    const attrs = { transposeA: false, transposeB: false };
    const out = s.track(stockKernel('BatchMatMul').kernelFunc({ inputs, backend, attrs }) as TensorInfo);
    return detach(s, reshape(s, out, p.outShape));
  });
};

export const matMulKernels: KernelConfig[] = [{ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul }];
