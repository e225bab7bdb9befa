// Layout kernels that dominate training steps on stock wasm: Slice/SplitV above rank 4 fall back
// to a per-element JS loop (~1 s per step for the 3D U-Net's concat gradients), reductions over all
// but the channel axis transpose rank-5 tensors the slow way, Tile copies element by element and
// Concat takes a subarray per row; Identity copies the tensor, and tfjs clones (Identity) every tensor
// it saves for the backward pass (~2 ms per 2D U-Net step).
// Here slices and tiles are memcpy runs on the heap, reductions first merge neighbouring axes, then
// call the stock kernel, and Identity shares the data as cpu's and webgl's do (no kernel writes its inputs).
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs';

import { asWasm, crop, detach, reshape, transpose, type WasmBackend, withScope } from './wasm-kernel-ops';

// Stock kernels our wrappers delegate to, recorded by registerWasmTrainingKernels.
const stock = new Map<string, KernelConfig>();

export function rememberStockKernel(config: KernelConfig): void {
  stock.set(config.kernelName, config);
}

export function stockKernel(name: string): KernelConfig {
  const k = stock.get(name);
  if (!k) throw new Error(`stock wasm kernel ${name} was not recorded`);
  return k;
}

const slice: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') return stockKernel('Slice').kernelFunc(args);
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  const [b, s] = slice_util.parseSliceParams(x, begin, size);
  return withScope(asWasm(args.backend), (sc) => detach(sc, crop(sc, x, b, s)));
};

const splitV: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') return stockKernel('SplitV').kernelFunc(args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const ax = util.parseAxisParam(axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
  const width = sizes[0] * util.sizeFromShape(x.shape.slice(ax + 1));
  if (x.dtype === 'float32' && sizes.length > 1 && sizes.every((n) => n === sizes[0]) && width > 0 && width < 32)
    return splitEqualNarrow(asWasm(args.backend), x, ax, sizes.length);
  return withScope(asWasm(args.backend), (sc) => {
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[ax] = n;
      const piece = detach(sc, crop(sc, x, begin, size));
      begin[ax] += n;
      return piece;
    });
  });
};

/**
 * A split into k equal pieces whose rows (the piece's part of each outer index) are short: one
 * transpose [outer, k, w] -> [k, outer, w] in wasm, then each piece is one contiguous copy (the row by
 * row copy costs ~3 ns a value in JS, the transpose ~1).
 */
function splitEqualNarrow(backend: WasmBackend, x: TensorInfo, ax: number, k: number): TensorInfo[] {
  const outer = util.sizeFromShape(x.shape.slice(0, ax));
  const size = util.sizeFromShape(x.shape) / k;
  const pieceShape = [...x.shape];
  pieceShape[ax] = x.shape[ax] / k;
  return withScope(backend, (sc) => {
    const t = transpose(sc, reshape(sc, x, [outer, k, size / outer]), [1, 0, 2]);
    const pieces = Array.from({ length: k }, () => backend.makeOutput([...pieceShape], 'float32'));
    // Views after every makeOutput: a malloc may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(t);
    for (const [j, p] of pieces.entries()) backend.typedArrayFromHeap(p).set(src.subarray(j * size, (j + 1) * size));
    return pieces;
  });
}

/**
 * Concat on the heap: each input's rows copied into their columns, short rows (channel concats of a
 * U-Net's skips) element by element (stock wasm takes a subarray per row: ~2 ms per skip at 64x64).
 */
const concat: KernelFunc = (args) => {
  const inputs = args.inputs as unknown as TensorInfo[];
  const given = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (inputs[0].dtype === 'string' || given.length < 2) return stockKernel('Concat').kernelFunc(args);
  const axis = util.parseAxisParam((args.attrs as unknown as { axis: number }).axis, inputs[0].shape)[0];
  backend_util.assertParamsConsistent(
    inputs.map((t) => t.shape),
    axis,
  );
  const backend = asWasm(args.backend);
  const w = util.sizeFromShape(given[0].shape.slice(axis));
  const equal = given.every((t) => t.dtype === 'float32' && util.sizeFromShape(t.shape.slice(axis)) === w);
  if (equal && w < 32) return concatEqualNarrow(backend, given, axis);
  const out = backend.makeOutput(
    backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      axis,
    ),
    inputs[0].dtype,
  );
  // Views are taken after makeOutput: a malloc may grow (and detach) the heap.
  const dst = backend.typedArrayFromHeap(out);
  const outer = util.sizeFromShape(given[0].shape.slice(0, axis));
  const widths = given.map((t) => util.sizeFromShape(t.shape.slice(axis)));
  const total = widths.reduce((a, b) => a + b, 0);
  let column = 0;
  given.forEach((t, k) => {
    const src = backend.typedArrayFromHeap(t);
    const n = widths[k];
    if (n >= 32) for (let b = 0; b < outer; b++) dst.set(src.subarray(b * n, b * n + n), b * total + column);
    else if (src instanceof Float32Array && dst instanceof Float32Array) copyColumnsF32(src, dst, outer, n, total, column);
    else copyColumns(src, dst, outer, n, total, column);
    column += n;
  });
  return out;
};

