// Inside a realistic lesion: its zones (tumour necrosis, enhancing rim, oedema; WMH; lacune cavity),
// a smooth severity field (heterogeneity) and partial-volume weights at its border.
import type { DifficultyModel, LesionZone } from './difficulty';
import type { Dims3 } from './fields';
import { smoothNoise } from './fields';
import type { LesionKind } from './lesions';
import { MIMIC } from './mimics';
import { boundingBox, boxIndices } from './morphology';
import type { Rng } from './rng';

/** Zone codes of the zone map: index + 1 (0 = not lesion). */
export const ZONES: readonly LesionZone[] = ['wmh', 'oedema', 'enhancing', 'necrosis', 'cavity'];
export const zoneCode = (z: LesionZone): number => ZONES.indexOf(z) + 1;

/**
 * Zone of every lesion voxel. Tumours are layered by their growth score (highest = nearest the seed):
 * the deepest share is necrotic, the next an enhancing rim, the rest oedema.
 */
export function lesionZones(params: {
  kind: LesionKind;
  voxels: Int32Array;
  scores: Float32Array;
  total: number;
  model: DifficultyModel;
}): Uint8Array {
  const { kind, voxels, scores, total, model } = params;
  const zone = new Uint8Array(total);
  const k = voxels.length;
  if (kind !== 'tumour') {
    const code = zoneCode(kind === 'wmh' ? 'wmh' : 'cavity');
    for (let j = 0; j < k; j++) zone[voxels[j]] = code;
    return zone;
  }
  const sorted = Float32Array.from(scores).sort().reverse();
  const { necrosis, enhancing } = model.tumourZones;
  const cut = (share: number) => (k > 0 ? sorted[Math.min(k - 1, Math.floor(share * k))] : 0);
  const coreAbove = cut(necrosis);
  const rimAbove = cut(necrosis + enhancing);
  // A tumour of a few voxels is all oedema: a core needs room.
  const layered = k >= 20;
  for (let j = 0; j < k; j++) {
    const s = scores[j];
    const z: LesionZone = layered && s > coreAbove ? 'necrosis' : layered && s > rimAbove ? 'enhancing' : 'oedema';
    zone[voxels[j]] = zoneCode(z);
  }
  return zone;
}

/**
 * Lesion heterogeneity: a smooth field (2 mm grain plus 6 mm patches, so whole small lesions come out
 * brighter or fainter) with mean 0 and sd 1 over the lesion voxels; 0 elsewhere except a 1-voxel margin.
 */
export function severityField(params: { label: Uint8Array; dims: Dims3; spacing: Dims3; rng: Rng }): Float32Array {
  const { label, dims, spacing, rng } = params;
  const out = new Float32Array(label.length);
  const box = boundingBox(label, dims, 1);
  const fine = smoothNoise({ dims: box.size, cell: [2 / spacing[0], 2 / spacing[1], 2 / spacing[2]], rng: rng.fork('fine') });
  const coarse = smoothNoise({ dims: box.size, cell: [6 / spacing[0], 6 / spacing[1], 6 / spacing[2]], rng: rng.fork('coarse') });
  const local = new Float32Array(fine.length);
  const inLesion: number[] = [];
  const at = boxIndices(box, dims);
  for (let j = 0; j < at.length; j++) {
    local[j] = 0.6 * fine[j] + 0.8 * coarse[j];
    if (label[at[j]]) inLesion.push(j);
  }
  let sum = 0;
  let sq = 0;
  for (const j of inLesion) {
    sum += local[j];
    sq += local[j] * local[j];
  }
  const n = Math.max(1, inLesion.length);
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
  const inv = sd > 1e-9 ? 1 / sd : 0;
  for (let j = 0; j < at.length; j++) out[at[j]] = (local[j] - mean) * inv;
  return out;
}

/**
 * Partial volume at lesion borders: lesion voxels with a non-lesion face neighbour hold `inside` of
 * lesion; unlabelled neighbours (not mimics) hold `outside`, taking the zone of a lesion neighbour.
 * Returns the weight per voxel (1 inside lesions, 0 elsewhere) and the zones to render (rings included).
 */
export function partialVolume(params: {
  voxels: Int32Array;
  zone: Uint8Array;
  mimic: Uint8Array;
  dims: Dims3;
  weights: { inside: number; outside: number };
}): { weight: Float32Array; renderZone: Uint8Array } {
  const { voxels, zone, mimic, dims, weights } = params;
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const weight = new Float32Array(zone.length);
  const renderZone = zone.slice();
  for (const i of voxels) weight[i] = 1;
  const nb = new Int32Array(6);
  for (const i of voxels) {
    const x = i % nx;
    const y = Math.floor(i / nx) % ny;
    const z = Math.floor(i / plane);
    nb[0] = x > 0 ? i - 1 : -1;
    nb[1] = x < nx - 1 ? i + 1 : -1;
    nb[2] = y > 0 ? i - nx : -1;
    nb[3] = y < ny - 1 ? i + nx : -1;
    nb[4] = z > 0 ? i - plane : -1;
    nb[5] = z < nz - 1 ? i + plane : -1;
    for (const q of nb) {
      if (q < 0 || zone[q]) continue;
      weight[i] = weights.inside; // a border voxel of the lesion
      if (mimic[q] === MIMIC.none && renderZone[q] === 0) {
        weight[q] = weights.outside;
        renderZone[q] = zone[i];
      }
    }
  }
  return { weight, renderZone };
}
