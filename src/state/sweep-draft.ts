// The builder's form state (raw text for lists, so typing "1e-" is not rejected mid-word) and its
// conversion to a SweepSpec with readable problems.
import { PATCH_PRESET_IDS } from '../domain/patches';
import { checkSweepSpec } from '../domain/sweep/plan';
import { presetSpec, type SweepPreset } from '../domain/sweep/presets';
import type { SweepSpec } from '../domain/sweep/types';

/** The builder's patch rows: the paper's presets. */
export const PATCH_ROWS = PATCH_PRESET_IDS;
export type PatchRow = (typeof PATCH_ROWS)[number];

export interface SweepDraft {
  presetId: SweepPreset['id'] | 'custom';
  /** Everything but the lists typed as text; patches per row. */
  spec: Omit<SweepSpec, 'lrs' | 'burdens' | 'patches'>;
  lrsText: string;
  burdensText: string;
  patches: Record<PatchRow, { on: boolean; patch: number; batch: number }>;
}

/** Paper Table 2's patch rows: offered for rows a preset leaves out. */
const FALLBACK_ROWS = presetSpec('table2').patches;

export function draftFromSpec(spec: SweepSpec, presetId: SweepDraft['presetId']): SweepDraft {
  const { lrs, burdens, patches, ...rest } = spec;
  const rows = Object.fromEntries(
    PATCH_ROWS.map((id) => {
      const p = patches.find((x) => x.id === id) ?? FALLBACK_ROWS.find((x) => x.id === id)!;
      return [id, { on: patches.some((x) => x.id === id), patch: p.patch, batch: p.batch }];
    }),
  ) as SweepDraft['patches'];
  return {
    presetId,
    spec: structuredClone(rest),
    lrsText: lrs.map((lr) => lr.toExponential().replace(/\.?0*e\+?/, 'e')).join(', '),
    burdensText: burdens.map((b) => String(Number((b * 100).toPrecision(4)))).join(', '),
    patches: rows,
  };
}

export function draftFromPreset(id: SweepPreset['id']): SweepDraft {
  return draftFromSpec(presetSpec(id), id);
}

function parseList(text: string, what: string, problems: string[]): number[] {
  const items = text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: number[] = [];
  for (const s of items) {
    const x = Number(s);
    if (Number.isFinite(x)) out.push(x);
    else problems.push(`${what}: '${s}' is not a number`);
  }
  return out;
}

/** The spec the draft describes, and everything wrong with it (empty when it can run). */
export function draftToSpec(draft: SweepDraft): { spec: SweepSpec; problems: string[] } {
  const problems: string[] = [];
  const lrs = parseList(draft.lrsText, 'learning rates', problems);
  const burdens = parseList(draft.burdensText, 'lesion burdens', problems).map((p) => p / 100);
  const patches = PATCH_ROWS.filter((id) => draft.patches[id].on).map((id) => ({
    id,
    patch: draft.patches[id].patch,
    batch: draft.patches[id].batch,
  }));
  const spec: SweepSpec = { ...draft.spec, lrs, burdens, patches };
  return { spec, problems: [...problems, ...checkSweepSpec(spec)] };
}
