// The boxes a streamed volume's voxels are summed into (streamed-read.ts): where each file voxel goes in the
// downsampled RAS-ordered grid (planBoxes), and the accumulators, box means for images and box modes for labels,
// which hold one slab of boxes at a time.
import type { VolumeArray } from '../data/volume';
import type { Orientation } from './geometry';
import { boxRange, type Factors, shrunkCount } from './resample';

/**
 * Where each file voxel goes, per file axis. The RAS axis r reads file axis perm[r] (reversed when flip[r]);
 * along it the boxes are those of `downsample` (resample.ts boxRange). The RAS axis fed by the file's slowest
 * axis (z) is the "slab" axis: file slices arrive in order, so its boxes complete one after the other and only
 * one slab of boxes (the two other RAS axes) is summed at a time.
 */
export interface Plan {
  fileDims: [number, number, number];
  outDims: [number, number, number];
  outCount: number;
  /** Slab cell of file x and of file y (added), and slab box of file z. */
  tx: Int32Array;
  ty: Int32Array;
  tz: Int32Array;
  /** Output index of each slab cell (without the slab axis' part), its box size over the two slab axes. */
  cellOut: Int32Array;
  cellSize: Int32Array;
  /** Output stride of the slab axis, and the box size along it. */
  zStride: number;
  zSize: Int32Array;
  /** Box sizes along each RAS axis, and the largest box. */
  sizes: Int32Array[];
  maxBox: number;
}

export function planBoxes(fileDims: [number, number, number], o: Orientation, factors: Factors): Plan {
  const newDims = o.perm.map((c) => fileDims[c]);
  const outDims = newDims.map((d, r) => shrunkCount(d, factors[r])) as [number, number, number];
  const boxOf: Int32Array[] = [];
  const sizes: Int32Array[] = [];
  for (let r = 0; r < 3; r++) {
    const b = new Int32Array(newDims[r]);
    const s = new Int32Array(outDims[r]);
    for (let i = 0; i < outDims[r]; i++) {
      const [lo, hi] = boxRange(i, factors[r], newDims[r], outDims[r]);
      s[i] = hi - lo;
      b.fill(i, lo, hi);
    }
    boxOf.push(b);
    sizes.push(s);
  }
  const rOf = [0, 1, 2].map((c) => o.perm.indexOf(c as 0 | 1 | 2));
  // Box index along RAS axis rOf[c] of file coordinate x on file axis c.
  const fileBox = (c: number) => {
    const r = rOf[c];
    const d = fileDims[c];
    return Int32Array.from({ length: d }, (_, x) => boxOf[r][o.flip[r] ? d - 1 - x : x]);
  };
  const stride = [1, outDims[0], outDims[0] * outDims[1]];
  const zAxis = rOf[2];
  const [a, b] = [0, 1, 2].filter((r) => r !== zAxis);
  const local = [0, 0, 0];
  local[a] = 1;
  local[b] = outDims[a];
  const bx = fileBox(0);
  const by = fileBox(1);
  const tx = bx.map((i) => i * local[rOf[0]]);
  const ty = by.map((i) => i * local[rOf[1]]);
  const cells = outDims[a] * outDims[b];
  const cellOut = new Int32Array(cells);
  const cellSize = new Int32Array(cells);
  for (let lb = 0; lb < outDims[b]; lb++)
    for (let la = 0; la < outDims[a]; la++) {
      cellOut[la + outDims[a] * lb] = la * stride[a] + lb * stride[b];
      cellSize[la + outDims[a] * lb] = sizes[a][la] * sizes[b][lb];
    }
  const maxOf = (s: Int32Array) => s.reduce((m, x) => Math.max(m, x), 0);
  return {
    fileDims,
    outDims,
    outCount: outDims[0] * outDims[1] * outDims[2],
    tx,
    ty,
    tz: fileBox(2),
    cellOut,
    cellSize,
    zStride: stride[zAxis],
    zSize: sizes[zAxis],
    sizes,
    maxBox: maxOf(sizes[0]) * maxOf(sizes[1]) * maxOf(sizes[2]),
  };
}

/** Walks one 3D pass of the file's voxels (x fastest) and hands each row run and each completed slab on. */
export abstract class Boxes {
  private x = 0;
  private y = 0;
  private z = 0;
  private row: number;
  private box: number;
  constructor(protected readonly plan: Plan) {
    this.row = plan.ty[0];
    this.box = plan.tz[0];
  }
  protected abstract addRun(values: VolumeArray, from: number, count: number, row: number, x: number): void;
  protected abstract flush(box: number): void;

