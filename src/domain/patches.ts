// The paper's Table 1 as data: patch and batch sizes per network, and the imbalance it reports.

export interface PatchPreset {
  /** Initial patch size (voxels per side) and batch size, as in Table 1. */
  size: number;
  batch: number;
  /** Effective patch size (the output field of view) and the imbalance the paper reports. */
  effectiveSize: number;
  paperImbalance: number;
}

/** Sudre et al. 2017, Table 1: patch sizes, batch sizes and imbalance for the four networks. */
export const PAPER_TABLE1: Record<
  'UNet' | 'TwoPathCNN' | 'DeepMedic' | 'HighResNet',
  { dims: 2 | 3; S: PatchPreset; M: PatchPreset; L: PatchPreset }
> = {
  UNet: {
    dims: 2,
    S: { size: 56, batch: 5, effectiveSize: 16, paperImbalance: 0.52 },
    M: { size: 64, batch: 3, effectiveSize: 24, paperImbalance: 0.33 },
    L: { size: 88, batch: 1, effectiveSize: 48, paperImbalance: 0.15 },
  },
  TwoPathCNN: {
    dims: 2,
    S: { size: 51, batch: 5, effectiveSize: 19, paperImbalance: 0.29 },
    M: { size: 63, batch: 3, effectiveSize: 31, paperImbalance: 0.25 },
    L: { size: 85, batch: 1, effectiveSize: 53, paperImbalance: 0.16 },
  },
  DeepMedic: {
    dims: 3,
    S: { size: 51, batch: 5, effectiveSize: 3, paperImbalance: 0.2 },
    M: { size: 63, batch: 3, effectiveSize: 15, paperImbalance: 0.01 },
    L: { size: 87, batch: 1, effectiveSize: 39, paperImbalance: 0.002 },
  },
  HighResNet: {
    dims: 3,
    S: { size: 51, batch: 5, effectiveSize: 15, paperImbalance: 0.02 },
    M: { size: 63, batch: 3, effectiveSize: 27, paperImbalance: 0.01 },
    L: { size: 85, batch: 1, effectiveSize: 49, paperImbalance: 0.003 },
  },
};

/** The playground's presets: the paper's 2D U-Net column (S = 56/5, M = 64/3, L = 88/1). */
export const PATCH_PRESETS = PAPER_TABLE1.UNet;
/** The preset names, smallest patch first. */
export const PATCH_PRESET_IDS = ['S', 'M', 'L'] as const;
export type PresetId = (typeof PATCH_PRESET_IDS)[number];
