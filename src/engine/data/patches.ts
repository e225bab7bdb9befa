// Patch and batch sampling as in the paper: 2D slices (axial/coronal/sagittal) or 3D patches,
// Table 1's sizes as presets, "keep a patch only if it holds a foreground voxel", seeded so that
// batch `step` of a run can be replayed exactly. Output is channels-last Float32Array, no tf.
import { createRng, type Rng } from './rng';
import { classCount, type Subject } from './subjects';

export { PAPER_TABLE1, PATCH_PRESETS, type PatchPreset, type PresetId, presetSpec } from './presets';

export type SliceAxis = 'axial' | 'coronal' | 'sagittal';

export interface PatchSpec {
  /** 2: slices through the volume; 3: boxes. */
  dims: 2 | 3;
  /** 2D [H, W], 3D [D, H, W] in voxels; a number means square / cube. */
  size: number | number[];
  batch: number;
  /** Slice orientation for 2D (default axial). */
  axis?: SliceAxis;
  /** The paper's rule: keep a patch only if it has at least one foreground voxel (default true). */
  requireForeground?: boolean;
  /** Random draws per patch before falling back to an exact search of qualifying patches (default 200). */
  maxRetries?: number;
  /** 'onehot': Float32 [..., C] (channel 0 = background); 'index': Uint8 [...] of class indices (default onehot). */
  labels?: 'onehot' | 'index';
}

/** Thrown when no patch can satisfy the spec (e.g. no foreground anywhere). */
export class SamplingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamplingError';
  }
}

export interface PatchRef {
  subject: number;
  /** Volume voxel (x, y, z) of the patch's first element; negative where the patch is padded. */
  origin: [number, number, number];
}

export interface Batch {
  /** Channels-last: [B, H, W, C] (2D) or [B, D, H, W, C] (3D). */
  image: Float32Array;
  imageShape: number[];
  label: Float32Array | Uint8Array;
  /** One-hot: imageShape with C = the subjects' class count; index: imageShape without C. */
  labelShape: number[];
  /** Foreground (any non-background class) fraction of each patch. */
  foreground: number[];
  patches: PatchRef[];
}

/** Patch layout: volume axis and length for the outer, middle and inner patch axes. */
interface Layout {
  axes: [number, number, number];
  lens: [number, number, number];
  /** Box extent along x, y, z. */
  extent: [number, number, number];
  shape: number[];
}

function layoutOf(spec: PatchSpec): Layout {
  const raw = typeof spec.size === 'number' ? Array(spec.dims).fill(spec.size) : spec.size;
  if (raw.length !== spec.dims || raw.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new RangeError(`patch size must be ${spec.dims} positive integers, got ${raw.join('x')}`);
  }
  // Patch axes (outer -> inner) as volume axes 0 = x, 1 = y, 2 = z; x innermost like the volume.
  let axes: [number, number, number];
  let lens: [number, number, number];
  if (spec.dims === 3) {
    axes = [2, 1, 0];
    lens = [raw[0], raw[1], raw[2]];
  } else {
    const axis = spec.axis ?? 'axial';
    axes = axis === 'axial' ? [2, 1, 0] : axis === 'coronal' ? [1, 2, 0] : [0, 2, 1];
    lens = [1, raw[0], raw[1]];
  }
  const extent: [number, number, number] = [1, 1, 1];
  for (let l = 0; l < 3; l++) extent[axes[l]] = lens[l];
  return { axes, lens, extent, shape: spec.dims === 3 ? raw : [raw[0], raw[1]] };
}

/** Inclusive prefix sums over (x, y, z), size (nx+1)(ny+1)(nz+1): O(1) foreground counts per box. */
const tables = new WeakMap<Uint8Array, Int32Array>();
function summedTable(s: Subject): Int32Array {
  const hit = tables.get(s.label);
  if (hit) return hit;
  const [nx, ny, nz] = s.dims;
  const sx = nx + 1;
  const sxy = sx * (ny + 1);
  const t = new Int32Array(sxy * (nz + 1));
  for (let z = 1; z <= nz; z++) {
    for (let y = 1; y <= ny; y++) {
      let row = 0;
      const src = nx * (y - 1 + ny * (z - 1)) - 1;
      for (let x = 1; x <= nx; x++) {
        row += s.label[src + x] > 0 ? 1 : 0;
        const i = x + sx * y + sxy * z;
        t[i] = row + t[i - sx] + t[i - sxy] - t[i - sx - sxy];
      }
    }
  }
  tables.set(s.label, t);
  return t;
}