  /** values[from .. to) are the pass's next voxels. */
  push(values: VolumeArray, from: number, to: number): void {
    const [dx, dy, dz] = this.plan.fileDims;
    const { ty, tz } = this.plan;
    for (let i = from; i < to; ) {
      const run = Math.min(to - i, dx - this.x);
      this.addRun(values, i, run, this.row, this.x);
      i += run;
      this.x += run;
      if (this.x === dx) {
        this.x = 0;
        if (++this.y === dy) {
          this.y = 0;
          if (++this.z < dz && tz[this.z] !== this.box) {
            this.flush(this.box);
            this.box = tz[this.z];
          }
        }
        this.row = ty[this.y];
      }
    }
  }

  /** After the pass's last voxel: the last slab is complete; a next pass (a frame) starts over. */
  endPass(): void {
    this.flush(this.box);
    this.x = 0;
    this.y = 0;
    this.z = 0;
    this.row = this.plan.ty[0];
    this.box = this.plan.tz[0];
  }
}

/** Box means (float64 sums, as `downsample`); `passes` > 1 averages that many passes (frames) too. */
export class MeanBoxes extends Boxes {
  private slab: Float64Array;
  private sums: Float64Array | null;
  readonly out: Float32Array;
  constructor(
    plan: Plan,
    private readonly passes = 1,
  ) {
    super(plan);
    this.slab = new Float64Array(plan.cellOut.length);
    this.sums = passes > 1 ? new Float64Array(plan.outCount) : null;
    this.out = new Float32Array(plan.outCount);
  }
  protected addRun(values: VolumeArray, from: number, count: number, row: number, x: number): void {
    const { slab } = this;
    const { tx } = this.plan;
    for (let k = 0; k < count; k++) slab[row + tx[x + k]] += values[from + k];
  }
  protected flush(box: number): void {
    const { slab, sums, out } = this;
    const { cellOut, cellSize } = this.plan;
    const off = box * this.plan.zStride;
    const kz = this.plan.zSize[box];
    if (sums) for (let c = 0; c < slab.length; c++) sums[cellOut[c] + off] += slab[c];
    else for (let c = 0; c < slab.length; c++) out[cellOut[c] + off] = slab[c] / (cellSize[c] * kz);
    slab.fill(0);
  }
  result(): Float32Array {
    const { sums, out } = this;
    if (sums) {
      const [sx, sy, sz] = this.plan.sizes;
      const [nx, ny, nz] = this.plan.outDims;
      for (let z = 0, i = 0; z < nz; z++)
        for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, i++) out[i] = sums[i] / (sx[x] * sy[y] * sz[z] * this.passes);
      this.sums = null;
    }
    return out;
  }
}

/**
 * Box modes of class indices (`downsample`'s 'mode' on the class map): each box's most frequent class, ties to
 * the larger. Counts per slab cell for classes 1 .. classes - 1 (background is the rest of the box), in the
 * narrowest integer type that holds a box.
 */
export class ModeBoxes extends Boxes {
  private counts: Uint8Array | Uint16Array | Uint32Array;
  private readonly lut = new Int16Array(1 << 16).fill(-1);
  readonly out: Uint8Array;
  /** Voxels of a class > 0 (the label's foreground before downsampling). */
  foreground = 0;
  constructor(
    plan: Plan,
    private readonly classes: number,
    private readonly classOf: (value: number) => number,
  ) {
    super(plan);
    const n = plan.cellOut.length * Math.max(0, classes - 1);
    this.counts = plan.maxBox < 256 ? new Uint8Array(n) : plan.maxBox < 65536 ? new Uint16Array(n) : new Uint32Array(n);
    this.out = new Uint8Array(plan.outCount);
  }
  protected addRun(values: VolumeArray, from: number, count: number, row: number, x: number): void {
    const { counts, lut, classOf } = this;
    const { tx } = this.plan;
    const m = this.classes - 1;
    let fg = 0;
    for (let k = 0; k < count; k++) {
      const v = values[from + k];
      let c: number;
      if (v >= 0 && v < 65536 && (v | 0) === v) {
        c = lut[v];
        if (c < 0) c = lut[v] = classOf(v);
      } else c = classOf(v);
      if (c > m) throw new RangeError(`class ${c} of label value ${v}: only ${this.classes} classes were counted`);
      if (c > 0) {
        counts[(row + tx[x + k]) * m + c - 1]++;
        fg++;
      }
    }
    this.foreground += fg;
  }
  protected flush(box: number): void {
    const { counts, out } = this;
    const { cellOut, cellSize } = this.plan;
    const off = box * this.plan.zStride;
    const kz = this.plan.zSize[box];
    const m = this.classes - 1;
    for (let c = 0; c < cellOut.length; c++) {
      const base = c * m;
      let rest = cellSize[c] * kz;
      for (let k = 0; k < m; k++) rest -= counts[base + k];
      let best = 0;
      let bestCount = rest;
      for (let k = 1; k <= m; k++) {
        const n = counts[base + k - 1];
        if (n > 0 && n >= bestCount) {
          best = k;
          bestCount = n;
        }
      }
      out[cellOut[c] + off] = best;
    }
    counts.fill(0);
  }
}
