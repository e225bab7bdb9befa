// Exact Euclidean distance transforms in mm (Felzenszwalb and Huttenlocher 2012: the squared distance as
// a lower envelope of parabolas, one pass per axis, so anisotropic spacing is exact) and the signed
// distance maps of a reference that Kervadec et al.'s boundary loss multiplies with the prediction.

/** Row-major (last axis fastest) voxels with their size in mm along each axis. */
export interface Grid {
  shape: readonly number[];
  /** mm per voxel along each axis of `shape` (default 1). */
  spacing?: readonly number[];
}

function checkGrid(size: number, g: Grid): number[] {
  const n = g.shape.reduce((a, b) => a * b, 1);
  if (g.shape.length < 1 || g.shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new RangeError(`distance: shape must be positive integers, got [${g.shape.join(',')}]`);
  if (n !== size) throw new RangeError(`distance: ${size} values for shape [${g.shape.join(',')}] (${n} voxels)`);
  const spacing = g.spacing ? [...g.spacing] : g.shape.map(() => 1);
  if (spacing.length !== g.shape.length || spacing.some((s) => !(s > 0) || !Number.isFinite(s)))
    throw new RangeError(`distance: spacing needs ${g.shape.length} positive mm values, got [${spacing.join(',')}]`);
  return spacing;
}

/**
 * One line: d[q] = min_p w (q - p)^2 + f[p] (w = spacing^2), Infinity where no p has a finite f.
 * v, z: scratch of n and n + 1 entries (the envelope's parabolas and their boundaries).
 */
function envelope1d(f: Float64Array, n: number, w: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Number.POSITIVE_INFINITY) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = Number.NEGATIVE_INFINITY;
      z[1] = Number.POSITIVE_INFINITY;
      continue;
    }
    let s: number;
    // Pop parabolas hidden by the new one; z[0] = -Infinity stops the loop at k = 0.
    for (;;) {
      const p = v[k];
      s = (fq + w * q * q - (f[p] + w * p * p)) / (2 * w * (q - p));
      if (s <= z[k]) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) {
    d.fill(Number.POSITIVE_INFINITY, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1] < q) j++;
    const dq = q - v[j];
    d[q] = w * dq * dq + f[v[j]];
  }
}

/**
 * Squared distance in mm^2 from every voxel to the nearest voxel where `feature` is non-zero (0 on the
 * feature itself); Infinity everywhere when there is no feature voxel.
 */
export function squaredDistanceToFeature(params: Grid & { feature: ArrayLike<number> }): Float64Array {
  const { feature, shape } = params;
  const spacing = checkGrid(feature.length, params);
  const out = new Float64Array(feature.length);
  const last = shape.length - 1;
  nearestAlongRows(feature, shape[last], spacing[last], out);
  const longest = Math.max(...shape);
  const line = new Float64Array(longest);
  const res = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  // Separable: the exact squared EDT is the 1D transform applied along each axis in turn (the last axis,
  // contiguous, above; the others as lower envelopes of parabolas).
  let stride = out.length;
  for (let a = 0; a < last; a++) {
    const n = shape[a];
    stride /= n;
    const w = spacing[a] * spacing[a];
    const block = n * stride;
    for (let start = 0; start < out.length; start += block) {
      for (let off = 0; off < stride; off++) {
        const base = start + off;
        for (let q = 0; q < n; q++) line[q] = out[base + q * stride];
        envelope1d(line, n, w, res, v, z);
        for (let q = 0; q < n; q++) out[base + q * stride] = res[q];
      }
    }
  }
  return out;
}

/** First pass on the binary input: squared distance along each row (length n) to its nearest feature, two scans. */
function nearestAlongRows(feature: ArrayLike<number>, n: number, s: number, out: Float64Array): void {
  const w = s * s;
  for (let start = 0; start < out.length; start += n) {
    let prev = Number.NEGATIVE_INFINITY;
    for (let q = 0; q < n; q++) {
      if (feature[start + q]) prev = q;
      out[start + q] = q - prev;
    }
    let next = Number.POSITIVE_INFINITY;
    for (let q = n - 1; q >= 0; q--) {
      if (feature[start + q]) next = q;
      const d = Math.min(out[start + q], next - q);
      out[start + q] = d === Number.POSITIVE_INFINITY ? d : w * d * d;
    }
  }
}

/**
 * scipy.ndimage.distance_transform_edt: for every non-zero voxel of `mask`, the distance in mm to the
 * nearest zero voxel; 0 on zero voxels. A mask with no zero voxel gives Infinity on every voxel (scipy's
 * value is undefined there).
 */
