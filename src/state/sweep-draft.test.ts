import { describe, expect, it } from 'vitest';
import { presetSpec, SWEEP_PRESETS } from '../domain/sweep/presets';
import { draftFromPreset, draftToSpec } from './sweep-draft';

describe('sweep builder draft', () => {
  it('every preset survives the round trip through the form', () => {
    for (const p of SWEEP_PRESETS) {
      const { spec, problems } = draftToSpec(draftFromPreset(p.id));
      expect(problems).toEqual([]);
      expect(spec).toEqual(presetSpec(p.id));
    }
  });

  it('shows LRs and burdens the way people type them', () => {
    const d = draftFromPreset('table2');
    expect(d.lrsText).toBe('1e-5, 1e-4, 1e-3');
    expect(d.burdensText).toBe('1');
    expect(d.patches.L).toEqual({ on: true, patch: 48, batch: 1 });
    const q = draftFromPreset('quick');
    expect(q.patches.L.on).toBe(false);
  });

  it('parses free text and reports what is wrong', () => {
    const d = { ...draftFromPreset('table2'), lrsText: '3e-4; 0.01 abc', burdensText: '0.5 2' };
    const { spec, problems } = draftToSpec(d);
    expect(spec.lrs).toEqual([3e-4, 0.01]);
    expect(spec.burdens).toEqual([0.005, 0.02]);
    expect(problems).toEqual(["learning rates: 'abc' is not a number"]);
    const none = {
      ...d,
      lrsText: '',
      patches: {
        ...d.patches,
        S: { ...d.patches.S, on: false },
        M: { ...d.patches.M, on: false },
        L: { ...d.patches.L, on: false },
      },
    };
    expect(draftToSpec(none).problems.join()).toMatch(/learning rates: choose.*patch presets: choose/);
  });
});
