// Tissue map of a synthetic head: nested perturbed ellipsoids (scalp, skull, CSF, brain) with a
// folded cortical ribbon, a midline fissure, lateral and third ventricles and deep grey nuclei.
// Coordinates are normalised to the field of view, so any shape gets a whole (scaled) head.
import { type AnatomyVariation, EASY_ANATOMY } from './difficulty';
import { type Dims3, smoothNoise } from './fields';
import { boundingBox, boxIndices, dilateBall } from './morphology';
import type { Rng } from './rng';

/** Tissue classes of the phantom's tissue map. */
export const TISSUE = { air: 0, scalp: 1, skull: 2, csf: 3, gm: 4, wm: 5, deepGm: 6, lesion: 7 } as const;
export const TISSUE_COUNT = 8;

/** An axis-aligned ellipsoid in brain coordinates (brain surface ~ unit sphere). */
export interface Ellipsoid {
  c: [number, number, number];
  r: [number, number, number];
}

export interface Anatomy {
  /** One TISSUE class per voxel. */
  tissue: Uint8Array;
  /** Inside the pial surface: parenchyma, sulci and ventricles (not the outer CSF, skull or scalp). */
  brainMask: Uint8Array;
  /** Brain coordinates: v = (index - centre) / radius per axis; |v| ~ 1 at the brain surface. */
  centre: [number, number, number];
  radius: [number, number, number];
  /** Lateral ventricle size factor (for periventricular lesions). */
  ventricleScale: number;
  /** The smooth fold field (sd 1) that shaped the sulci; reused as image texture. */
  folds: Float32Array;
}

// Radial layers as fractions of the head radius (outside in).
const SCALP = 0.075;
const SKULL = 0.07;
const OUTER_CSF = 0.03;
const BRAIN = 1 - SCALP - SKULL - OUTER_CSF;

/** Normalised squared radius of point v in an ellipsoid. */
function ell(e: Ellipsoid, vx: number, vy: number, vz: number): number {
  const dx = (vx - e.c[0]) / e.r[0];
  const dy = (vy - e.c[1]) / e.r[1];
  const dz = (vz - e.c[2]) / e.r[2];
  return dx * dx + dy * dy + dz * dz;
}

function mirrored(c: [number, number, number], r: [number, number, number]): Ellipsoid[] {
  return [
    { c: [-c[0], c[1], c[2]], r },
    { c, r },
  ];
}

export function buildAnatomy(params: { dims: Dims3; rng: Rng; variation?: AnatomyVariation }): Anatomy {
  const { dims, rng } = params;
  const vary = params.variation ?? EASY_ANATOMY;
  const [nx, ny, nz] = dims;
  // Bounded jitter: the head always holds >= 30% of the volume (a tumour may reach 0.3) and never
  // leaves the field of view.
  const jitter = (sd: number, max: number) => 1 + Math.max(-max, Math.min(max, sd * rng.normal()));
  const scale = 0.985 * jitter(...vary.scale);
  const head = [0.86 * scale * jitter(...vary.axis), 0.93 * scale * jitter(...vary.axis), 0.9 * scale * jitter(...vary.axis)];
  // A shifted head stays inside the field of view (the room is never below the easy bound of 0.01).
  const shift = (a: number) => {
    const max = Math.min(vary.shift[1], 0.5 - head[a] / 2);
    return Math.max(-max, Math.min(max, vary.shift[0] * rng.normal()));
  };
  const centre: [number, number, number] = [
    (nx - 1) / 2 + shift(0) * nx,
    (ny - 1) / 2 + shift(1) * ny,
    (nz - 1) / 2 + shift(2) * nz,
  ];
  const radius: [number, number, number] = [(head[0] * BRAIN * nx) / 2, (head[1] * BRAIN * ny) / 2, (head[2] * BRAIN * nz) / 2];

  // Deep structures, in brain coordinates; ventricle size varies most between subjects (atrophy).
  const vs = vary.ventricles[0] + vary.ventricles[1] * rng.next();
  const third: Ellipsoid = { c: [0, -0.04, -0.12], r: [0.025 * vs, 0.15, 0.12] };
  const nuclei = [
    ...mirrored([0.2, 0.2, 0.08], [0.07, 0.13, 0.12]), // caudate heads
    ...mirrored([0.33, 0.05, -0.06], [0.07, 0.18, 0.14]), // putamen
    ...mirrored([0.12, -0.13, -0.09], [0.1, 0.14, 0.11]), // thalami
  ];

  const mean = (nx + ny + nz) / 3;
  const shape = smoothNoise({ dims, cell: 0.3 * mean, rng: rng.fork('shape') });
  const folds = smoothNoise({ dims, cell: Math.max(2, 0.055 * mean), rng: rng.fork('folds') });
  const midline = 0.02 * rng.normal();
  const sulcusDepth = 0.22;
  // Sulcal width varies between subjects only when asked (its own stream keeps the easy phantom's draws).
  const sulcusWidth = 0.12 * (vary.sulci > 0 ? Math.max(0.5, 1 + vary.sulci * rng.fork('sulci').normal()) : 1);
  const cortex = Math.max(1, 0.019 * mean); // cortical thickness in voxels

  const n = nx * ny * nz;
  const tissue = new Uint8Array(n);
  const brainMask = new Uint8Array(n);
  const pial = new Uint8Array(n); // CSF or outside the brain: the cortex lines it
  classifyVoxels({
    dims,
    centre,
    radius,
    shape,
    folds,
    midline,
    sulcusDepth,
    sulcusWidth,
    vs,
    third,
    nuclei,
    tissue,
    brainMask,
    pial,
  });
  // Cortex: white matter within `cortex` voxels of CSF or the brain surface becomes grey matter.
  // Dilate only within the brain's bounding box (plus the reach): a third of the grid or less.
  const box = boundingBox(brainMask, dims, Math.ceil(cortex) + 1);
  const at = boxIndices(box, dims);
  const near = dilateBall({ mask: crop(pial, at), dims: box.size, radius: cortex });
  for (let j = 0; j < at.length; j++) if (near[j] && tissue[at[j]] === TISSUE.wm) tissue[at[j]] = TISSUE.gm;
  return { tissue, brainMask, centre, radius, ventricleScale: vs, folds };
}

