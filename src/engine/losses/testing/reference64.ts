// Test-only float64 reference: every loss written again with plain loops over flat channels-last arrays,
// straight from the formulas in README.md (no tf, no shared code with the implementation).
import { type Case, layout } from './fixtures';
import { refBoundary } from './reference64-boundary';
import { refExpLog, refGwdl, refLovasz, refUnifiedFocal } from './reference64-extra';

const CLIP = 1e-7;

type Opts = Record<string, unknown>;
const num = (o: Opts, k: string, d: number): number => (o[k] === undefined ? d : (o[k] as number));
const flag = (o: Opts, k: string, d: boolean): boolean => (o[k] === undefined ? d : (o[k] as boolean));

const str = (o: Opts, k: string, d: string): string => (o[k] === undefined ? d : String(o[k]));

/** classWeights as numbers (all 1 when '' or unset). */
function weightsOf(o: Opts, C: number): number[] {
  const text = str(o, 'classWeights', '');
  return text === '' ? Array(C).fill(1) : text.split(',').map(Number);
}

/** Numerator and denominator smoothing: smoothNr / smoothDr, or epsilon where they are -1 or unset. */
function smooths(o: Opts): { nr: number; dr: number } {
  const e = num(o, 'epsilon', 1e-5);
  const nr = num(o, 'smoothNr', -1);
  const dr = num(o, 'smoothDr', -1);
  return { nr: nr < 0 ? e : nr, dr: dr < 0 ? e : dr };
}

/** Label smoothing, then the ignore label: r, p zeroed where the original r of that class is >= 0.5. */
export function prepared(c: Case, o: Opts): { c: Case; keep: Float64Array } {
  const { B, M, C } = layout(c.shape);
  const s = num(o, 'labelSmoothing', 0);
  const ignore = num(o, 'ignoreIndex', -1);
  const r = new Float64Array(c.r.length);
  const p = new Float64Array(c.p.length);
  const keep = new Float64Array(B * M);
  for (let n = 0; n < B * M; n++) {
    keep[n] = ignore >= 0 && ignore < C && c.r[n * C + ignore] >= 0.5 ? 0 : 1;
    for (let l = 0; l < C; l++) {
      r[n * C + l] = keep[n] * ((1 - s) * c.r[n * C + l] + s / C);
      p[n * C + l] = keep[n] * c.p[n * C + l];
    }
  }
  return { c: { shape: c.shape, r, p }, keep };
}

/** The classes averaged: all (or 1..C-1), without the ignored one. */
function classesOf(o: Opts, C: number, includeBackgroundDefault: boolean): number[] {
  const all = flag(o, 'includeBackground', includeBackgroundDefault);
  const ignore = num(o, 'ignoreIndex', -1);
  return Array.from({ length: C }, (_, l) => l).filter((l) => (all || l > 0) && l !== ignore);
}

/** Element ranges pooled together: the whole batch, or one image each. */
function groups(c: Case, perImage: boolean): Array<{ start: number; end: number }> {
  const { B, M } = layout(c.shape);
  if (!perImage) return [{ start: 0, end: B * M }];
  return Array.from({ length: B }, (_, b) => ({ start: b * M, end: (b + 1) * M }));
}

/** sum over elements n in [start, end) of fn(n). */
function sumRange(start: number, end: number, fn: (n: number) => number): number {
  let s = 0;
  for (let n = start; n < end; n++) s += fn(n);
  return s;
}

/** Per-voxel CE with class weights, on the prepared reference; `keep` says which voxels count. */
function ceVoxels(c0: Case, o: Opts): { terms: number[]; keep: Float64Array } {
  const { c, keep } = prepared(c0, o);
  const { B, M, C } = layout(c.shape);
  const w = weightsOf(o, C);
  const terms: number[] = [];
  for (let n = 0; n < B * M; n++) {
    let t = 0;
    for (let l = 0; l < C; l++) t -= w[l] * c.r[n * C + l] * Math.log(Math.max(c.p[n * C + l], CLIP));
    terms.push(t);
  }
  return { terms, keep };
}

export function refCe(c: Case, o: Opts = {}): number {
  const { terms, keep } = ceVoxels(c, o);
  const kept = keep.reduce((a, b) => a + b, 0);
  return terms.reduce((a, t, n) => a + keep[n] * t, 0) / Math.max(kept, 1);
}

/** Mean of the k = round(share * elements) largest CE terms of the batch, or of each image, averaged. */
export function refTopkCe(c: Case, o: Opts = {}): number {
  const { B, M } = layout(c.shape);
  const { terms } = ceVoxels(c, o);
  const pct = num(o, 'topkPercent', 10);
  return (
    mean(
      groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
        const sorted = terms.slice(start, end).sort((a, b) => b - a);
        const k = Math.max(1, Math.round(((end - start) * pct) / 100));
        return sorted.slice(0, k).reduce((a, b) => a + b, 0) / k;
      }),
    ) * (B * M > 0 ? 1 : 0)
  );
}

