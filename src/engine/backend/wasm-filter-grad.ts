// The conv filter gradient (2D and 3D, any stride) as a wasm SIMD kernel generated for each shape:
// dW[a,b,c,ci,co] = sum_{n,d,i,j} xpad[n, d*sd+a, i*sh+b, j*sw+c, ci] * dy[n,d,i,j,co]. XNNPACK has no such
// kernel: our convolution-shaped version packs dy as a new filter on every call (~2.5 GMAC/s against
// the forward's ~6); this one keeps a block of dW in registers and streams x and dy once per tap.
import type { TensorInfo } from '@tensorflow/tfjs';

import { addTo, countDownEnd, type FunctionBody, I32, op, V128 } from './wasm-emit';
import { type ConvGeometry, instantiate, outputVectors, paddedExtents, runOnPadded, simdAvailable } from './wasm-simd-heap';
import type { WasmBackend } from './wasm-kernel-ops';

/** A filter gradient's geometry (tfjs differentiates convs of dilation 1 only). */
export type FilterGradShape = Omit<ConvGeometry, 'dd' | 'dh' | 'dw'>;

/** Register blocking: vb vectors of 4 output channels times cb input channels stay in registers. */
export function blocking(ci: number, co: number): { cb: number; vb: number } {
  const vb = outputVectors(co);
  return { cb: Math.min(ci, Math.floor(8 / vb)), vb };
}

let enabled = true;

/** Turns this kernel off and on (`npm run bench:kernel-ab` compares whole steps with and without it). */
export function setSimdFilterGrad(on: boolean): void {
  enabled = on;
}

/** Whether this kernel handles the shape (else the caller keeps its general path). */
export function filterGradSupported(s: Pick<FilterGradShape, 'co'>): boolean {
  return enabled && s.co % 4 === 0 && simdAvailable();
}

const padded = (s: FilterGradShape) => paddedExtents({ ...s, dd: 1, dh: 1, dw: 1 });

/**
 * f(x, dy, out) for one tap and one (cb input, 4*vb output) channel block: x points at the tap's
 * first input voxel, dy at the block's first channel, out at the block's dW row; loops run over
 * batch, depth, rows and columns, with the pointer jumps of the padded layout baked in.
 */
function blockFunction(s: FilterGradShape, cb: number, vb: number): FunctionBody {
  const { dp, hp, wp } = padded(s);
  const [X, D, OUT, ROWS, PLANES, BATCH, END] = [0, 1, 2, 3, 4, 5, 6];
  const acc = (c: number, v: number) => 7 + c * vb + v;
  const dyv = (v: number) => 7 + cb * vb + v;
  const tmp = 7 + cb * vb + vb;
  const code: number[][] = [];
  for (let c = 0; c < cb; c++) for (let v = 0; v < vb; v++) code.push(op.v128Zero, op.set(acc(c, v)));
  code.push(op.i32(s.n), op.set(BATCH), op.loop);
  code.push(op.i32(s.od), op.set(PLANES), op.loop);
  code.push(op.i32(s.oh), op.set(ROWS), op.loop);
  code.push(op.get(D), op.i32(s.ow * s.co * 4), op.add, op.set(END), op.loop);
  for (let v = 0; v < vb; v++) code.push(op.get(D), op.v128Load(v * 16), op.set(dyv(v)));
  for (let c = 0; c < cb; c++) {
    code.push(op.get(X), op.load32Splat(c * 4), op.set(tmp));
    for (let v = 0; v < vb; v++)
      code.push(op.get(acc(c, v)), op.get(tmp), op.get(dyv(v)), op.f32x4Mul, op.f32x4Add, op.set(acc(c, v)));
  }
  code.push(...addTo(X, s.sw * s.ci * 4));
  code.push(op.get(D), op.i32(s.co * 4), op.add, op.tee(D), op.get(END), op.ne, op.brIf(0), op.end);
  // Each jump goes from where the loop left x to the next row, plane or batch of the padded input.
  code.push(...addTo(X, (s.sh * wp - s.ow * s.sw) * s.ci * 4), ...countDownEnd(ROWS));
  code.push(...addTo(X, (s.sd * hp - s.oh * s.sh) * wp * s.ci * 4), ...countDownEnd(PLANES));
  code.push(...addTo(X, (dp - s.od * s.sd) * hp * wp * s.ci * 4), ...countDownEnd(BATCH));
  for (let c = 0; c < cb; c++)
    for (let v = 0; v < vb; v++) code.push(op.get(OUT), op.get(acc(c, v)), op.v128Store((c * s.co + v * 4) * 4));
  return {
    params: [I32, I32, I32],
    locals: [
      [4, I32],
      [cb * vb + vb + 1, V128],
    ],
    code,
  };
}

type BlockFn = (x: number, dy: number, out: number) => void;
interface Compiled {
  calls: { fn: BlockFn; x: number; dy: number; out: number }[];
}

const compiled = new Map<string, Compiled>();

function compile(s: FilterGradShape): Compiled {
  const key = JSON.stringify(s);
  const hit = compiled.get(key);
  if (hit) return hit;
  const { cb, vb } = blocking(s.ci, s.co);
  const { dp, hp, wp } = padded(s);
  const tail = s.ci % cb;
  const bodies = [blockFunction(s, cb, vb), ...(tail ? [blockFunction(s, tail, vb)] : [])];
  const exports = instantiate(bodies);
  const [full, part] = bodies.map((_, i) => exports[`f${i}`] as BlockFn);
  const dyAt = s.n * dp * hp * wp * s.ci * 4; // runOnPadded's layout: x, then dy, then dW
  const outAt = dyAt + s.n * s.od * s.oh * s.ow * s.co * 4;
  const calls: Compiled['calls'] = [];
  for (let a = 0; a < s.kd; a++)
    for (let b = 0; b < s.kh; b++)
      for (let c = 0; c < s.kw; c++)
        for (let c0 = 0; c0 < s.ci; c0 += cb)
          for (let o0 = 0; o0 < s.co; o0 += vb * 4) {
            const tap = (a * s.kh + b) * s.kw + c;
            calls.push({
              fn: c0 + cb <= s.ci ? full : part,
              x: (((a * hp + b) * wp + c) * s.ci + c0) * 4,
              dy: dyAt + o0 * 4,
              out: outAt + ((tap * s.ci + c0) * s.co + o0) * 4,
            });
          }
  const entry = { calls };
  compiled.set(key, entry);
  return entry;
}

/**
 * dW [kd?, kh, kw, ci, co] as a new wasm tensor (the caller owns it); `outShape` is the filter shape.
 * null where this kernel cannot run it (runOnPadded): the caller keeps its general path.
 */
export function filterGradSimd(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  s: FilterGradShape,
  outShape: number[],
): TensorInfo | null {
  return runOnPadded({
    backend,
    x,
    s: { ...s, dd: 1, dh: 1, dw: 1 },
    second: () => backend.typedArrayFromHeap(dy) as Float32Array,
    secondFloats: s.n * s.od * s.oh * s.ow * s.co,
    outShape,
    compile: () => compile(s).calls,
    run: (calls) => {
      for (const call of calls) call.fn(call.x, call.dy, call.out);
    },
  });
}

/** How many shapes have a compiled kernel (tests check that a gradient really took this path). */
export function compiledShapes(): number {
  return compiled.size;
}
