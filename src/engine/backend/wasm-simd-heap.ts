// What the generated SIMD kernels share: a conv's geometry, one linear memory of their own (operands
// are copied in from tfjs's heap, zero-padded), SIMD detection, and instantiating a module against it.
import type { TensorInfo } from '@tensorflow/tfjs';

import { type FunctionBody, moduleBytes, op, V128 } from './wasm-emit';
import type { WasmBackend } from './wasm-kernel-ops';

/** A conv's sizes, taps, strides, dilations and leading pads; 2D convs have depth 1 (d = od = kd = 1). */
export interface ConvGeometry {
  n: number;
  d: number;
  h: number;
  w: number;
  ci: number;
  od: number;
  oh: number;
  ow: number;
  co: number;
  kd: number;
  kh: number;
  kw: number;
  sd: number;
  sh: number;
  sw: number;
  dd: number;
  dh: number;
  dw: number;
  front: number;
  top: number;
  left: number;
}

/** The padded input's extent per axis: what the last output's last tap reaches (x past it is never read). */
export function paddedExtents(s: ConvGeometry): { dp: number; hp: number; wp: number } {
  return {
    dp: (s.od - 1) * s.sd + (s.kd - 1) * s.dd + 1,
    hp: (s.oh - 1) * s.sh + (s.kh - 1) * s.dh + 1,
    wp: (s.ow - 1) * s.sw + (s.kw - 1) * s.dw + 1,
  };
}

/** How many vectors of 4 output channels a register block holds: the largest of 4, 3, 2 dividing co/4. */
export function outputVectors(co: number): number {
  return [4, 3, 2].find((v) => (co / 4) % v === 0) ?? 1;
}

const memory = new WebAssembly.Memory({ initial: 1 });
let simd: boolean | undefined;

/** WebAssembly SIMD is there (every browser since 2021; Node since 16.4). */
export function simdAvailable(): boolean {
  simd ??= WebAssembly.validate(moduleBytes([{ params: [], locals: [[1, V128]], code: [op.v128Zero, op.set(0)] }]));
  return simd;
}

/** The kernels' memory as floats, grown to at least `bytes` first (throws where it cannot grow). */
function kernelHeap(bytes: number): Float32Array {
  if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  return new Float32Array(memory.buffer);
}

/** Bytes of the kernels' memory (it grows to the largest layer's operands, then stays). */
export function kernelMemoryBytes(): number {
  return memory.buffer.byteLength;
}

/** Compiles and instantiates generated functions against the kernels' memory; exports f0, f1, ... */
export function instantiate(bodies: FunctionBody[]): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(bodies)), { env: { memory } }).exports;
}

/**
 * Copies x [n, d, h, w, c] into a zero-padded [n, dp, hp, wp, c] at float `at` of `heap`, shifted by
 * the leading pads (negative pads crop x; what falls past the extents is left out).
 */
function placePadded(
  heap: Float32Array,
  at: number,
  x: Float32Array,
  dims: { n: number; d: number; h: number; w: number; c: number },
  pads: { front: number; top: number; left: number },
  extents: { dp: number; hp: number; wp: number },
): void {
  const { n, d, h, w, c } = dims;
  const { front, top, left } = pads;
  const { dp, hp, wp } = extents;
  heap.fill(0, at, at + n * dp * hp * wp * c);
  const [c0, c1] = [Math.max(0, -left), Math.min(w, wp - left)];
  if (c1 <= c0) return;
  for (let b = 0; b < n; b++)
    for (let z = Math.max(0, -front); z < d && z + front < dp; z++)
      for (let y = Math.max(0, -top); y < h && y + top < hp; y++) {
        const from = (((b * d + z) * h + y) * w + c0) * c;
        const to = at + (((b * dp + z + front) * hp + y + top) * wp + c0 + left) * c;
        heap.set(x.subarray(from, from + (c1 - c0) * c), to);
      }
}

/** Most bytes the kernels' memory may take for one layer; larger layers keep the general path. */
export const MAX_KERNEL_BYTES = 2 ** 30;

/**
 * Runs a generated kernel on the layout every kernel here uses: x zero-padded at byte 0 (extents of
 * `paddedExtents`), the second operand right after it, the result after both; returns the result as a
 * new wasm tensor (the caller owns it). null where the kernel cannot run (past MAX_KERNEL_BYTES, memory
 * that cannot grow, a module the engine refuses to compile): the caller keeps its general path.
 */
export function runOnPadded<K>(p: {
  backend: WasmBackend;
  x: TensorInfo;
  s: ConvGeometry;
  second: () => Float32Array;
  secondFloats: number;
  outShape: number[];
  compile: () => K;
  run: (kernel: K, at: { second: number; out: number }) => void;
}): TensorInfo | null {
  const { s } = p;
  const extents = paddedExtents(s);
  const xFloats = s.n * extents.dp * extents.hp * extents.wp * s.ci;
  const outFloats = p.outShape.reduce((a, b) => a * b, 1);
  const bytes = (xFloats + p.secondFloats + outFloats) * 4;
  if (bytes > MAX_KERNEL_BYTES) return null;
  let kernel: K;
  try {
    kernel = p.compile();
    kernelHeap(bytes);
  } catch {
    return null;
  }
  const heap = kernelHeap(bytes);
  const dims = { n: s.n, d: s.d, h: s.h, w: s.w, c: s.ci };
  placePadded(heap, 0, p.backend.typedArrayFromHeap(p.x) as Float32Array, dims, s, extents);
  heap.set(p.second(), xFloats);
  const outAt = xFloats + p.secondFloats;
  p.run(kernel, { second: xFloats * 4, out: outAt * 4 });
  const out = p.backend.makeOutput(p.outShape, 'float32');
  (p.backend.typedArrayFromHeap(out) as Float32Array).set(heap.subarray(outAt, outAt + outFloats));
  return out;
}
