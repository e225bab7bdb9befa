// Ready-made sweeps: the paper's two tables scaled down to laptop size, and a tiny check.
import { DEFAULT_DIFFICULTY } from '../difficulty';
import { PAPER_LOSSES } from '../losses';
import type { SweepSpec } from './types';

export interface SweepPreset {
  id: 'table2' | 'table3' | 'quick';
  label: string;
  spec: SweepSpec;
  /** What the paper did. */
  paper: string;
  /** What this preset does instead, and why. */
  scaleDown: string;
}

const PAPER_LRS = [1e-5, 1e-4, 1e-3];

export const SWEEP_PRESETS: readonly SweepPreset[] = [
  {
    id: 'table2',
    label: 'Paper Table 2 (2D, scaled down)',
    spec: {
      name: 'Paper Table 2 (2D, scaled down)',
      network: 'unet2d',
      losses: [...PAPER_LOSSES],
      lrs: PAPER_LRS,
      // The paper's effective (output) patch sizes: our padded U-Net predicts its whole input.
      patches: [
        { id: 'S', patch: 16, batch: 5 },
        { id: 'M', patch: 24, batch: 3 },
        { id: 'L', patch: 48, batch: 1 },
      ],
      burdens: [0.01],
      seeds: 1,
      firstSeed: 1,
      steps: 300,
      lastK: 60,
      lesion: 'tumour',
      noise: 0.05,
      difficulty: DEFAULT_DIFFICULTY,
      size: 64,
    },
    paper:
      'UNet on BRATS axial slices (240 x 240), input patches 56/64/88 (effective 16/24/48) with batches 5/3/1, ' +
      'LR 1e-5/1e-4/1e-3, 1000 iterations, median (IQR) of the last 200.',
    scaleDown:
      'A 29k-parameter U-Net on a 64 x 64 x 48 tumour phantom at 1% lesion burden; patches 16/24/48 px with ' +
      'batches 5/3/1 (the paper\u2019s effective sizes, since this U-Net predicts its whole input); ' +
      '300 steps, statistic over the last 60 (the paper\u2019s 1000 and 200 scaled by 0.3).',
  },
  {
    id: 'table3',
    label: 'Paper Table 3 (3D, scaled down)',
    spec: {
      name: 'Paper Table 3 (3D, scaled down)',
      network: 'unet3d',
      losses: [...PAPER_LOSSES],
      lrs: PAPER_LRS,
      // About half of HighResNet's effective sizes 15/27/49, same batches.
      patches: [
        { id: 'S', patch: 8, batch: 5 },
        { id: 'M', patch: 16, batch: 3 },
        { id: 'L', patch: 24, batch: 1 },
      ],
      burdens: [0.005],
      seeds: 1,
      firstSeed: 1,
      steps: 300,
      lastK: 60,
      lesion: 'wmh',
      noise: 0.05,
      difficulty: DEFAULT_DIFFICULTY,
      size: 48,
    },
    paper:
      'DeepMedic and HighResNet on 524 subjects with white-matter hyperintensities, 3D patches of 51-87 ' +
      '(HighResNet effective 15/27/49) with batches 5/3/1, LR 1e-5/1e-4/1e-3, 3000 iterations, last 200.',
    scaleDown:
      'A small 3D U-Net on a 48 x 48 x 36 WMH phantom at 0.5% burden; cubes 8/16/24 with batches 5/3/1 ' +
      '(about half of HighResNet\u2019s effective sizes); 300 steps, statistic over the last 60 (the paper\u2019s 3000 and 200 scaled down 10x and 3x).',
  },
  {
    id: 'quick',
    label: 'Quick check (2 x 2, tiny)',
    spec: {
      name: 'Quick check (2 x 2, tiny)',
      network: 'unet2d',
      losses: ['wce', 'gdl'],
      lrs: [1e-3, 1e-2],
      patches: [
        { id: 'S', patch: 16, batch: 2 },
        { id: 'M', patch: 24, batch: 1 },
      ],
      burdens: [0.03],
      seeds: 1,
      firstSeed: 1,
      steps: 30,
      lastK: 10,
      lesion: 'tumour',
      noise: 0.05,
      difficulty: DEFAULT_DIFFICULTY,
      size: 48,
    },
    paper: 'Not in the paper: a smoke test of the whole pipeline.',
    scaleDown: 'Two losses, two learning rates, two patch sizes, 30 steps on a 48 x 48 x 36 phantom: about half a minute.',
  },
];

export function sweepPreset(id: string): SweepPreset | undefined {
  return SWEEP_PRESETS.find((p) => p.id === id);
}

/** A deep copy of a preset's spec (callers edit theirs freely). */
export function presetSpec(id: SweepPreset['id']): SweepSpec {
  return structuredClone(sweepPreset(id)!.spec);
}
