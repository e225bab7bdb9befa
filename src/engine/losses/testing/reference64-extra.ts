// Test-only float64 reference for the later losses (unified focal, exp-log, Lovász, GWDL): plain loops
// over flat channels-last arrays from the formulas in README.md; no tf, no code shared with the engine.
import { type Case, layout } from './fixtures';

const CLIP = 1e-7;
// Powers below 1 take max(x, FLOOR)^gamma (README: conventions).
const FLOOR = 1e-20;
type Opts = Record<string, unknown>;
const num = (o: Opts, k: string, d: number): number => (o[k] === undefined ? d : Number(o[k]));

/** [start, end) element ranges: the whole batch, or one per image. */
function ranges(c: Case, o: Opts): Array<[number, number]> {
  const { B, M } = layout(c.shape);
  if (!o.perImage) return [[0, B * M]];
  return Array.from({ length: B }, (_, b) => [b * M, (b + 1) * M] as [number, number]);
}

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const clip = (p: number): number => Math.min(Math.max(p, CLIP), 1 - CLIP);

/** Asymmetric unified focal: lambda maF + (1 - lambda) maFT (Yeung et al. 2022, equations 12-14). */
export function refUnifiedFocal(c: Case, o: Opts = {}): number {
  const { B, M, C } = layout(c.shape);
  const lambda = num(o, 'unifiedWeight', 0.5);
  const delta = num(o, 'unifiedDelta', 0.6);
  const gamma = num(o, 'unifiedGamma', 0.5);
  const e = num(o, 'epsilon', 1e-5);
  let focal = 0;
  for (let n = 0; n < B * M; n++) {
    const p0 = clip(c.p[n * C]);
    focal -= (1 - delta) * (1 - p0) ** gamma * c.r[n * C] * Math.log(p0);
    for (let l = 1; l < C; l++) focal -= delta * c.r[n * C + l] * Math.log(clip(c.p[n * C + l]));
  }
  focal /= B * M;
  const tversky = avg(
    ranges(c, o).map(([s, t]) => {
      const perClass: number[] = [];
      for (let l = 0; l < C; l++) {
        let tp = 0;
        let fn = 0;
        let fp = 0;
        for (let n = s; n < t; n++) {
          const p = c.p[n * C + l];
          const r = c.r[n * C + l];
          tp += p * r;
          fn += (1 - p) * r;
          fp += p * (1 - r);
        }
        const miss = 1 - (tp + e) / (tp + delta * fn + (1 - delta) * fp + e);
        perClass.push(l === 0 ? miss : Math.max(miss, FLOOR) ** (1 - gamma));
      }
      return avg(perClass);
    }),
  );
  return lambda * focal + (1 - lambda) * tversky;
}

/** Exponential logarithmic loss (Wong et al. 2018), class frequencies and Dice per group. */
export function refExpLog(c: Case, o: Opts = {}): number {
  const { B, M, C } = layout(c.shape);
  const gamma = num(o, 'expLogGamma', 0.3);
  const e = num(o, 'epsilon', 1e-5);
  let cross = 0;
  const dice: number[] = [];
  for (const [s, t] of ranges(c, o)) {
    const freq = Array.from({ length: C }, (_, l) => {
      let v = 0;
      for (let n = s; n < t; n++) v += c.r[n * C + l];
      return Math.max(v, CLIP);
    });
    const total = freq.reduce((a, b) => a + b, 0);
    for (let l = 0; l < C; l++) {
      let inter = 0;
      let union = 0;
      for (let n = s; n < t; n++) {
        const p = c.p[n * C + l];
        const r = c.r[n * C + l];
        inter += p * r;
        union += p + r;
        cross += Math.sqrt(total / freq[l]) * r * Math.max(-Math.log(Math.max(p, CLIP)), FLOOR) ** gamma;
      }
      dice.push(Math.max(-Math.log((2 * inter + e) / (union + e)), FLOOR) ** gamma);
    }
  }
  return num(o, 'diceWeight', 0.8) * avg(dice) + num(o, 'ceWeight', 0.2) * (cross / (B * M));
}

/** Lovász extension of the Jaccard loss of one class: errors sorted down, times the Jaccard increments. */
function lovaszOne(errors: number[], gt: number[]): number {
  const order = errors.map((_, i) => i).sort((a, b) => errors[b] - errors[a]);
  const total = gt.reduce((a, b) => a + b, 0);
  let cumGt = 0;
  let cumNot = 0;
  let previous = 0;
  let loss = 0;
  for (const i of order) {
    cumGt += gt[i];
    cumNot += 1 - gt[i];
    const jaccard = 1 - (total - cumGt) / Math.max(total + cumNot, 1e-12);
    loss += errors[i] * (jaccard - previous);
    previous = jaccard;
  }
  return loss;
}

/** Lovász-softmax (Berman et al. 2018): mean over present (or all) classes and groups. */
export function refLovasz(c: Case, o: Opts = {}): number {
  const { C } = layout(c.shape);
  const all = o.lovaszClasses === 'all';
  const perGroup: number[] = [];
  for (const [s, t] of ranges(c, o)) {
    let count = 0;
    let sum = 0;
    for (let l = 0; l < C; l++) {
      const gt: number[] = [];
      const err: number[] = [];
      for (let n = s; n < t; n++) {
        gt.push(c.r[n * C + l]);
        err.push(Math.abs(c.r[n * C + l] - c.p[n * C + l]));
      }
      if (!all && gt.every((g) => g === 0)) continue;
      sum += lovaszOne(err, gt);
      count++;
    }
    perGroup.push(count === 0 ? 0 : sum / count);
  }
  return avg(perGroup);
}

/** Generalised Wasserstein Dice loss (Fidon et al. 2017) with M from classDistances or 1 - identity. */
export function refGwdl(c: Case, o: Opts = {}): number {
  const { C } = layout(c.shape);
  const text = String(o.classDistances ?? '');
  const m = text === '' ? null : text.split(',').map(Number);
  const dist = (l: number, k: number) => (m ? m[l * C + k] : l === k ? 0 : 1);
  const e = num(o, 'epsilon', 1e-5);
  const nr = num(o, 'smoothNr', -1) < 0 ? e : num(o, 'smoothNr', -1);
  const dr = num(o, 'smoothDr', -1) < 0 ? e : num(o, 'smoothDr', -1);
  return avg(
    ranges(c, o).map(([s, t]) => {
      let tp = 0;
      let errors = 0;
      for (let n = s; n < t; n++) {
        let w = 0;
        for (let l = 0; l < C; l++) for (let k = 0; k < C; k++) w += dist(l, k) * c.r[n * C + l] * c.p[n * C + k];
        let a = 0;
        for (let l = 1; l < C; l++) a += c.r[n * C + l];
        tp += a * (1 - w);
        errors += w;
      }
      return 1 - (2 * tp + nr) / (2 * tp + errors + dr);
    }),
  );
}
