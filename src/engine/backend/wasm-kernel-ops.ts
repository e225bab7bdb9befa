// Building blocks for wasm training kernels: call the stock wasm kernels directly on the backend
// (no engine, no tape) and free every intermediate through one Scope.
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TypedArray = Float32Array | Int32Array | Uint8Array;

export type WasmBackend = BackendWasm;

/** Zero-or-positive pads per spatial side; negative values mean "crop this many". */
export interface Pads2D {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Tracks intermediates so a kernel frees them all, also when it throws. */
export class Scope {
  private readonly items: TensorInfo[] = [];
  constructor(readonly backend: WasmBackend) {}
  track<T extends TensorInfo>(t: T): T {
    this.items.push(t);
    return t;
  }
  dispose(): void {
    for (const t of this.items) this.backend.disposeData(t.dataId);
    this.items.length = 0;
  }
}

/** Runs `body` with a fresh scope; everything tracked is freed afterwards. */
export function withScope<T>(backend: WasmBackend, body: (s: Scope) => T): T {
  const scope = new Scope(backend);
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}

/** Calls a registered wasm kernel (only ones this module does not replace); the caller owns the result. */
export function callKernel(backend: WasmBackend, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

export function reshape(s: Scope, x: TensorInfo, shape: number[]): TensorInfo {
  return s.track(callKernel(s.backend, 'Reshape', { x }, { shape }));
}

/**
 * The same permutation on fewer axes: size-1 axes dropped and axes that stay neighbours merged
 * ([N,H,W,C] -> [C,H,W,N] is [N,HW,C] -> [C,HW,N]); wasm's transpose is 20-40% faster on fewer axes.
 */
export function mergeTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = shape.map((d, a) => (d === 1 ? -1 : a)).filter((a) => a >= 0);
  const rank = new Map(kept.map((a, i) => [a, i]));
  const p = perm.filter((a) => shape[a] !== 1).map((a) => rank.get(a) as number);
  const groups: number[][] = [];
  for (const a of p) {
    const last = groups.at(-1);
    if (last && last[last.length - 1] + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((a, b) => a[0] - b[0]);
  return {
    shape: byInput.map((g) => g.reduce((n, a) => n * shape[kept[a]], 1)),
    perm: groups.map((g) => byInput.indexOf(g)),
  };
}

export function transpose(s: Scope, x: TensorInfo, perm: number[]): TensorInfo {
  const m = mergeTranspose(x.shape, perm);
  if (m.perm.length === x.shape.length) return s.track(callKernel(s.backend, 'Transpose', { x }, { perm }));
  const outShape = perm.map((a) => x.shape[a]);
  if (m.perm.every((a, i) => a === i)) return reshape(s, x, outShape);
  const t = s.track(callKernel(s.backend, 'Transpose', { x: reshape(s, x, m.shape) }, { perm: m.perm }));
  return reshape(s, t, outShape);
}

export function padZeros(s: Scope, x: TensorInfo, paddings: [number, number][], value = 0): TensorInfo {
  return s.track(callKernel(s.backend, 'PadV2', { x }, { paddings, constantValue: value }));
}

export function add(s: Scope, a: TensorInfo, b: TensorInfo): TensorInfo {
  return s.track(callKernel(s.backend, 'Add', { a, b }));
}

export function maximum(s: Scope, a: TensorInfo, b: TensorInfo): TensorInfo {
  return s.track(callKernel(s.backend, 'Maximum', { a, b }));
}

/** An empty output when `shape` has a zero dim (stock kernels misbehave on those), else null. */
export function emptyOutput(backend: WasmBackend, shape: number[]): TensorInfo | null {
  return prod(shape) === 0 ? backend.makeOutput([...shape], 'float32') : null;
}

/** A new reference to t's data that outlives the scope: what a kernel returns. */
export function detach(s: Scope, t: TensorInfo): TensorInfo {
  return callKernel(s.backend, 'Reshape', { x: t }, { shape: t.shape });
}

/** Sums a list of same-shaped tensors with wasm's Add. */
export function sumAll(s: Scope, parts: TensorInfo[]): TensorInfo {
  let acc = parts[0];
  for (let i = 1; i < parts.length; i++) acc = add(s, acc, parts[i]);
  return acc;
}

const prod = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * Copies x[begin : begin + size] on the wasm heap. Dims that are taken whole are merged into
 * their outer neighbour first, so most crops become a few long memcpy runs (wasm's Slice copies
 * the whole input to JS first and is very slow above rank 4).
 */
export function crop(s: Scope, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const shape: number[] = [];
  const b0: number[] = [];
  const sz: number[] = [];
  for (let i = 0; i < x.shape.length; i++) {
    const full = begin[i] === 0 && size[i] === x.shape[i];
    if (shape.length > 0 && full) {
      const last = shape.length - 1;
      shape[last] *= x.shape[i];
      b0[last] *= x.shape[i];
      sz[last] *= x.shape[i];
    } else {
      shape.push(x.shape[i]);
      b0.push(begin[i]);
      sz.push(size[i]);
    }
  }
  const out = s.track(s.backend.makeOutput([...size], x.dtype));
  if (prod(size) === 0) return out;
  // Views are taken after makeOutput: a malloc may grow (and detach) the heap.
  const src = s.backend.typedArrayFromHeap(x);
  const dst = s.backend.typedArrayFromHeap(out);
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  const run = sz[rank - 1];
  // Rows of the two innermost merged dims in one tight loop; short runs (channel splits) are
  // copied element by element, which beats a subarray per run.
  const rows = rank > 1 ? sz[rank - 2] : 1;
  const rowStride = rank > 1 ? strides[rank - 2] : 0;
  const idx = new Array<number>(Math.max(0, rank - 2)).fill(0);
  const outer = prod(sz.slice(0, Math.max(0, rank - 2)));
  let o = 0;
  for (let n = 0; n < outer; n++) {
    let off = b0[rank - 1] + (rank > 1 ? b0[rank - 2] * rowStride : 0);
    for (let d = 0; d < rank - 2; d++) off += (b0[d] + idx[d]) * strides[d];
    if (run >= 32) for (let r = 0; r < rows; r++, off += rowStride, o += run) dst.set(src.subarray(off, off + run), o);
    else if (src instanceof Float32Array && dst instanceof Float32Array) copyRowsF32(src, dst, rows, run, off, rowStride, o);
    else copyRows(src, dst, rows, run, off, rowStride, o);
    if (run < 32) o += rows * run;
    for (let d = rank - 3; d >= 0; d--) {
      if (++idx[d] < sz[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** `rows` runs of `run` values, `rowStride` apart in src, packed in dst from `o` (float32 alone keeps V8's loads monomorphic). */
function copyRowsF32(src: Float32Array, dst: Float32Array, rows: number, run: number, off: number, rowStride: number, o: number) {
  for (let r = 0; r < rows; r++, off += rowStride, o += run) for (let k = 0; k < run; k++) dst[o + k] = src[off + k];
}

function copyRows(src: TypedArray, dst: TypedArray, rows: number, run: number, off: number, rowStride: number, o: number) {
  for (let r = 0; r < rows; r++, off += rowStride, o += run) for (let k = 0; k < run; k++) dst[o + k] = src[off + k];
}

/** Stacks same-shaped tensors along a new first axis with heap copies. */
export function stackFirst(s: Scope, parts: TensorInfo[]): TensorInfo {
  const out = s.track(s.backend.makeOutput([parts.length, ...parts[0].shape], parts[0].dtype));
  const dst = s.backend.typedArrayFromHeap(out);
  const size = prod(parts[0].shape);
  parts.forEach((p, i) => {
    dst.set(s.backend.typedArrayFromHeap(p), i * size);
  });
  return out;
}

/**
 * Forward 2D convolution (NHWC) with explicit per-side pads; a negative pad crops the input,
 * which XNNPACK cannot express. Strides and dilations may both exceed 1.
 */
export function conv2dPadded(
  s: Scope,
  x: TensorInfo,
  filter: TensorInfo,
  p: { strides: [number, number]; dilations: [number, number]; pads: Pads2D },
): TensorInfo {
  const { top, bottom, left, right } = p.pads;
  const [n, h, w, c] = x.shape;
  const [kh, kw, , co] = filter.shape;
  const oh = Math.floor((h + top + bottom - (kh - 1) * p.dilations[0] - 1) / p.strides[0]) + 1;
  const ow = Math.floor((w + left + right - (kw - 1) * p.dilations[1] - 1) / p.strides[1]) + 1;
  // XNNPACK writes out of bounds when the output is empty; tfjs returns an empty tensor there.
  if (oh <= 0 || ow <= 0 || n === 0) return s.track(s.backend.makeOutput([n, Math.max(0, oh), Math.max(0, ow), co], x.dtype));
  const ct = Math.max(0, -top);
  const cb = Math.max(0, -bottom);
  const cl = Math.max(0, -left);
  const cr = Math.max(0, -right);
  const xc = ct + cb + cl + cr > 0 ? crop(s, x, [0, ct, cl, 0], [n, h - ct - cb, w - cl - cr, c]) : x;
  const pad = [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ];
  const attrs = { strides: p.strides, pad, dataFormat: 'NHWC', dilations: p.dilations, dimRoundingMode: undefined };
  return s.track(callKernel(s.backend, 'Conv2D', { x: xc, filter }, attrs as unknown as NamedAttrMap));
}

/** The wasm backend behind a tfjs kernel call (typed for the helpers above). */
export function asWasm(backend: unknown): WasmBackend {
  return backend as WasmBackend;
}
