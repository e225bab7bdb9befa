// Lesion mimics: structures that are bright on FLAIR in real scans and are not lesions. They are
// placed from the anatomy alone (a burden slider moves lesions, not mimics) and never labelled.
import { type Anatomy, TISSUE, ventricleRadius } from './anatomy';
import type { Dims3 } from './fields';
import type { Rng } from './rng';

/** Mimic codes of the mimic map (0 = none). */
export const MIMIC = { none: 0, rim: 1, flow: 2, choroid: 3, gliosis: 4 } as const;
export type MimicName = Exclude<keyof typeof MIMIC, 'none'>;

/** Choroid plexus: an ellipsoid in each atrium, in brain coordinates (mirrored in x). */
const CHOROID = { c: [0.14, -0.3, 0.1], r: [0.06, 0.1, 0.06] };

/**
 * Ependymal rim and caps (white or deep grey matter just outside a lateral ventricle), CSF flow
 * artefacts (small balls in ventricular CSF) and choroid plexus (in the atria).
 */
export function placeMimics(params: {
  anatomy: Anatomy;
  dims: Dims3;
  rimWidth: number;
  flowCount: number;
  rng: Rng;
}): Uint8Array {
  const { anatomy, dims, rimWidth, flowCount, rng } = params;
  const { tissue, brainMask, centre, radius } = anatomy;
  const [nx, ny, nz] = dims;
  const mimic = new Uint8Array(tissue.length);
  const ventricular: number[] = [];
  // One flat loop (x, y, z kept by hand): V8 optimises it whole, where nested loops have it enter and
  // leave compiled code once per row.
  let vz = (0 - centre[2]) / radius[2];
  let vy = (0 - centre[1]) / radius[1];
  for (let i = 0, x = -1, y = 0, z = 0; i < tissue.length; i++) {
    if (++x === nx) {
      x = 0;
      if (++y === ny) {
        y = 0;
        z++;
        vz = (z - centre[2]) / radius[2];
      }
      vy = (y - centre[1]) / radius[1];
    }
    if (!brainMask[i]) continue;
    const t = tissue[i];
    if (t !== TISSUE.wm && t !== TISSUE.deepGm && t !== TISSUE.csf) continue;
    const r = ventricleRadius(anatomy, x, y, z);
    if (r >= 1 + rimWidth) continue;
    if (t === TISSUE.csf) {
      if (r >= 1) continue;
      ventricular.push(i);
      const vx = Math.abs((x - centre[0]) / radius[0]);
      const dx = (vx - CHOROID.c[0]) / CHOROID.r[0];
      const dy = (vy - CHOROID.c[1]) / CHOROID.r[1];
      const dz = (vz - CHOROID.c[2]) / CHOROID.r[2];
      if (dx * dx + dy * dy + dz * dz < 1) mimic[i] = MIMIC.choroid;
    } else if (r >= 1) mimic[i] = MIMIC.rim;
  }
  // Flow artefacts: balls of ~1.5 voxels (2% of the mean side) around random ventricular voxels.
  const reach = Math.max(1, 0.02 * ((nx + ny + nz) / 3));
  const span = Math.ceil(reach);
  for (let f = 0; f < flowCount && ventricular.length > 0; f++) {
    const s = ventricular[rng.int(ventricular.length)];
    const sx = s % nx;
    const sy = Math.floor(s / nx) % ny;
    const sz = Math.floor(s / (nx * ny));
    for (let z = Math.max(0, sz - span); z <= Math.min(nz - 1, sz + span); z++)
      for (let y = Math.max(0, sy - span); y <= Math.min(ny - 1, sy + span); y++)
        for (let x = Math.max(0, sx - span); x <= Math.min(nx - 1, sx + span); x++) {
          const j = x + nx * (y + ny * z);
          const d2 = (x - sx) ** 2 + (y - sy) ** 2 + (z - sz) ** 2;
          if (d2 <= reach * reach && tissue[j] === TISSUE.csf && mimic[j] === MIMIC.none) mimic[j] = MIMIC.flow;
        }
  }
  return mimic;
}

/** Gliosis: unlabelled WM or deep GM voxels face-adjacent to a lacune (the FLAIR-bright rim). */
export function markGliosis(params: { mimic: Uint8Array; label: Uint8Array; tissue: Uint8Array; dims: Dims3 }): void {
  const { mimic, label, tissue, dims } = params;
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  for (let i = 0, x = 0, y = 0, z = 0; i < label.length; i++) {
    if (
      !label[i] &&
      (tissue[i] === TISSUE.wm || tissue[i] === TISSUE.deepGm) &&
      ((x > 0 && label[i - 1]) ||
        (x < nx - 1 && label[i + 1]) ||
        (y > 0 && label[i - nx]) ||
        (y < ny - 1 && label[i + nx]) ||
        (z > 0 && label[i - plane]) ||
        (z < nz - 1 && label[i + plane]))
    )
      mimic[i] = MIMIC.gliosis;
    if (++x === nx) {
      x = 0;
      if (++y === ny) {
        y = 0;
        z++;
      }
    }
  }
}
