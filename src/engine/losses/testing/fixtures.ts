// Test-only helpers: a seeded PRNG, random one-hot references and probabilities, central differences.
// Plain arrays (float64) so the reference implementation never touches tf.
import * as tf from '@tensorflow/tfjs';

/** mulberry32: small, seeded, deterministic. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A loss input as flat channels-last float64 arrays plus its layout. */
export interface Case {
  /** Full tensor shape, e.g. [B,H,W,C]. */
  shape: number[];
  r: Float64Array;
  p: Float64Array;
}

export function layout(shape: number[]): { B: number; M: number; C: number } {
  const B = shape[0];
  const C = shape[shape.length - 1];
  return { B, M: shape.slice(1, -1).reduce((a, b) => a * b, 1), C };
}

/** One-hot reference: class 0 with probability 1 - fg, else a uniform foreground class. */
export function randomOneHot(rng: () => number, shape: number[], fg = 0.3): Float64Array {
  const { B, M, C } = layout(shape);
  const r = new Float64Array(B * M * C);
  for (let n = 0; n < B * M; n++) {
    const cls = rng() < fg ? 1 + Math.floor(rng() * (C - 1)) : 0;
    r[n * C + cls] = 1;
  }
  return r;
}

/** Independent per-channel values in [lo, hi] (off the simplex: tests the function everywhere). */
export function randomProbs(rng: () => number, shape: number[], lo = 0.05, hi = 0.95): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return Float64Array.from({ length: size }, () => lo + (hi - lo) * rng());
}

/** Softmax of random logits: rows on the simplex, as a network would output. */
export function randomSoftmax(rng: () => number, shape: number[], scale = 2): Float64Array {
  const { B, M, C } = layout(shape);
  const p = new Float64Array(B * M * C);
  for (let n = 0; n < B * M; n++) {
    const z = Array.from({ length: C }, () => scale * (2 * rng() - 1));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    for (let l = 0; l < C; l++) p[n * C + l] = e[l] / s;
  }
  return p;
}

/** Two-class probabilities [..., 2] from a foreground map: channel 0 = 1 - p. */
export function twoClass(fg: ArrayLike<number>): Float64Array {
  const out = new Float64Array(fg.length * 2);
  for (let i = 0; i < fg.length; i++) {
    out[2 * i] = 1 - fg[i];
    out[2 * i + 1] = fg[i];
  }
  return out;
}

export function toTensor(values: ArrayLike<number>, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), shape);
}

/** Central differences of a float64 function at x. */
export function centralDiff(fn: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    y[i] = x[i] + h;
    const up = fn(y);
    y[i] = x[i] - h;
    const down = fn(y);
    y[i] = x[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** max |a - b| / max(max |b|, floor): one relative error for a whole gradient. */
export function relMaxError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  let err = 0;
  let scale = floor;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}
