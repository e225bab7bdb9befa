// A direct convolution (3D; 2D as depth 1) as a wasm SIMD kernel generated for each shape:
// y[n,z,i,j,co] = sum_{a,b,c,ci} xpad[n, z*sd + a*dd, i*sh + b*dh, j*sw + c*dw, ci] * W[a,b,c,ci,co].
// Our 3D conv was a sum of 2D XNNPACK convs over the depth taps, with a copy of x per tap and the
// partial sums added; this walks the taps in place with a block of outputs in registers. (In 2D it
// was no faster than XNNPACK's conv in Chromium single-threaded, and gave up its threads: not used.)
import type { TensorInfo } from '@tensorflow/tfjs';

import { addTo, countDownEnd, type FunctionBody, I32, op, V128 } from './wasm-emit';
import type { WasmBackend } from './wasm-kernel-ops';
import { type ConvGeometry, instantiate, outputVectors, paddedExtents, runOnPadded, simdAvailable } from './wasm-simd-heap';

export type ConvShape = ConvGeometry;

/** vb vectors of 4 output channels times pb neighbouring outputs of a row stay in registers. */
export function convBlocking(co: number, ow: number): { pb: number; vb: number } {
  const vb = outputVectors(co);
  return { pb: Math.max(1, Math.min(ow, Math.floor(8 / vb))), vb };
}

let enabled = true;

/** Turns this kernel off and on (`npm run bench:kernel-ab` compares whole steps with and without it). */
export function setSimdConv(on: boolean): void {
  enabled = on;
}

/** Whether this kernel handles the output channels (else the caller keeps its general path). */
export function convSimdSupported(s: Pick<ConvShape, 'co'>): boolean {
  return enabled && s.co % 4 === 0 && simdAvailable();
}

/**
 * f(x, w, y) for one block of 4*vb output channels over the whole output: x at the padded input,
 * w at the filter's block, y at the output's block. Rows hold ow/pb blocks of pb outputs, then a tail.
 */
function blockFunction(s: ConvShape, pb: number, vb: number): FunctionBody {
  const { dp, hp, wp } = paddedExtents(s);
  const [XS, W, Y, BATCH, PLANES, ROWS, COLS, XR, XC, WC, END] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const first = 11;
  const acc = (p: number, v: number) => first + p * vb + v;
  const wv = (v: number) => first + pb * vb + v;
  const tmp = first + pb * vb + vb;
  const block = (width: number): number[][] => {
    const code: number[][] = [];
    for (let p = 0; p < width; p++) for (let v = 0; v < vb; v++) code.push(op.v128Zero, op.set(acc(p, v)));
    for (let a = 0; a < s.kd; a++)
      for (let b = 0; b < s.kh; b++)
        for (let c = 0; c < s.kw; c++) {
          const tap = (a * s.kh + b) * s.kw + c;
          code.push(op.get(XR), op.i32(((a * s.dd * hp + b * s.dh) * wp + c * s.dw) * s.ci * 4), op.add, op.set(XC));
          code.push(op.get(W), op.i32(tap * s.ci * s.co * 4), op.add, op.tee(WC));
          code.push(op.i32(s.ci * s.co * 4), op.add, op.set(END), op.loop);
          for (let v = 0; v < vb; v++) code.push(op.get(WC), op.v128Load(v * 16), op.set(wv(v)));
          for (let p = 0; p < width; p++) {
            code.push(op.get(XC), op.load32Splat(p * s.sw * s.ci * 4), op.set(tmp));
            for (let v = 0; v < vb; v++)
              code.push(op.get(acc(p, v)), op.get(tmp), op.get(wv(v)), op.f32x4Mul, op.f32x4Add, op.set(acc(p, v)));
          }
          code.push(...addTo(XC, 4));
          code.push(op.get(WC), op.i32(s.co * 4), op.add, op.tee(WC), op.get(END), op.ne, op.brIf(0), op.end);
        }
    for (let p = 0; p < width; p++)
      for (let v = 0; v < vb; v++) code.push(op.get(Y), op.get(acc(p, v)), op.v128Store((p * s.co + v * 4) * 4));
    code.push(...addTo(Y, width * s.co * 4), ...addTo(XR, width * s.sw * s.ci * 4));
    return code;
  };
  const blocks = Math.floor(s.ow / pb);
  const tail = s.ow % pb;
  const code: number[][] = [];
  code.push(op.i32(s.n), op.set(BATCH), op.loop);
  code.push(op.i32(s.od), op.set(PLANES), op.loop);
  code.push(op.i32(s.oh), op.set(ROWS), op.loop);
  code.push(op.get(XS), op.set(XR));
  if (blocks) code.push(op.i32(blocks), op.set(COLS), op.loop, ...block(pb), ...countDownEnd(COLS));
  if (tail) code.push(...block(tail));
  // Each jump goes from one row's, plane's or batch's start to the next one's in the padded input.
  code.push(...addTo(XS, s.sh * wp * s.ci * 4), ...countDownEnd(ROWS));
  code.push(...addTo(XS, (s.sd * hp - s.oh * s.sh) * wp * s.ci * 4), ...countDownEnd(PLANES));
  code.push(...addTo(XS, (dp - s.od * s.sd) * hp * wp * s.ci * 4), ...countDownEnd(BATCH));
  return {
    params: [I32, I32, I32],
    locals: [
      [8, I32],
      [pb * vb + vb + 1, V128],
    ],
    code,
  };
}

type BlockFn = (x: number, w: number, y: number) => void;
const compiled = new Map<string, BlockFn>();

function compile(s: ConvShape): BlockFn {
  const key = JSON.stringify(s);
  const hit = compiled.get(key);
  if (hit) return hit;
  const { pb, vb } = convBlocking(s.co, s.ow);
  const fn = instantiate([blockFunction(s, pb, vb)]).f0 as BlockFn;
  compiled.set(key, fn);
  return fn;
}

/**
 * y [n, od, oh, ow, co] as a new wasm tensor (the caller owns it) from x (a wasm tensor) and the
 * filter's values [kd, kh, kw, ci, co]. null where this kernel cannot run it (runOnPadded): the
 * caller keeps its general path.
 */
export function convSimd(
  backend: WasmBackend,
  x: TensorInfo,
  filter: () => Float32Array,
  s: ConvShape,
  outShape: number[],
): TensorInfo | null {
  const step = convBlocking(s.co, s.ow).vb * 4;
  return runOnPadded({
    backend,
    x,
    s,
    second: filter,
    secondFloats: s.kd * s.kh * s.kw * s.ci * s.co,
    outShape,
    compile: () => compile(s),
    run: (fn, at) => {
      for (let o0 = 0; o0 < s.co; o0 += step) fn(0, at.second + o0 * 4, at.out + o0 * 4);
    },
  });
}

/**
 * The filter of a stride-1 input gradient as a forward conv of dy: W'[a,b,c,co,ci] = W[kd-1-a,
 * kh-1-b, kw-1-c, ci, co] (taps reversed, channels swapped).
 */
export function flippedFilter(
  w: Float32Array,
  shape: { kd: number; kh: number; kw: number; ci: number; co: number },
): Float32Array {
  const { kd, kh, kw, ci, co } = shape;
  const taps = kd * kh * kw;
  const out = new Float32Array(w.length);
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * ci * co;
    const to = t * co * ci;
    for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) out[to + o * ci + i] = w[from + i * co + o];
  }
  return out;
}

/** How many shapes have a compiled kernel (tests check that a conv really took this path). */
export function compiledConvShapes(): number {
  return compiled.size;
}
