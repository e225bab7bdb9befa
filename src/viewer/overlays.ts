// Pure helpers that turn a label volume and a prediction slice into overlay volumes (no niivue here).

export interface PredictionSlice {
  /** Axial slice index the probabilities belong to. */
  z: number;
  height: number;
  width: number;
  /** Foreground probabilities, row-major [height][width] = [y][x]. */
  probs: Float32Array;
}

export type PredictionMode = 'heat' | 'binary';

/** In-plane (axial) outline of a label: label voxels with a 4-neighbour of another class (so class borders show too). */
export function axialOutline(label: ArrayLike<number>, dims: readonly number[]): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const l = label[i];
        if (!l) continue;
        const edge =
          x === 0 ||
          x === nx - 1 ||
          y === 0 ||
          y === ny - 1 ||
          label[i - 1] !== l ||
          label[i + 1] !== l ||
          label[i - nx] !== l ||
          label[i + nx] !== l;
        if (edge) out[i] = 1;
      }
  return out;
}

/** Writes one axial slice of probabilities (heat) or the thresholded mask (binary) into a volume. */
export function writePredictionSlice(params: {
  target: Float32Array;
  dims: readonly number[];
  slice: PredictionSlice;
  mode: PredictionMode;
}): void {
  const { target, dims, slice, mode } = params;
  const [nx, ny] = dims;
  target.fill(0);
  const h = Math.min(ny, slice.height);
  const w = Math.min(nx, slice.width);
  const base = nx * ny * slice.z;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = slice.probs[y * slice.width + x];
      target[base + x + nx * y] = mode === 'binary' ? (p >= 0.5 ? 1 : 0) : p;
    }
}

/** Error map on the predicted slice: 1 true positive, 2 false positive, 3 false negative, 0 else. */
export function writeErrorSlice(params: {
  target: Float32Array;
  label: ArrayLike<number>;
  dims: readonly number[];
  slice: PredictionSlice;
}): { tp: number; fp: number; fn: number } {
  const { target, label, dims, slice } = params;
  const [nx, ny] = dims;
  target.fill(0);
  const counts = { tp: 0, fp: 0, fn: 0 };
  const base = nx * ny * slice.z;
  for (let y = 0; y < Math.min(ny, slice.height); y++)
    for (let x = 0; x < Math.min(nx, slice.width); x++) {
      const i = base + x + nx * y;
      const pred = slice.probs[y * slice.width + x] >= 0.5;
      const ref = label[i] > 0;
      const code = pred ? (ref ? 1 : 2) : ref ? 3 : 0;
      target[i] = code;
      if (code === 1) counts.tp++;
      else if (code === 2) counts.fp++;
      else if (code === 3) counts.fn++;
    }
  return counts;
}
