// The phantom's shape rule and lesion kinds: the URL, the data panel, sweeps and scripts share them.
export const LESION_KINDS = ['tumour', 'wmh', 'lacunes'] as const;
export type LesionKind = (typeof LESION_KINDS)[number];

/** Depth of a phantom of side `size`: axial slices are 3/4 as many as x or y voxels, like a brain. */
export function phantomShape(size: number): [number, number, number] {
  return [size, size, Math.round(size * 0.75)];
}
