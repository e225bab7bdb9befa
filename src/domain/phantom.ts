// The phantom's shape rule and lesion kinds: the URL, the data panel, sweeps and scripts share them.
export const LESION_KINDS = ['tumour', 'wmh', 'lacunes'] as const;
export type LesionKind = (typeof LESION_KINDS)[number];

/** Depth of a phantom of side `size`: axial slices are 3/4 as many as x or y voxels, like a brain. */
export function phantomShape(size: number): [number, number, number] {
  return [size, size, Math.round(size * 0.75)];
}

/** The page's default phantom side. */
export const DEFAULT_PHANTOM_SIZE = 128;

/** Phantoms this size or smaller take seconds, whatever the runs: the engine may make them before it is asked. */
export function cheapToPrefetch(size: number): boolean {
  const [x, y, z] = phantomShape(size);
  const [dx, dy, dz] = phantomShape(DEFAULT_PHANTOM_SIZE);
  return x * y * z <= dx * dy * dz;
}