/** Concat of k inputs with equal short rows: stacked [k, outer, w] by contiguous copies, then one wasm transpose. */
function concatEqualNarrow(backend: WasmBackend, given: TensorInfo[], axis: number): TensorInfo {
  const outShape = backend_util.computeOutShape(
    given.map((t) => t.shape),
    axis,
  );
  const size = util.sizeFromShape(given[0].shape);
  const outer = util.sizeFromShape(given[0].shape.slice(0, axis));
  return withScope(backend, (sc) => {
    const stacked = sc.track(backend.makeOutput([given.length, outer, size / outer], 'float32'));
    const dst = backend.typedArrayFromHeap(stacked);
    for (const [k, t] of given.entries()) dst.set(backend.typedArrayFromHeap(t), k * size);
    return detach(sc, reshape(sc, transpose(sc, stacked, [1, 0, 2]), outShape));
  });
}

/** Rows of `n` values into columns [column, column + n) of rows `total` wide (one element type per copy keeps V8's loads monomorphic). */
function copyColumnsF32(src: Float32Array, dst: Float32Array, outer: number, n: number, total: number, column: number): void {
  for (let b = 0, from = 0, to = column; b < outer; b++, to += total) for (let i = 0; i < n; i++) dst[to + i] = src[from++];
}

function copyColumns(
  src: backend_util.TypedArray,
  dst: backend_util.TypedArray,
  outer: number,
  n: number,
  total: number,
  column: number,
): void {
  for (let b = 0, from = 0, to = column; b < outer; b++, to += total) for (let i = 0; i < n; i++) dst[to + i] = src[from++];
}

/**
 * Tile in place on the heap, innermost axis first: each block is copied once, then doubled with
 * copyWithin (stock wasm Tile walks elements one by one; batch norm's gradient tiles [C] to [B,H,W,C]).
 */
const tile: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') return stockKernel('Tile').kernelFunc(args);
  const { reps } = args.attrs as unknown as { reps: number[] };
  const backend = asWasm(args.backend);
  const shape = [...x.shape];
  const out = backend.makeOutput(
    shape.map((d, i) => d * reps[i]),
    x.dtype,
  );
  if (util.sizeFromShape(out.shape) === 0) return out;
  const dst = backend.typedArrayFromHeap(out);
  dst.set(backend.typedArrayFromHeap(x));
  for (let d = shape.length - 1; d >= 0; d--) {
    const r = reps[d];
    if (r === 1) continue;
    const outer = util.sizeFromShape(shape.slice(0, d));
    const block = util.sizeFromShape(shape.slice(d));
    const span = block * r;
    // Last block first: its new place never overlaps an earlier block not yet moved.
    for (let o = outer - 1; o >= 0; o--) {
      const start = o * span;
      if (o > 0) dst.copyWithin(start, o * block, o * block + block);
      for (let filled = block; filled < span; filled *= 2)
        dst.copyWithin(start + filled, start, start + Math.min(filled, span - filled));
    }
    shape[d] *= r;
  }
  return out;
};

/**
 * Merges neighbouring axes that are both reduced or both kept (size-1 axes dropped), so the stock
 * kernel sees rank <= 3 and transposes, if at all, in 2D.
 */
export function mergeReduction(shape: number[], axes: number[]): { shape: number[]; axes: number[] } {
  const reduced = new Set(axes);
  const merged: number[] = [];
  const mergedAxes: number[] = [];
  let last: boolean | null = null;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const r = reduced.has(i);
    if (r === last) merged[merged.length - 1] *= shape[i];
    else {
      merged.push(shape[i]);
      if (r) mergedAxes.push(merged.length - 1);
      last = r;
    }
  }
  return { shape: merged, axes: mergedAxes };
}

/**
 * Column sums of a [n, c] float32 block in float64, divided by n for a mean (bias/BN gradients). Eight
 * (then four, two, one) columns at a time in locals (an array accumulator costs a load and a store per
 * element); each column is still summed row by row in float64, so the sums are the same.
 */
