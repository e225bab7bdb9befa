// The networks the playground trains: id, label, spatial dims, the patch their defaults were sized
// for and one line each. Engine builders, the URL parser, controls and sweeps all read this.
export const NETWORK_IDS = ['unet2d', 'twopath2d', 'unet3d', 'highres3d'] as const;
export type NetworkKind = (typeof NETWORK_IDS)[number];

export interface NetworkInfo {
  id: NetworkKind;
  label: string;
  dims: 2 | 3;
  /** Patch size (per axis) the defaults were sized for. */
  defaultPatchSize: number;
  description: string;
}

export const NETWORKS: readonly NetworkInfo[] = [
  {
    id: 'unet2d',
    label: '2D U-Net',
    dims: 2,
    defaultPatchSize: 64,
    description: 'Encoder-decoder with skip connections; the reference net (depth 2, 8 base filters, 64x64).',
  },
  {
    id: 'twopath2d',
    label: '2D TwoPath CNN',
    dims: 2,
    defaultPatchSize: 64,
    description: 'Local 7x7/5x5 and global 13x13 maxout paths, concatenated; full resolution, no down-sampling.',
  },
  {
    id: 'unet3d',
    label: '3D U-Net',
    dims: 3,
    defaultPatchSize: 32,
    description: 'The U-Net with 3x3x3 convs, 2x2x2 pooling and transposed convs.',
  },
  {
    id: 'highres3d',
    label: '3D HighResNet',
    dims: 3,
    defaultPatchSize: 32,
    description: 'Residual blocks of 3x3x3 convs dilated by 1, 2 and 4; full resolution throughout.',
  },
];

export const SPATIAL_DIMS: Readonly<Record<NetworkKind, 2 | 3>> = Object.fromEntries(
  NETWORKS.map((n) => [n.id, n.dims]),
) as Record<NetworkKind, 2 | 3>;

export function isNetworkKind(id: unknown): id is NetworkKind {
  return typeof id === 'string' && (NETWORK_IDS as readonly string[]).includes(id);
}

export function networkInfo(id: NetworkKind): NetworkInfo {
  return NETWORKS.find((n) => n.id === id)!;
}
