// NIfTI orientation maths: quaternion (qform) <-> 4x4 affine, after nifti1_io's
// nifti_quatern_to_mat44 and nifti_mat44_to_quatern. Matrices are row-major arrays of 16.

export interface Qform {
  b: number;
  c: number;
  d: number;
  /** Voxel centre of (0, 0, 0) in mm. */
  offset: [number, number, number];
  /** Voxel sizes (positive) and qfac (+1 or -1, the handedness of k). */
  pixdim: [number, number, number];
  qfac: 1 | -1;
}

/** Affine from quaternion parameters: R(b, c, d) * diag(dx, dy, qfac * dz) + offset. */
export function qformToAffine(q: Qform): number[] {
  let { b, c, d } = q;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // Numerically a 180-degree rotation: renormalise (b, c, d) and take a = 0.
    const n = Math.sqrt(b * b + c * c + d * d) || 1;
    b /= n;
    c /= n;
    d /= n;
    a = 0;
  } else a = Math.sqrt(a);
  const [dx, dy, dz0] = q.pixdim.map((p) => (p > 0 ? p : 1));
  const dz = dz0 * q.qfac;
  const [ox, oy, oz] = q.offset;
  return [
    (a * a + b * b - c * c - d * d) * dx,
    2 * (b * c - a * d) * dy,
    2 * (b * d + a * c) * dz,
    ox,
    2 * (b * c + a * d) * dx,
    (a * a + c * c - b * b - d * d) * dy,
    2 * (c * d - a * b) * dz,
    oy,
    2 * (b * d - a * c) * dx,
    2 * (c * d + a * b) * dy,
    (a * a + d * d - c * c - b * b) * dz,
    oz,
    0,
    0,
    0,
    1,
  ];
}

function det3(m: number[]): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/** Nearest orthogonal matrix (polar decomposition by Newton iteration X <- (X + X^-T) / 2). */
function polar(m: number[]): number[] {
  let x = m.slice();
  for (let it = 0; it < 50; it++) {
    const det = det3(x);
    if (!(Math.abs(det) > 1e-30)) break;
    // Inverse transpose = cofactor matrix / det.
    const cof = [
      x[4] * x[8] - x[5] * x[7],
      x[5] * x[6] - x[3] * x[8],
      x[3] * x[7] - x[4] * x[6],
      x[2] * x[7] - x[1] * x[8],
      x[0] * x[8] - x[2] * x[6],
      x[1] * x[6] - x[0] * x[7],
      x[1] * x[5] - x[2] * x[4],
      x[2] * x[3] - x[0] * x[5],
      x[0] * x[4] - x[1] * x[3],
    ];
    const next = x.map((v, i) => 0.5 * (v + cof[i] / det));
    const change = next.reduce((s, v, i) => s + Math.abs(v - x[i]), 0);
    x = next;
    if (change < 1e-12) break;
  }
  return x;
}

/** Quaternion parameters closest to an affine (shear is dropped; the sform keeps it exactly). */
export function affineToQform(affine: readonly number[]): Qform {
  const col = (j: number) => [affine[j], affine[4 + j], affine[8 + j]];
  const cols = [col(0), col(1), col(2)];
  const pixdim: [number, number, number] = [1, 1, 1];
  for (let j = 0; j < 3; j++) {
    const n = Math.hypot(...cols[j]);
    if (n > 0 && Number.isFinite(n)) {
      pixdim[j] = n;
      cols[j] = cols[j].map((v) => v / n);
    } else cols[j] = [0, 0, 0].map((_, i) => (i === j ? 1 : 0));
  }
  // Row-major 3x3 with the normalised columns.
  let r = [0, 1, 2].flatMap((i) => [cols[0][i], cols[1][i], cols[2][i]]);
  if (!(Math.abs(det3(r)) > 1e-12)) r = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  r = polar(r);
  let qfac: 1 | -1 = 1;
  if (det3(r) < 0) {
    qfac = -1;
    r[2] = -r[2];
    r[5] = -r[5];
    r[8] = -r[8];
  }
  // Rotation matrix -> quaternion, choosing the numerically safest branch.
  const [r11, r12, r13, r21, r22, r23, r31, r32, r33] = r;
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, offset: [affine[3], affine[7], affine[11]], pixdim, qfac };
}

/** The header fields an affine comes from (a parsed header, or a Volume's meta). */
export interface XformFields {
  qformCode: number;
  sformCode: number;
  quatern: readonly number[];
  qoffset: readonly number[];
  srow: readonly number[];
  pixdim: readonly number[];
}

export type AffineSource = 'sform' | 'qform' | 'pixdim' | 'analyze';

/** Voxel sizes from pixdim[1..3]: absolute values, 1 where unset or non-finite. */
export function voxelSizes(pixdim: readonly number[]): [number, number, number] {
  return [pixdim[1], pixdim[2], pixdim[3]].map((p) => (Number.isFinite(p) && p !== 0 ? Math.abs(p) : 1)) as [
    number,
    number,
    number,
  ];
}

/** The NIfTI standard's choice: sform (code > 0), else qform (code > 0), else diag(pixdim) ("method 1"). */
export function niftiAffine(h: XformFields): { affine: number[]; source: AffineSource } {
  const finite = (xs: readonly number[]) => xs.every(Number.isFinite);
  if (h.sformCode > 0 && finite(h.srow) && h.srow.some((v, k) => k % 4 !== 3 && v !== 0)) {
    return { affine: [...h.srow, 0, 0, 0, 1], source: 'sform' };
  }
  const pix = voxelSizes(h.pixdim);
  if (h.qformCode > 0 && finite(h.quatern) && finite(h.qoffset)) {
    const affine = qformToAffine({
      b: h.quatern[0],
      c: h.quatern[1],
      d: h.quatern[2],
      offset: [h.qoffset[0], h.qoffset[1], h.qoffset[2]],
      pixdim: pix,
      qfac: h.pixdim[0] < 0 ? -1 : 1,
    });
    if (finite(affine)) return { affine, source: 'qform' };
  }
  return { affine: [pix[0], 0, 0, 0, 0, pix[1], 0, 0, 0, 0, pix[2], 0, 0, 0, 0, 1], source: 'pixdim' };
}

/**
 * ANALYZE 7.5 stores no orientation; like nibabel (and SPM) we assume LAS: x flipped, world 0 at
 * SPM's 1-based origin field when it is set and inside a sane range, else at the image centre.
 */
export function analyzeAffine(params: {
  dims: readonly number[];
  pixdim: readonly number[];
  origin: readonly number[];
}): number[] {
  const [dx, dy, dz] = voxelSizes(params.pixdim);
  const zooms = [-dx, dy, dz];
  const dims = params.dims.slice(0, 3);
  const o = params.origin;
  const useOrigin = o.some((v) => v !== 0) && o.every((v, k) => v > -dims[k] && v < 2 * dims[k]);
  const centre = dims.map((n, k) => (useOrigin ? o[k] - 1 : (n - 1) / 2));
  const t = centre.map((c, k) => -c * zooms[k]);
  return [zooms[0], 0, 0, t[0], 0, zooms[1], 0, t[1], 0, 0, zooms[2], t[2], 0, 0, 0, 1];
}