/** The paper's w per group and class: background 1, foreground (N - V_l)/V_l with V_l floored at CLIP. */
export function refWceWeights(c: Case, o: Opts = {}): number[][] {
  const { C } = layout(c.shape);
  const src = (o.wceWeight ?? 'prediction') === 'prediction' ? c.p : c.r;
  return groups(c, flag(o, 'perImage', false)).map(({ start, end }) =>
    Array.from({ length: C }, (_, l) => {
      if (l === 0) return 1;
      const v = Math.max(
        sumRange(start, end, (n) => src[n * C + l]),
        CLIP,
      );
      return (end - start - v) / v;
    }),
  );
}

/** WCE; pass `weights` to hold them fixed (finite differences of the stop-gradient version). */
export function refWce(c: Case, o: Opts = {}, weights?: number[][]): number {
  const { B, M, C } = layout(c.shape);
  const w = weights ?? refWceWeights(c, o);
  let s = 0;
  groups(c, flag(o, 'perImage', false)).forEach(({ start, end }, g) => {
    for (let n = start; n < end; n++) {
      for (let l = 0; l < C; l++) s -= w[g][l] * c.r[n * C + l] * Math.log(Math.max(c.p[n * C + l], CLIP));
    }
  });
  return s / (B * M);
}

export function refFocal(c0: Case, o: Opts = {}): number {
  const { c, keep } = prepared(c0, o);
  const { B, M, C } = layout(c.shape);
  const gamma = num(o, 'gamma', 2);
  const alpha = num(o, 'focalAlpha', 0.25);
  const bg = flag(o, 'includeBackground', true) ? 1 - alpha : 0;
  const w = weightsOf(o, C);
  let s = 0;
  let kept = 0;
  for (let n = 0; n < B * M; n++) {
    kept += keep[n];
    for (let l = 0; l < C; l++) {
      const p = Math.min(Math.max(c.p[n * C + l], CLIP), 1 - CLIP);
      s -= keep[n] * w[l] * (l === 0 ? bg : alpha) * (1 - p) ** gamma * c.r[n * C + l] * Math.log(p);
    }
  }
  return s / Math.max(kept, 1);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function refDl2(c: Case, o: Opts = {}): number {
  const e = num(o, 'epsilon', 1e-5);
  return mean(
    groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
      const p = (n: number) => c.p[2 * n + 1];
      const r = (n: number) => c.r[2 * n + 1];
      const fg = (sumRange(start, end, (n) => p(n) * r(n)) + e) / (sumRange(start, end, (n) => p(n) + r(n)) + e);
      const bg = (sumRange(start, end, (n) => (1 - p(n)) * (1 - r(n))) + e) / (sumRange(start, end, (n) => 2 - p(n) - r(n)) + e);
      return 1 - fg - bg;
    }),
  );
}

export function refSs(c: Case, o: Opts = {}): number {
  const { C } = layout(c.shape);
  const lambda = num(o, 'lambda', 0.05);
  const e = num(o, 'epsilon', 1e-5);
  const classes = (o.ssVariant ?? 'paper') === 'paper' ? [1] : Array.from({ length: C }, (_, l) => l);
  return mean(
    groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
      let total = 0;
      for (const l of classes) {
        const r = (n: number) => c.r[n * C + l];
        const err = (n: number) => (r(n) - c.p[n * C + l]) ** 2;
        const sens = sumRange(start, end, (n) => err(n) * r(n)) / (sumRange(start, end, r) + e);
        const spec = sumRange(start, end, (n) => err(n) * (1 - r(n))) / (sumRange(start, end, (n) => 1 - r(n)) + e);
        total += lambda * sens + (1 - lambda) * spec;
      }
      return total;
    }),
  );
}

/** GDL weights for one group: infinite -> largest finite (or all 1), then divided by their sum unless raw. */
export function refGdlWeights(volumes: number[], weightType = 'square', normalise = true, absent = 'max'): number[] {
  const raw = volumes.map((v) => (weightType === 'uniform' ? 1 : weightType === 'simple' ? 1 / v : 1 / (v * v)));
  const finite = raw.filter((w) => Number.isFinite(w));
  const fill = absent === 'zero' ? 0 : finite.length > 0 ? Math.max(...finite) : 1;
  const w = raw.map((x) => (Number.isFinite(x) ? x : fill));
  const total = w.reduce((a, b) => a + b, 0);
  if (total === 0) return w.map(() => 1 / w.length);
  return normalise ? w.map((x) => x / total) : w;
}

/** GDL; `normalise: false` gives the textbook formula with raw weights (epsilon then adds to tiny sums). */
/** The GDL weights of each group (kept classes), from the prepared reference. */
export function refGdlGroupWeights(c0: Case, o: Opts = {}, normalise = true): number[][] {
  const { c } = prepared(c0, o);
  const { C } = layout(c.shape);
  const classes = classesOf(o, C, true);
  return groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
    const vols = classes.map((l) => sumRange(start, end, (n) => c.r[n * C + l]));
    return refGdlWeights(vols, str(o, 'weightType', 'square'), normalise, str(o, 'absentWeight', 'max'));
  });
}