/** Foreground voxels inside the box [o, o + e) clipped to the volume. */
function boxCount(s: Subject, t: Int32Array, o: readonly number[], e: readonly number[]): number {
  const [nx, ny, nz] = s.dims;
  const x0 = Math.max(0, o[0]);
  const y0 = Math.max(0, o[1]);
  const z0 = Math.max(0, o[2]);
  const x1 = Math.min(nx, o[0] + e[0]);
  const y1 = Math.min(ny, o[1] + e[1]);
  const z1 = Math.min(nz, o[2] + e[2]);
  if (x1 <= x0 || y1 <= y0 || z1 <= z0) return 0;
  const sx = nx + 1;
  const sxy = sx * (ny + 1);
  // Inclusion-exclusion over the 8 corners of the box in the prefix-sum table.
  const a0 = x0 + sx * y0;
  const a1 = x1 + sx * y0;
  const b0 = x0 + sx * y1;
  const b1 = x1 + sx * y1;
  const lo = sxy * z0;
  const hi = sxy * z1;
  return t[b1 + hi] - t[b0 + hi] - t[a1 + hi] + t[a0 + hi] - t[b1 + lo] + t[b0 + lo] + t[a1 + lo] - t[a0 + lo];
}

/** Valid origins per axis: [0, dim - extent], or one centred (padded) origin when the patch is larger. */
function originRange(dim: number, extent: number): { first: number; count: number } {
  return extent <= dim ? { first: 0, count: dim - extent + 1 } : { first: Math.floor((dim - extent) / 2), count: 1 };
}

function randomOrigin(s: Subject, layout: Layout, rng: Rng): [number, number, number] {
  const o: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const r = originRange(s.dims[a], layout.extent[a]);
    o[a] = r.first + rng.int(r.count);
  }
  return o;
}

/** Origins (x, y, z triples) of every patch of one subject that holds foreground, cached per geometry. */
const qualifying = new WeakMap<Uint8Array, Map<string, Int32Array>>();
function qualifyingOrigins(s: Subject, extent: readonly number[]): Int32Array {
  const key = extent.join('x');
  let perSubject = qualifying.get(s.label);
  if (!perSubject) qualifying.set(s.label, (perSubject = new Map()));
  const hit = perSubject.get(key);
  if (hit) return hit;
  const t = summedTable(s);
  const [rx, ry, rz] = [0, 1, 2].map((a) => originRange(s.dims[a], extent[a]));
  const found: number[] = [];
  for (let z = rz.first; z < rz.first + rz.count; z++) {
    for (let y = ry.first; y < ry.first + ry.count; y++) {
      for (let x = rx.first; x < rx.first + rx.count; x++) {
        if (boxCount(s, t, [x, y, z], extent) > 0) found.push(x, y, z);
      }
    }
  }
  const origins = Int32Array.from(found);
  perSubject.set(key, origins);
  return origins;
}

function pickPatch(subjects: Subject[], spec: PatchSpec, layout: Layout, rng: Rng): PatchRef {
  if (spec.requireForeground === false) {
    const subject = rng.int(subjects.length);
    return { subject, origin: randomOrigin(subjects[subject], layout, rng) };
  }
  const retries = spec.maxRetries ?? 200;
  for (let r = 0; r < retries; r++) {
    const subject = rng.int(subjects.length);
    const origin = randomOrigin(subjects[subject], layout, rng);
    if (boxCount(subjects[subject], summedTable(subjects[subject]), origin, layout.extent) > 0) return { subject, origin };
  }
  // Rare foreground: draw uniformly among all qualifying patches instead of retrying forever.
  const lists = subjects.map((s) => qualifyingOrigins(s, layout.extent));
  const total = lists.reduce((n, l) => n + l.length / 3, 0);
  if (total === 0) {
    const what = spec.dims === 3 ? `${layout.shape.join('x')} patch` : `${layout.shape.join('x')} ${spec.axis ?? 'axial'} patch`;
    throw new SamplingError(
      `no ${what} in the ${subjects.length} subject(s) contains a foreground voxel (are the labels empty?); set requireForeground: false to sample anyway`,
    );
  }
  let m = rng.int(total);
  let subject = 0;
  while (m >= lists[subject].length / 3) m -= lists[subject++].length / 3;
  const o = lists[subject];
  return { subject, origin: [o[3 * m], o[3 * m + 1], o[3 * m + 2]] };
}

const minima = new WeakMap<Float32Array, number>();
function channelMin(c: Float32Array): number {
  let m = minima.get(c);
  if (m === undefined) {
    m = Infinity;
    for (let i = 0; i < c.length; i++) if (c[i] < m) m = c[i];
    minima.set(c, m);
  }
  return m;
}

