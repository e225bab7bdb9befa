// A minimal WebAssembly binary writer: just what our generated SIMD kernels use (i32 arithmetic,
// loops, v128 loads/stores and f32x4 maths), so a kernel can be specialised to its shape at run time.

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Instructions, each as its bytes. Addresses are byte offsets; `offset` is the memarg's constant. */
export const op = {
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  add: [0x6a],
  sub: [0x6b],
  ne: [0x47],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  v128Load: (offset: number) => [...simd(0x00), 4, ...uleb(offset)],
  v128Store: (offset: number) => [...simd(0x0b), 4, ...uleb(offset)],
  /** Loads one f32 and fills all four lanes with it. */
  load32Splat: (offset: number) => [...simd(0x09), 2, ...uleb(offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
};

/** local += bytes (nothing for 0). */
export function addTo(local: number, bytes: number): number[][] {
  return bytes ? [op.get(local), op.i32(bytes), op.add, op.set(local)] : [];
}

/** Ends a loop that runs while --local is not 0. */
export function countDownEnd(local: number): number[][] {
  return [op.get(local), op.i32(1), op.sub, op.tee(local), op.brIf(0), op.end];
}

export interface FunctionBody {
  /** Parameter types (results: none). */
  params: number[];
  /** Extra locals as [count, type] runs, numbered after the parameters. */
  locals: [number, number][];
  code: number[][];
}

/** A module importing its memory as env.memory and exporting each function as f0, f1, ... */
export function moduleBytes(functions: FunctionBody[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.code.flat(), ...op.end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((_, i) => [...name(`f${i}`), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}