export function distanceTransform(params: Grid & { mask: ArrayLike<number> }): Float64Array {
  const { mask } = params;
  const zeros = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) zeros[i] = mask[i] ? 0 : 1;
  const d = squaredDistanceToFeature({ ...params, feature: zeros });
  for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
  return d;
}

/**
 * Signed distance map of a reference `mask` (voxels >= 0.5 are inside), in mm, Kervadec et al.'s
 * convention generalised to mm: outside, the distance to the nearest inside voxel (> 0); inside,
 * -(distance to the nearest outside voxel - h), h the smallest spacing, so the inner boundary voxels
 * along the finest axis are 0 and deeper voxels negative (with 1 mm voxels exactly their one_hot2dist).
 * An empty mask gives 0 everywhere (as theirs: the class has no boundary to pull towards), and so does
 * a full one (no outside voxel in the grid, so no boundary inside it).
 */
export function signedDistanceMap(params: Grid & { mask: ArrayLike<number> }): Float32Array {
  return signedDistancePair(params).map;
}

/**
 * The signed map of `mask` and of its complement (the other class of a two-class one-hot label) from the
 * same two transforms: inside one is outside the other.
 */
export function signedDistancePair(params: Grid & { mask: ArrayLike<number> }): { map: Float32Array; complement: Float32Array } {
  const { mask } = params;
  const spacing = checkGrid(mask.length, params);
  const map = new Float32Array(mask.length);
  const complement = new Float32Array(mask.length);
  const inside = new Uint8Array(mask.length);
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    inside[i] = mask[i] >= 0.5 ? 1 : 0;
    count += inside[i];
  }
  if (count === 0 || count === mask.length) return { map, complement };
  const outside = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) outside[i] = 1 - inside[i];
  const toInside = squaredDistanceToFeature({ ...params, feature: inside });
  const toOutside = squaredDistanceToFeature({ ...params, feature: outside });
  const h = Math.min(...spacing);
  for (let i = 0; i < mask.length; i++) {
    const dIn = Math.sqrt(toInside[i]);
    const dOut = Math.sqrt(toOutside[i]);
    map[i] = inside[i] ? h - dOut : dIn;
    complement[i] = inside[i] ? dOut : h - dIn;
  }
  return { map, complement };
}

/**
 * Signed distance maps of every item and class of a channels-last one-hot label [B, ...S, K]: the same
 * shape, map of item b and class k from channel k, with item b's spacing (mm along the axes of S).
 */
export function batchSignedDistances(params: {
  label: ArrayLike<number>;
  labelShape: readonly number[];
  spacings: readonly (readonly number[])[];
}): Float32Array {
  const { label, labelShape, spacings } = params;
  const B = labelShape[0];
  const K = labelShape[labelShape.length - 1];
  const spatial = labelShape.slice(1, -1);
  const M = spatial.reduce((a, b) => a * b, 1);
  if (label.length !== B * M * K)
    throw new RangeError(`batchSignedDistances: ${label.length} values for shape [${labelShape.join(',')}]`);
  if (spacings.length !== B) throw new RangeError(`batchSignedDistances: ${spacings.length} spacings for ${B} items`);
  const out = new Float32Array(label.length);
  const mask = new Float32Array(M);
  const write = (b: number, k: number, phi: Float32Array) => {
    for (let m = 0; m < M; m++) out[(b * M + m) * K + k] = phi[m];
  };
  for (let b = 0; b < B; b++) {
    // Two complementary classes (the usual one-hot pair): both maps from one pair of transforms.
    if (K === 2 && isComplementary(label, b * M * 2, M)) {
      for (let m = 0; m < M; m++) mask[m] = label[(b * M + m) * 2 + 1];
      const pair = signedDistancePair({ mask, shape: spatial, spacing: spacings[b] });
      write(b, 0, pair.complement);
      write(b, 1, pair.map);
      continue;
    }
    for (let k = 0; k < K; k++) {
      for (let m = 0; m < M; m++) mask[m] = label[(b * M + m) * K + k];
      write(b, k, signedDistanceMap({ mask, shape: spatial, spacing: spacings[b] }));
    }
  }
  return out;
}

/** Whether channel 0 is inside exactly where channel 1 is not, over M voxels of a two-channel label from `start`. */
function isComplementary(label: ArrayLike<number>, start: number, M: number): boolean {
  for (let m = 0; m < M; m++) if (label[start + 2 * m] >= 0.5 === label[start + 2 * m + 1] >= 0.5) return false;
  return true;
}