function checkInputs(subjects: Subject[], spec: PatchSpec): void {
  if (subjects.length === 0) throw new RangeError('sampleBatch: no subjects');
  if (!Number.isInteger(spec.batch) || spec.batch < 1) throw new RangeError(`batch must be an integer >= 1, got ${spec.batch}`);
  const c = subjects[0].channels.length;
  if (c === 0 || subjects.some((s) => s.channels.length !== c))
    throw new RangeError('every subject needs the same number (>= 1) of channels');
  const k = classCount(subjects[0]);
  if (subjects.some((s) => classCount(s) !== k)) throw new RangeError('every subject needs the same number of classes');
}

/**
 * Batch number `step` of the stream defined by `seed`: a pure function of its arguments, so a run
 * replays its batches exactly and any step can be regenerated on its own.
 */
export function sampleBatch(params: { subjects: Subject[]; spec: PatchSpec; seed: number; step: number }): Batch {
  const { subjects, spec, seed, step } = params;
  checkInputs(subjects, spec);
  const layout = layoutOf(spec);
  const rng = createRng(seed).fork('batches').fork(step);
  const B = spec.batch;
  const C = subjects[0].channels.length;
  const P = layout.lens[0] * layout.lens[1] * layout.lens[2];
  const K = classCount(subjects[0]);
  const onehot = (spec.labels ?? 'onehot') === 'onehot';
  const image = new Float32Array(B * P * C);
  const label = onehot ? new Float32Array(B * P * K) : new Uint8Array(B * P);
  const foreground: number[] = [];
  const patches: PatchRef[] = [];
  for (let b = 0; b < B; b++) {
    const ref = pickPatch(subjects, spec, layout, rng);
    patches.push(ref);
    const s = subjects[ref.subject];
    const strides = [1, s.dims[0], s.dims[0] * s.dims[1]];
    const pad = s.channels.map(channelMin);
    let fg = 0;
    let out = b * P;
    const [a0, a1, a2] = layout.axes;
    const [l0, l1, l2] = layout.lens;
    for (let i0 = 0; i0 < l0; i0++) {
      const v0 = ref.origin[a0] + i0;
      const in0 = v0 >= 0 && v0 < s.dims[a0];
      for (let i1 = 0; i1 < l1; i1++) {
        const v1 = ref.origin[a1] + i1;
        const in01 = in0 && v1 >= 0 && v1 < s.dims[a1];
        const base = v0 * strides[a0] + v1 * strides[a1];
        for (let i2 = 0; i2 < l2; i2++, out++) {
          const v2 = ref.origin[a2] + i2;
          const inside = in01 && v2 >= 0 && v2 < s.dims[a2];
          const idx = base + v2 * strides[a2];
          for (let c = 0; c < C; c++) image[out * C + c] = inside ? s.channels[c][idx] : pad[c];
          const l = inside ? s.label[idx] : 0;
          if (l > 0) fg++;
          if (onehot) label[K * out + l] = 1;
          else label[out] = l;
        }
      }
    }
    foreground.push(fg / P);
  }
  const imageShape = [B, ...layout.shape, C];
  return { image, imageShape, label, labelShape: onehot ? [B, ...layout.shape, K] : [B, ...layout.shape], foreground, patches };
}

/** Median of a list (mean of the middle two for even lengths); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/**
 * The paper's "Imbalance Ratio" of what is actually trained on: the median foreground fraction of
 * `patches` patches (default 64) drawn under `spec` from a stream of their own (counts only, no copies).
 */
export function patchImbalance(params: { subjects: Subject[]; spec: PatchSpec; seed?: number; patches?: number }): number {
  const { subjects, spec, seed = 0, patches = 64 } = params;
  checkInputs(subjects, spec);
  const layout = layoutOf(spec);
  const rng = createRng(seed).fork('imbalance');
  const size = layout.lens[0] * layout.lens[1] * layout.lens[2];
  const fractions: number[] = [];
  for (let p = 0; p < patches; p++) {
    const ref = pickPatch(subjects, spec, layout, rng);
    const s = subjects[ref.subject];
    fractions.push(boxCount(s, summedTable(s), ref.origin, layout.extent) / size);
  }
  return median(fractions);
}

// Normalisation and the subject split live in subjects.ts; re-exported for callers of this module.
export {
  classCount,
  type NormaliseReference,
  prepareSubject,
  type Subject,
  splitSubjects,
  subjectFromPhantom,
  zScore,
} from './subjects';
