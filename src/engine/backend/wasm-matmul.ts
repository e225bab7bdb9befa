// BatchMatMul for training on wasm. Stock wasm sends a product to XNNPACK only when neither operand
// is transposed and the batch is 1; otherwise a naive loop runs (the 3D up-conv's gradients,
// [8192,32] x [8,32]^T: ~2 ms against ~0.4 ms transposed first). XNNPACK itself is slow on products
// of inner size 1 (the losses' [65536,1] x [1,2] outer products: ~1.0 ms, ~0.6 ms as a JS loop).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import { asWasm, detach, reshape, transpose, type WasmBackend, withScope } from './wasm-kernel-ops';
import { stockKernel } from './wasm-layout';

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

/** out[t] = op(A[t]) op(B[t]) when the inner size is 1: one multiply per output, no sum. */
function outerProduct(backend: WasmBackend, a: TensorInfo, b: TensorInfo, p: Plan) {
  const out = backend.makeOutput(p.outShape, 'float32');
  // Views after makeOutput: a malloc may grow (and detach) the heap.
  const av = backend.typedArrayFromHeap(a) as Float32Array;
  const bv = backend.typedArrayFromHeap(b) as Float32Array;
  const ov = backend.typedArrayFromHeap(out) as Float32Array;
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
  if (!(ta || tb) || p.batchA !== 1 || p.batchB !== 1) return stockKernel('BatchMatMul').kernelFunc(args);
  // Batch 1 with a transposed operand: transpose it on the heap, then XNNPACK's plain product.
  return withScope(backend, (s) => {
    const inputs = { a: plain(s, a, ta, p.m, p.k), b: plain(s, b, tb, p.k, p.n) };
    const attrs = { transposeA: false, transposeB: false };
    const out = s.track(stockKernel('BatchMatMul').kernelFunc({ inputs, backend, attrs }) as TensorInfo);
    return detach(s, reshape(s, out, p.outShape));
  });
};

export const matMulKernels: KernelConfig[] = [{ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul }];
