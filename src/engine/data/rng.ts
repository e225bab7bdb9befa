// Seeded pseudo-random numbers shared by the whole engine (phantoms, sampling, weight init).
// sfc32 (Chris Doty-Humphrey's small fast counting generator, 128-bit state) seeded through
// splitmix32; integer arithmetic only, so a seed gives the same stream in every JS engine.

export interface Rng {
  /** The 32-bit key this stream was derived from (from the seed, or from the parent key and a label). */
  readonly key: number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Raw uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Fills `out` with the next out.length raw values (same stream as nextUint32, much faster in bulk). */
  fillUint32(out: Uint32Array): Uint32Array;
  /** Standard normal (Box-Muller; the spare value is cached). */
  normal(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /**
   * An independent child stream named by `label`. It depends only on this stream's key and the label,
   * not on how many numbers were drawn, so adding draws in one place never shifts another's stream.
   */
  fork(label: string | number): Rng;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes any finite number through its float64 bits (so 1 and 1.5 and 2^40 all differ). */
function hashNumber(x: number, h = 0x9e3779b9): number {
  if (!Number.isFinite(x)) throw new RangeError(`rng seed/label must be a finite number, got ${x}`);
  f64[0] = x + 0; // -0 -> +0
  h = fmix32(h ^ u32[0]);
  return fmix32(Math.imul(h, 0x01000193) ^ u32[1]);
}

function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h ^ s.length);
}

/** Mixes a parent key with a label into a child key. */
export function deriveKey(key: number, label: string | number): number {
  const l = typeof label === 'number' ? hashNumber(label) : hashString(label);
  return fmix32((key ^ Math.imul(l, 0x27d4eb2f)) + 0x165667b1);
}

/** Creates a seeded stream; any finite number is a valid seed. */
export function createRng(seed: number): Rng {
  return fromKey(hashNumber(seed));
}

/** sfc32 over `out.length` words from `state` (a, b, c, d), which it advances; a module-level loop, which V8 compiles tighter than a closure's. */
function sfc32Fill(out: Uint32Array, state: Int32Array): void {
  let sa = state[0];
  let sb = state[1];
  let sc = state[2];
  let sd = state[3];
  for (let i = 0; i < out.length; i++) {
    const t = (((sa + sb) | 0) + sd) | 0;
    sd = (sd + 1) | 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) | 0;
    sc = (sc << 21) | (sc >>> 11);
    sc = (sc + t) | 0;
    out[i] = t;
  }
  state[0] = sa;
  state[1] = sb;
  state[2] = sc;
  state[3] = sd;
}

function fromKey(key: number): Rng {
  // splitmix32 expands the key into sfc32's four state words.
  let s = key | 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    return fmix32(s);
  };
  let a = split() | 0;
  let b = split() | 0;
  let c = split() | 0;
  let d = 1;
  let spare = Number.NaN;

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32(); // sfc32's recommended warm-up

  const next = (): number => nextUint32() / 4294967296;

  const state = new Int32Array(4);
  const fillUint32 = (out: Uint32Array): Uint32Array => {
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
    sfc32Fill(out, state);
    a = state[0];
    b = state[1];
    c = state[2];
    d = state[3];
    return out;
  };

  return {
    key,
    next,
    nextUint32,
    fillUint32,
    normal() {
      if (!Number.isNaN(spare)) {
        const v = spare;
        spare = Number.NaN;
        return v;
      }
      const u1 = 1 - next(); // (0, 1]: log never sees 0
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    int(maxExclusive: number) {
      if (!(maxExclusive >= 1) || !Number.isFinite(maxExclusive)) {
        throw new RangeError(`rng.int needs a finite bound >= 1, got ${maxExclusive}`);
      }
      return Math.floor(next() * Math.floor(maxExclusive));
    },
    range(lo: number, hi: number) {
      return lo + (hi - lo) * next();
    },
    fork(label: string | number) {
      return fromKey(deriveKey(key, label));
    },
  };
}

const IRWIN_HALL_SCALE = 1 / Math.sqrt((4 * (256 * 256 - 1)) / 12); // sd of a sum of four U{0..255}

/**
 * Maps 32 random bits to an approximately standard normal value: the Irwin-Hall sum of its four
 * bytes, centred and variance-matched. No transcendental functions (fast, bit-identical across
 * engines); tails stop at +-3.45 and values are quantised to 0.007 sd: right for image noise, wrong
 * for anything that needs true Gaussian tails (use rng.normal()).
 */
export function approxNormalFromBits(bits: number): number {
  return ((bits & 255) + ((bits >>> 8) & 255) + ((bits >>> 16) & 255) + (bits >>> 24) - 510) * IRWIN_HALL_SCALE;
}