/** The tissue class of every voxel before the cortex (which needs the pial surface this finds). */
function classifyVoxels(p: {
  dims: Dims3;
  centre: [number, number, number];
  radius: [number, number, number];
  shape: Float32Array;
  folds: Float32Array;
  midline: number;
  sulcusDepth: number;
  sulcusWidth: number;
  vs: number;
  third: Ellipsoid;
  nuclei: Ellipsoid[];
  tissue: Uint8Array;
  brainMask: Uint8Array;
  pial: Uint8Array;
}): void {
  const { dims, centre, radius, shape, folds, midline, sulcusDepth, sulcusWidth, vs, third, nuclei, tissue, brainMask, pial } = p;
  const [nx, ny] = dims;
  const vxs = new Float32Array(nx);
  for (let x = 0; x < nx; x++) vxs[x] = (x - centre[0]) / radius[0];
  // One flat loop over the voxels (x, y, z kept by hand): V8 optimises it whole, where nested loops
  // have it enter and leave compiled code once per row.
  let vz = (0 - centre[2]) / radius[2];
  let vy = (0 - centre[1]) / radius[1];
  let yz2 = vy * vy + vz * vz;
  for (let i = 0, x = -1, y = 0, z = 0; i < tissue.length; i++) {
    if (++x === nx) {
      x = 0;
      if (++y === ny) {
        y = 0;
        z++;
        vz = (z - centre[2]) / radius[2];
      }
      vy = (y - centre[1]) / radius[1];
      yz2 = vy * vy + vz * vz;
    }
    const vx = vxs[x];
    // Radius in head units, with a smooth wobble so no two heads share an outline.
    const rho = (Math.sqrt(vx * vx + yz2) * BRAIN) / (1 - 0.035 * shape[i]);
    const depth = 1 - rho / BRAIN; // 0 at the pial surface, 1 at the centre
    if (depth < 0) {
      pial[i] = 1;
      if (rho <= 1) tissue[i] = rho > 1 - SCALP ? TISSUE.scalp : rho > 1 - SCALP - SKULL ? TISSUE.skull : TISSUE.csf;
      continue;
    }
    brainMask[i] = 1;
    let t: number = TISSUE.wm;
    // Sulci: sheets where the fold field crosses zero, reaching in from the surface. The field is
    // sampled nearer the surface along the ray from the centre, so sheets run inwards as real sulci do.
    if (depth < sulcusDepth * (1 + 0.3 * shape[i])) {
      const lift = (1 - 0.7 * depth) / (1 - depth);
      const fv = sampleTrilinear(
        folds,
        dims,
        centre[0] + (x - centre[0]) * lift,
        centre[1] + (y - centre[1]) * lift,
        centre[2] + (z - centre[2]) * lift,
      );
      if (fv < sulcusWidth && fv > -sulcusWidth) t = TISSUE.csf;
    }
    const mx = vx - midline - 0.03 * shape[i];
    const amx = mx < 0 ? -mx : mx;
    // Interhemispheric fissure, down to the corpus callosum.
    if (vz > -0.3 && depth < 0.58 && amx < 0.025) t = TISSUE.csf;
    if (t === TISSUE.csf) pial[i] = 1;
    if (depth > 0.45) {
      if (inAny(nuclei, vx, vy, vz)) t = TISSUE.deepGm;
      if (lateralVentricle(vs, vx, vy, vz) < 1 || ell(third, vx, vy, vz) < 1) t = TISSUE.csf;
    }
    tissue[i] = t;
  }
}

