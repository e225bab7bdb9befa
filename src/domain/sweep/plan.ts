// The sweep's grid as runs and data groups, and the checks a spec must pass before anything trains.
import { DIFFICULTY_IDS, isDifficulty } from '../difficulty';
import { isLossId } from '../losses';
import { SPATIAL_DIMS } from '../network-spec';
import type { SweepCell, SweepGroup, SweepSpec } from './types';

export const SWEEP_LIMITS = {
  maxRuns: 2000,
  maxList: 8,
  lr: { min: 1e-7, max: 1 },
  patch: { min: 4, max: 256 },
  batch: { min: 1, max: 32 },
  burden: { min: 1e-5, max: 0.3 },
  seeds: { min: 1, max: 10 },
  steps: { min: 2, max: 100_000 },
  size: { min: 32, max: 192 },
  noise: { min: 0, max: 0.5 },
};
const LESIONS = ['tumour', 'wmh', 'lacunes'];

/** Stable id of a run: the same cell always gets the same key (resuming skips finished keys). */
export function cellKey(c: Omit<SweepCell, 'key'>): string {
  return `b=${c.burden}|p=${c.patch}|s=${c.seed}|lr=${c.lr}|${c.loss}`;
}

export function groupKey(g: { burden: number; patch: string; seed: number }): string {
  return `b=${g.burden}|p=${g.patch}|s=${g.seed}`;
}

/** "1e-4" style, as the paper's LR column (which prints only the exponent). */
export function formatLr(lr: number): string {
  const e = Math.log10(lr);
  if (Math.abs(e - Math.round(e)) < 1e-9) return `1e${Math.round(e)}`;
  return lr.toExponential(1).replace('.0e', 'e');
}

/** "1%" / "0.2%" / "0.005%". */
export function formatBurden(b: number): string {
  return `${Number((b * 100).toPrecision(3))}%`;
}

export function seedsOf(spec: Pick<SweepSpec, 'seeds' | 'firstSeed'>): number[] {
  return Array.from({ length: spec.seeds }, (_, i) => spec.firstSeed + i);
}

/** Groups in the order they run: burden, patch, seed; each group's cells loss-major then lr. */
export function planSweep(spec: SweepSpec): { cells: SweepCell[]; groups: SweepGroup[] } {
  const groups: SweepGroup[] = [];
  for (const burden of spec.burdens)
    for (const patch of spec.patches)
      for (const seed of seedsOf(spec)) {
        const cells: SweepCell[] = [];
        for (const loss of spec.losses)
          for (const lr of spec.lrs) {
            const c = { loss, lr, patch: patch.id, burden, seed };
            cells.push({ key: cellKey(c), ...c });
          }
        groups.push({ key: groupKey({ burden, patch: patch.id, seed }), burden, patch, seed, cells });
      }
  return { cells: groups.flatMap((g) => g.cells), groups };
}

export function runCount(spec: Pick<SweepSpec, 'losses' | 'lrs' | 'patches' | 'burdens' | 'seeds'>): number {
  return spec.losses.length * spec.lrs.length * spec.patches.length * spec.burdens.length * spec.seeds;
}

const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isNum = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/** Every problem of a spec, each naming its field; empty when the spec can run. Never throws. */
export function checkSweepSpec(spec: SweepSpec): string[] {
  const L = SWEEP_LIMITS;
  const p: string[] = [];
  const list = (name: string, v: unknown): v is unknown[] => {
    if (!Array.isArray(v) || v.length === 0) p.push(`${name}: choose at least one`);
    else if (v.length > L.maxList) p.push(`${name}: at most ${L.maxList} values`);
    else return true;
    return false;
  };
  if (typeof spec.name !== 'string' || spec.name.length > 120) p.push('name: a text of at most 120 characters');
  if (!(typeof spec.network === 'string' && spec.network in SPATIAL_DIMS))
    p.push(`network: one of ${Object.keys(SPATIAL_DIMS).join(', ')}`);
  if (list('losses', spec.losses)) {
    const bad = spec.losses.filter((l) => !isLossId(l));
    if (bad.length) p.push(`losses: unknown ${bad.join(', ')}`);
    if (new Set(spec.losses).size !== spec.losses.length) p.push('losses: each loss once');
  }
  if (list('learning rates', spec.lrs)) {
    if (!spec.lrs.every((lr) => isNum(lr, L.lr.min, L.lr.max))) p.push(`learning rates: numbers in [${L.lr.min}, ${L.lr.max}]`);
    if (new Set(spec.lrs).size !== spec.lrs.length) p.push('learning rates: each value once');
  }
  if (list('patch presets', spec.patches)) {
    spec.patches.forEach((c, i) => {
      const name = typeof c?.id === 'string' && c.id ? c.id : `#${i + 1}`;
      if (!(typeof c?.id === 'string' && /^[\w.-]{1,12}$/.test(c.id)))
        p.push(`patch preset ${name}: an id of 1-12 letters or digits`);
      if (!isInt(c?.patch, L.patch.min, L.patch.max))
        p.push(`patch preset ${name}: side an integer in [${L.patch.min}, ${L.patch.max}]`);
      if (!isInt(c?.batch, L.batch.min, L.batch.max))
        p.push(`patch preset ${name}: batch an integer in [${L.batch.min}, ${L.batch.max}]`);
    });
    if (new Set(spec.patches.map((c) => c?.id)).size !== spec.patches.length) p.push('patch presets: ids must differ');
  }
  if (list('lesion burdens', spec.burdens)) {
    if (!spec.burdens.every((b) => isNum(b, L.burden.min, L.burden.max)))
      p.push(`lesion burdens: proportions in [${L.burden.min}, ${L.burden.max}] (0.001% to 30%)`);
    if (new Set(spec.burdens).size !== spec.burdens.length) p.push('lesion burdens: each value once');
  }
  if (!isInt(spec.seeds, L.seeds.min, L.seeds.max)) p.push(`seeds per cell: an integer in [${L.seeds.min}, ${L.seeds.max}]`);
  if (!isInt(spec.firstSeed, 0, 2 ** 31 - 1 - L.seeds.max)) p.push('first seed: a non-negative integer');
  if (!isInt(spec.steps, L.steps.min, L.steps.max)) p.push(`steps: an integer in [${L.steps.min}, ${L.steps.max}]`);
  if (!isInt(spec.lastK, 1, isInt(spec.steps, 1, L.steps.max) ? spec.steps : L.steps.max))
    p.push('last K steps: an integer from 1 to the number of steps');
  if (!LESIONS.includes(spec.lesion)) p.push(`lesion: one of ${LESIONS.join(', ')}`);
  if (spec.difficulty !== undefined && !isDifficulty(spec.difficulty)) p.push(`difficulty: one of ${DIFFICULTY_IDS.join(', ')}`);
  if (!isNum(spec.noise, L.noise.min, L.noise.max)) p.push(`noise: a number in [${L.noise.min}, ${L.noise.max}]`);
  if (!isInt(spec.size, L.size.min, L.size.max)) p.push(`phantom size: an integer in [${L.size.min}, ${L.size.max}]`);
  if (p.length === 0 && runCount(spec) > L.maxRuns) p.push(`too many runs (${runCount(spec)}): at most ${L.maxRuns}`);
  return p;
}
