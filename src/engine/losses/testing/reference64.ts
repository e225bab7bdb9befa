// Test-only float64 reference: every loss written again with plain loops over flat channels-last arrays,
// straight from the formulas in README.md (no tf, no shared code with the implementation).
import { type Case, layout } from './fixtures';

const CLIP = 1e-7;

type Opts = Record<string, unknown>;
const num = (o: Opts, k: string, d: number): number => (o[k] === undefined ? d : (o[k] as number));
const flag = (o: Opts, k: string, d: boolean): boolean => (o[k] === undefined ? d : (o[k] as boolean));

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

export function refCe(c: Case): number {
  const { B, M, C } = layout(c.shape);
  let s = 0;
  for (let n = 0; n < B * M; n++) for (let l = 0; l < C; l++) s -= c.r[n * C + l] * Math.log(Math.max(c.p[n * C + l], CLIP));
  return s / (B * M);
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

export function refFocal(c: Case, o: Opts = {}): number {
  const { B, M, C } = layout(c.shape);
  const gamma = num(o, 'gamma', 2);
  const alpha = num(o, 'focalAlpha', 0.25);
  let s = 0;
  for (let n = 0; n < B * M; n++) {
    for (let l = 0; l < C; l++) {
      const p = Math.min(Math.max(c.p[n * C + l], CLIP), 1 - CLIP);
      s -= (l === 0 ? 1 - alpha : alpha) * (1 - p) ** gamma * c.r[n * C + l] * Math.log(p);
    }
  }
  return s / (B * M);
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
export function refGdlWeights(volumes: number[], weightType = 'square', normalise = true): number[] {
  const raw = volumes.map((v) => (weightType === 'uniform' ? 1 : weightType === 'simple' ? 1 / v : 1 / (v * v)));
  const finite = raw.filter((w) => Number.isFinite(w));
  const fill = finite.length > 0 ? Math.max(...finite) : 1;
  const w = raw.map((x) => (Number.isFinite(x) ? x : fill));
  const total = w.reduce((a, b) => a + b, 0);
  return normalise ? w.map((x) => x / total) : w;
}

/** GDL; `normalise: false` gives the textbook formula with raw weights (epsilon then adds to tiny sums). */
export function refGdl(c: Case, o: Opts = {}, normalise = true): number {
  const { C } = layout(c.shape);
  const e = num(o, 'epsilon', 1e-5);
  const weightType = (o.weightType as string) ?? 'square';
  return mean(
    groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
      const vols = Array.from({ length: C }, (_, l) => sumRange(start, end, (n) => c.r[n * C + l]));
      const w = refGdlWeights(vols, weightType, normalise);
      let top = 0;
      let bottom = 0;
      for (let l = 0; l < C; l++) {
        top += w[l] * sumRange(start, end, (n) => c.r[n * C + l] * c.p[n * C + l]);
        bottom += w[l] * sumRange(start, end, (n) => c.r[n * C + l] + c.p[n * C + l]);
      }
      return 1 - (2 * top + e) / (bottom + e);
    }),
  );
}

/** Per group, the mean over selected classes of fn(tp, fp, fn, sumP2, sumR2). */
function overlapMean(
  c: Case,
  o: Opts,
  perClass: (s: { tp: number; fp: number; fn: number; sp: number; sr: number; sp2: number; sr2: number }) => number,
): number {
  const { C } = layout(c.shape);
  const first = flag(o, 'includeBackground', false) ? 0 : 1;
  return mean(
    groups(c, flag(o, 'perImage', false)).map(({ start, end }) => {
      const vals: number[] = [];
      for (let l = first; l < C; l++) {
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
          }),
        );
      }
      return mean(vals);
    }),
  );
}

export function refDice(c: Case, o: Opts = {}): number {
  const e = num(o, 'epsilon', 1e-5);
  const squared = flag(o, 'squared', false);
  return overlapMean(c, o, (s) => 1 - (2 * s.tp + e) / ((squared ? s.sp2 + s.sr2 : s.sp + s.sr) + e));
}

export function refTversky(c: Case, o: Opts = {}): number {
  const e = num(o, 'epsilon', 1e-5);
  const a = num(o, 'tverskyAlpha', 0.3);
  const b = num(o, 'tverskyBeta', 0.7);
  return overlapMean(c, o, (s) => 1 - (s.tp + e) / (s.tp + a * s.fp + b * s.fn + e));
}

export function refDiceCe(c: Case, o: Opts = {}): number {
  return num(o, 'diceWeight', 1) * refDice(c, o) + num(o, 'ceWeight', 1) * refCe(c);
}

export const REFERENCES: Record<string, (c: Case, o?: Opts) => number> = {
  ce: refCe,
  wce: (c, o) => refWce(c, o),
  focal: refFocal,
  dl2: refDl2,
  ss: refSs,
  gdl: (c, o) => refGdl(c, o),
  dice: refDice,
  tversky: refTversky,
  dice_ce: refDiceCe,
};