/** GDL; pass `weights` to hold them fixed (finite differences with respect to the reference). */
export function refGdl(c0: Case, o: Opts = {}, normalise = true, weights?: number[][]): number {
  const { c } = prepared(c0, o);
  const { C } = layout(c.shape);
  const { nr, dr } = smooths(o);
  const classes = classesOf(o, C, true);
  const w = weights ?? refGdlGroupWeights(c0, o, normalise);
  return mean(
    groups(c, flag(o, 'perImage', false)).map(({ start, end }, g) => {
      let top = 0;
      let bottom = 0;
      classes.forEach((l, i) => {
        top += w[g][i] * sumRange(start, end, (n) => c.r[n * C + l] * c.p[n * C + l]);
        bottom += w[g][i] * sumRange(start, end, (n) => c.r[n * C + l] + c.p[n * C + l]);
      });
      return 1 - (2 * top + nr) / (bottom + dr);
    }),
  );
}

/** Per group, the mean over selected classes of fn(tp, fp, fn, sumP2, sumR2). */
function overlapMean(
  c0: Case,
  o: Opts,
  perClass: (s: { tp: number; fp: number; fn: number; sp: number; sr: number; sp2: number; sr2: number }) => number,
): number {
  const { c } = prepared(c0, o);
  const { C } = layout(c.shape);
  const w = weightsOf(o, C);
  return mean(
    groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
      const vals: number[] = [];
      for (const l of classesOf(o, C, false)) {
        const p = (n: number) => c.p[n * C + l];
        const r = (n: number) => c.r[n * C + l];
        vals.push(
          perClass({
            tp: sumRange(start, end, (n) => p(n) * r(n)),
            fp: sumRange(start, end, (n) => p(n) * (1 - r(n))),
            fn: sumRange(start, end, (n) => (1 - p(n)) * r(n)),
            sp: sumRange(start, end, p),
            sr: sumRange(start, end, r),
            sp2: sumRange(start, end, (n) => p(n) ** 2),
            sr2: sumRange(start, end, (n) => r(n) ** 2),
          }) * w[l],
        );
      }
      return mean(vals);
    }),
  );
}

export function refDice(c: Case, o: Opts = {}): number {
  const { nr, dr } = smooths(o);
  const squared = flag(o, 'squared', false);
  return overlapMean(c, o, (s) => 1 - (2 * s.tp + nr) / ((squared ? s.sp2 + s.sr2 : s.sp + s.sr) + dr));
}

/** 1 - Tversky index of one class. */
function tverskyMiss(s: { tp: number; fp: number; fn: number }, o: Opts): number {
  const { nr, dr } = smooths(o);
  const a = num(o, 'tverskyAlpha', 0.3);
  const b = num(o, 'tverskyBeta', 0.7);
  return 1 - (s.tp + nr) / (s.tp + a * s.fp + b * s.fn + dr);
}

export function refTversky(c: Case, o: Opts = {}): number {
  return overlapMean(c, o, (s) => tverskyMiss(s, o));
}

export function refFocalTversky(c: Case, o: Opts = {}): number {
  const gamma = num(o, 'tverskyGamma', 0.75);
  return overlapMean(c, o, (s) => Math.max(tverskyMiss(s, o), 1e-20) ** gamma);
}

export function refLogCoshDice(c: Case, o: Opts = {}): number {
  return Math.log(Math.cosh(refDice(c, o)));
}

export function refDiceCe(c: Case, o: Opts = {}): number {
  return num(o, 'diceWeight', 1) * refDice(c, o) + num(o, 'ceWeight', 1) * refCe(c, o);
}

export function refDiceFocal(c: Case, o: Opts = {}): number {
  const focal = refFocal(c, { includeBackground: false, ...o });
  return num(o, 'diceWeight', 1) * refDice(c, o) + num(o, 'focalWeight', 1) * focal;
}

export function refGdlFocal(c: Case, o: Opts = {}): number {
  return num(o, 'diceWeight', 1) * refGdl(c, o) + num(o, 'focalWeight', 1) * refFocal(c, o);
}

export const REFERENCES: Record<string, (c: Case, o?: Opts) => number> = {
  ce: (c, o) => refCe(c, o),
  wce: (c, o) => refWce(c, o),
  focal: refFocal,
  dl2: refDl2,
  ss: refSs,
  gdl: (c, o) => refGdl(c, o),
  dice: refDice,
  tversky: refTversky,
  dice_ce: refDiceCe,
  focal_tversky: refFocalTversky,
  log_cosh_dice: refLogCoshDice,
  topk_ce: refTopkCe,
  dice_focal: refDiceFocal,
  gdl_focal: refGdlFocal,
  unified_focal: refUnifiedFocal,
  exp_log: refExpLog,
  lovasz: refLovasz,
  gwdl: refGwdl,
  boundary: (c, o) => refBoundary(c, o),
};
