// What the generated SIMD kernels share: one linear memory of their own (operands are copied in from
// tfjs's heap, zero-padded), SIMD detection, and instantiating a module against that memory.
import { type FunctionBody, moduleBytes, op, V128 } from './wasm-emit';

const memory = new WebAssembly.Memory({ initial: 1 });
let simd: boolean | undefined;

/** WebAssembly SIMD is there (every browser since 2021; Node since 16.4). */
export function simdAvailable(): boolean {
  simd ??= WebAssembly.validate(moduleBytes([{ params: [], locals: [[1, V128]], code: [op.v128Zero, op.set(0)] }]));
  return simd;
}

/** The kernels' memory as floats, grown to at least `bytes` first (throws where it cannot grow). */
export function kernelHeap(bytes: number): Float32Array {
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
export function placePadded(
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