/** Whether v lies inside any of the ellipsoids. */
function inAny(es: Ellipsoid[], vx: number, vy: number, vz: number): boolean {
  let inside = false;
  for (let q = 0; q < es.length; q++) if (ell(es[q], vx, vy, vz) < 1) inside = true;
  return inside;
}

/** The values of `data` at grid indices `at` (boxIndices: a box's voxels). */
function crop(data: Uint8Array, at: Int32Array): Uint8Array {
  const out = new Uint8Array(at.length);
  for (let j = 0; j < at.length; j++) out[j] = data[at[j]];
  return out;
}

/** Trilinear sample of a volume at a fractional voxel position (clamped to the grid). */
function sampleTrilinear(data: Float32Array, dims: Dims3, x: number, y: number, z: number): number {
  const [nx, ny, nz] = dims;
  x = Math.max(0, Math.min(x, nx - 1.001));
  y = Math.max(0, Math.min(y, ny - 1.001));
  z = Math.max(0, Math.min(z, nz - 1.001));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const z0 = Math.floor(z);
  const fx = x - x0;
  const fy = y - y0;
  const fz = z - z0;
  const i = x0 + nx * (y0 + ny * z0);
  const sx = nx > 1 ? 1 : 0;
  const sy = ny > 1 ? nx : 0;
  const sz = nz > 1 ? nx * ny : 0;
  const a = data[i] + fx * (data[i + sx] - data[i]);
  const b = data[i + sy] + fx * (data[i + sy + sx] - data[i + sy]);
  const c = data[i + sz] + fx * (data[i + sz + sx] - data[i + sz]);
  const d = data[i + sz + sy] + fx * (data[i + sz + sy + sx] - data[i + sz + sy]);
  const ab = a + fy * (b - a);
  const cd = c + fy * (d - c);
  return ab + fz * (cd - ab);
}

/**
 * Normalised squared radius of a lateral ventricle (both sides, mirrored): a banana that arches
 * over the thalami, frontal horns near the midline, atria and occipital horns diverging backwards.
 */
function lateralVentricle(vs: number, vx: number, vy: number, vz: number): number {
  const back = Math.min(vy, 0);
  const dx = (Math.abs(vx) - vs * (0.08 + 0.04 * vz) - 0.5 * back * back) / (0.1 * vs * (1 - 0.8 * back));
  const dy = (vy - 0.02) / 0.4;
  const dz = (vz - 0.14 + 0.3 * vy * vy) / (0.13 * vs);
  return dx * dx + dy * dy + dz * dz;
}

/** Periventricular closeness in [0, 1]: 1 on a lateral ventricle wall, 0 from ~0.8 radii away. */
export function ventricleProximity(a: Anatomy, x: number, y: number, z: number): number {
  const r = ventricleRadius(a, x, y, z);
  return Math.max(0, 1 - Math.max(0, r - 1) / 0.8);
}

/** Normalised radius of voxel (x, y, z) in the lateral ventricles: < 1 inside, 1 on the wall. */
export function ventricleRadius(a: Anatomy, x: number, y: number, z: number): number {
  const vx = (x - a.centre[0]) / a.radius[0];
  const vy = (y - a.centre[1]) / a.radius[1];
  const vz = (z - a.centre[2]) / a.radius[2];
  return Math.sqrt(lateralVentricle(a.ventricleScale, vx, vy, vz));
}