function columnSums(backend: WasmBackend, x: TensorInfo, n: number, c: number, mean: boolean, outShape: number[]) {
  const out = backend.makeOutput(outShape, 'float32');
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const total = n * c;
  let k = 0;
  for (; k + 8 <= c; k += 8) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let o = k; o < total; o += c) {
      a0 += src[o];
      a1 += src[o + 1];
      a2 += src[o + 2];
      a3 += src[o + 3];
      a4 += src[o + 4];
      a5 += src[o + 5];
      a6 += src[o + 6];
      a7 += src[o + 7];
    }
    const sums = [a0, a1, a2, a3, a4, a5, a6, a7];
    for (let j = 0; j < 8; j++) dst[k + j] = mean ? sums[j] / n : sums[j];
  }
  for (; k + 4 <= c; k += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let o = k; o < total; o += c) {
      a0 += src[o];
      a1 += src[o + 1];
      a2 += src[o + 2];
      a3 += src[o + 3];
    }
    dst[k] = mean ? a0 / n : a0;
    dst[k + 1] = mean ? a1 / n : a1;
    dst[k + 2] = mean ? a2 / n : a2;
    dst[k + 3] = mean ? a3 / n : a3;
  }
  if (k + 2 <= c) {
    let a0 = 0;
    let a1 = 0;
    for (let o = k; o < total; o += c) {
      a0 += src[o];
      a1 += src[o + 1];
    }
    dst[k] = mean ? a0 / n : a0;
    dst[k + 1] = mean ? a1 / n : a1;
    k += 2;
  }
  for (; k < c; k++) {
    let a = 0;
    for (let o = k; o < total; o += c) a += src[o];
    dst[k] = mean ? a / n : a;
  }
  return out;
}

/** Identity without a copy: a new reference to the same data (tfjs tensors are never written in place). */
const identity: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') return stockKernel('Identity').kernelFunc(args);
  asWasm(args.backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

/**
 * Cast to the dtype a tensor already has is an Identity (stock wasm copies it; the losses cast ~20 times a
 * step). To bool it is x != 0, as on cpu (stock wasm copies the low byte: -2 became 254).
 */
const cast: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  const { dtype } = args.attrs as unknown as { dtype: string };
  if (dtype === x.dtype) return identity(args);
  if (dtype !== 'bool' || x.dtype === 'string' || x.dtype === 'complex64') return stockKernel('Cast').kernelFunc(args);
  const backend = asWasm(args.backend);
  const out = backend.makeOutput([...x.shape], 'bool');
  // Views after makeOutput: a malloc may grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  return out;
};

function reduction(name: string): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    // Max names its axes `reductionIndices`, the other reductions `axis`.
    const given = args.attrs ?? {};
    const key = 'reductionIndices' in given ? 'reductionIndices' : 'axis';
    const keepDims = given.keepDims as boolean;
    const axes = util.parseAxisParam(given[key] as number | number[], x.shape);
    const plan = mergeReduction(x.shape, axes);
    const kernel = stockKernel(name);
    if (plan.axes.length === 0 || util.sizeFromShape(x.shape) === 0) return kernel.kernelFunc(args);
    const outShape = x.shape.flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
    // Reducing leading axes to the channels: one pass on the heap (stock: a transpose, then a sum).
    const leading = plan.shape.length === 2 && plan.axes[0] === 0 && x.dtype === 'float32';
    if (leading && (name === 'Sum' || name === 'Mean')) {
      return columnSums(asWasm(args.backend), x, plan.shape[0], plan.shape[1], name === 'Mean', outShape);
    }
    if (plan.shape.length === x.shape.length) return kernel.kernelFunc(args);
    return withScope(asWasm(args.backend), (sc) => {
      const attrs = { ...given, [key]: plan.axes, keepDims: false } as NamedAttrMap;
      const out = sc.track(kernel.kernelFunc({ ...args, inputs: { x: reshape(sc, x, plan.shape) }, attrs }) as TensorInfo);
      return detach(sc, reshape(sc, out, outShape));
    });
  };
}

export const REDUCTIONS = ['Sum', 'Mean', 'Max', 'Min', 'Prod'] as const;

export const layoutKernels: KernelConfig[] = [
  { kernelName: 'Slice', backendName: 'wasm', kernelFunc: slice },
  { kernelName: 'SplitV', backendName: 'wasm', kernelFunc: splitV },
  { kernelName: 'Tile', backendName: 'wasm', kernelFunc: tile },
  { kernelName: 'Concat', backendName: 'wasm', kernelFunc: concat },
  { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity },
  { kernelName: 'Cast', backendName: 'wasm', kernelFunc: cast },
  ...REDUCTIONS.map((name) => ({ kernelName: name, backendName: 'wasm', kernelFunc: reduction(name) })),
];
