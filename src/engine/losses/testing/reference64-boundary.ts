// Test-only float64 reference of the boundary loss: the signed distance map by brute force over every pair
// of voxels, the schedule written out, loops over flat channels-last arrays; no tf, no engine code.
import { type Case, layout } from './fixtures';
import { refDice, refGdl, refGdlGroupWeights } from './reference64';

type Opts = Record<string, unknown>;
const num = (o: Opts, k: string, d: number): number => (o[k] === undefined ? d : Number(o[k]));

/** Kervadec's map of one item and class by brute force: outside, min distance to inside; inside, h - min distance to outside. */
export function refSignedMap(mask: ArrayLike<number>, spatial: number[], spacing: number[]): Float64Array {
  const M = mask.length;
  const at = (i: number) => {
    const c: number[] = [];
    for (let a = spatial.length - 1; a >= 0; a--) {
      c[a] = i % spatial[a];
      i = Math.floor(i / spatial[a]);
    }
    return c;
  };
  const pts = Array.from({ length: M }, (_, i) => at(i));
  const inside = Array.from({ length: M }, (_, i) => mask[i] >= 0.5);
  const count = inside.filter(Boolean).length;
  const out = new Float64Array(M);
  if (count === 0 || count === M) return out;
  const h = Math.min(...spacing);
  for (let i = 0; i < M; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < M; j++) {
      if (inside[j] === inside[i]) continue;
      const d = Math.hypot(...pts[i].map((x, a) => (x - pts[j][a]) * spacing[a]));
      best = Math.min(best, d);
    }
    out[i] = inside[i] ? h - best : best;
  }
  return out;
}

/** Every item and class of a case, channels-last like c.r (1 mm voxels unless spacing is given). */
export function refDistanceMaps(c: Case, spacing?: number[]): Float64Array {
  const { B, M, C } = layout(c.shape);
  const spatial = c.shape.slice(1, -1);
  const out = new Float64Array(B * M * C);
  for (let b = 0; b < B; b++)
    for (let l = 0; l < C; l++) {
      const mask = Array.from({ length: M }, (_, m) => c.r[(b * M + m) * C + l]);
      const phi = refSignedMap(mask, spatial, spacing ?? spatial.map(() => 1));
      for (let m = 0; m < M; m++) out[(b * M + m) * C + l] = phi[m];
    }
  return out;
}

/** a at a (1-based) step: start + rate * floor((step - 1) / every), at most max. */
export function refBoundaryWeight(o: Opts, step: number): number {
  const start = num(o, 'boundaryStart', 0);
  const raised = start + num(o, 'boundaryRate', 0.1) * Math.floor((step - 1) / num(o, 'boundaryEvery', 50));
  return Math.min(num(o, 'boundaryMax', 0.99), raised);
}

/** mean over items, voxels and classes 1..C-1 of p * phi. */
export function refBoundaryTerm(c: Case, phi: Float64Array): number {
  const { B, M, C } = layout(c.shape);
  let s = 0;
  for (let n = 0; n < B * M; n++) for (let l = 1; l < C; l++) s += c.p[n * C + l] * phi[n * C + l];
  return s / (B * M * (C - 1));
}

/** GDL's weights of the region term (held fixed for a derivative with respect to r, as the engine does). */
export function refBoundaryGdlWeights(c: Case, o: Opts = {}): number[][] {
  return refGdlGroupWeights(c, { perImage: o.perImage === true });
}

/** (1 - a) region + a boundary; phi from r (1 mm) unless given; step 1 unless given. */
export function refBoundary(
  c: Case,
  o: Opts = {},
  ctx: { step?: number; phi?: Float64Array; gdlWeights?: number[][] } = {},
): number {
  const a = refBoundaryWeight(o, ctx.step ?? 1);
  const perImage = o.perImage === true;
  const region = o.boundaryRegion === 'dice' ? refDice(c, { perImage }) : refGdl(c, { perImage }, true, ctx.gdlWeights);
  return (1 - a) * region + a * refBoundaryTerm(c, ctx.phi ?? refDistanceMaps(c));
}
