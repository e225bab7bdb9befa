// Patch specs from the paper's presets (Table 1 itself is data in src/domain/patches.ts).
import { PATCH_PRESETS, type PresetId } from '../../domain/patches';
import type { PatchSpec } from './patches';

export { PAPER_TABLE1, PATCH_PRESET_IDS, PATCH_PRESETS, type PatchPreset, type PresetId } from '../../domain/patches';

/** A PatchSpec from a preset, with any field overridden (free values). */
export function presetSpec(id: PresetId, overrides: Partial<PatchSpec> = {}): PatchSpec {
  const p = PATCH_PRESETS[id];
  return { dims: 2, size: p.size, batch: p.batch, ...overrides };
}
