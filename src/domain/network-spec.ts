// Network specs: plain data (survives structured cloning and the URL), defaults beside the code.

import { NETWORK_IDS, type NetworkKind, networkInfo, SPATIAL_DIMS } from './networks';

export { NETWORK_IDS, type NetworkKind, SPATIAL_DIMS } from './networks';

export interface NetworkSpec {
  kind: NetworkKind;
  /** Input modalities (channels-last). */
  inChannels?: number;
  /** Softmax classes; 2 = background/foreground, channel 1 is foreground. */
  numClasses?: number;
  /** Filters of the first level; U-Nets double per level, HighRes doubles per dilation group. */
  baseFilters?: number;
  /** U-Nets: number of down-steps (each halves the size). */
  depth?: number;
  /** HighRes: residual blocks per dilation group (dilations 1, 2, 4). */
  blocks?: number;
  /** TwoPath: pieces per maxout unit. */
  maxoutPieces?: number;
  batchNorm?: boolean;
  /** Seeds every initializer: same seed, same initial weights. */
  seed?: number;
  /** Fixed spatial size ([H, W] or [D, H, W]); null = any valid size (fully convolutional). */
  inputSize?: number[] | null;
}

export type ResolvedSpec = Required<Omit<NetworkSpec, 'inputSize'>> & { inputSize: number[] | null };

const COMMON = { inChannels: 3, numClasses: 2, batchNorm: false, seed: 1, inputSize: null, depth: 0, blocks: 0, maxoutPieces: 0 };

/** Defaults per kind; each keeps the net at tens of thousands of parameters. */
export const DEFAULT_SPECS: Record<NetworkKind, ResolvedSpec> = {
  // The project's reference net (about 29k parameters with 3 modalities).
  unet2d: { ...COMMON, kind: 'unet2d', baseFilters: 8, depth: 2 },
  twopath2d: { ...COMMON, kind: 'twopath2d', baseFilters: 8, maxoutPieces: 2 },
  unet3d: { ...COMMON, kind: 'unet3d', baseFilters: 4, depth: 2 },
  highres3d: { ...COMMON, kind: 'highres3d', baseFilters: 4, blocks: 2 },
};

function positiveInt(name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`network spec: ${name} must be an integer >= ${min}, got ${v}`);
}

/** Fills defaults and checks ranges; throws a message naming the bad field. */
export function resolveSpec(spec: NetworkSpec): ResolvedSpec {
  const base = DEFAULT_SPECS[spec.kind];
  if (!base) throw new Error(`network spec: unknown kind '${spec.kind}' (valid: ${NETWORK_IDS.join(', ')})`);
  const defined = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
  const r: ResolvedSpec = { ...base, ...defined };
  positiveInt('inChannels', r.inChannels);
  positiveInt('numClasses', r.numClasses, 2);
  positiveInt('baseFilters', r.baseFilters);
  if (!Number.isInteger(r.seed)) throw new Error(`network spec: seed must be an integer, got ${r.seed}`);
  if (r.kind === 'unet2d' || r.kind === 'unet3d') positiveInt('depth', r.depth);
  if (r.kind === 'highres3d') positiveInt('blocks', r.blocks);
  if (r.kind === 'twopath2d') positiveInt('maxoutPieces', r.maxoutPieces);
  if (r.inputSize) {
    if (r.inputSize.length !== SPATIAL_DIMS[r.kind]) {
      throw new Error(`network spec: inputSize needs ${SPATIAL_DIMS[r.kind]} sizes for ${r.kind}, got [${r.inputSize}]`);
    }
    if (!validSpatialSize(r, r.inputSize)) {
      throw new Error(`network spec: inputSize [${r.inputSize}] invalid for ${r.kind}: ${sizeRule(r)}`);
    }
  }
  return r;
}

/** The size every spatial axis must divide by (U-Nets pool depth times by 2). */
export function sizeMultiple(spec: NetworkSpec): number {
  const r = { ...DEFAULT_SPECS[spec.kind], ...spec };
  return r.kind === 'unet2d' || r.kind === 'unet3d' ? 2 ** (r.depth ?? 0) : 1;
}

/** Human-readable size constraint for the UI. */
export function sizeRule(spec: NetworkSpec): string {
  const m = sizeMultiple(spec);
  return m === 1 ? 'any size' : `a multiple of ${m} on every axis`;
}

/** True when every spatial axis of `size` is a positive multiple of the net's size multiple. */
export function validSpatialSize(spec: NetworkSpec, size: number | readonly number[]): boolean {
  const m = sizeMultiple(spec);
  const sizes = typeof size === 'number' ? [size] : size;
  return sizes.length > 0 && sizes.every((s) => Number.isInteger(s) && s >= m && s % m === 0);
}

/** Snaps one axis length to the nearest valid size (ties go up; never below the smallest valid size). */
export function nearestValidSize(spec: NetworkSpec, size: number): number {
  const m = sizeMultiple(spec);
  return Math.max(m, Math.round(size / m) * m);
}

/** The patch side auto's backend measurement times: the given one or the net's default, made valid. */
export function measuredPatch(kind: NetworkKind, patch?: number): number {
  return nearestValidSize({ kind }, patch ?? networkInfo(kind).defaultPatchSize);
}

/** Distinct, well-mixed uint32 seeds for the i-th initializer of a net (splitmix32-style). */
export function deriveSeed(seed: number, index: number): number {
  let z = (Math.imul(seed | 0, 0x9e3779b9) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}
