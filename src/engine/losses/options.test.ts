// The option validator and the registry.
import { describe, expect, it } from 'vitest';

import {
  checkLossOptions,
  DEFAULT_LOSS_OPTIONS,
  isLossId,
  LOSS_IDS,
  LOSSES,
  LossOptionsError,
  PAPER_LOSSES,
  resolveLossOptions,
} from './index';

describe('resolveLossOptions', () => {
  it('fills defaults (the paper: lambda 0.05, epsilon 1e-5, GDL_v, weight from the prediction)', () => {
    expect(resolveLossOptions('ss')).toEqual({ lambda: 0.05, epsilon: 1e-5, ssVariant: 'paper', perImage: false });
    expect(resolveLossOptions('gdl', { perImage: true })).toEqual({ weightType: 'square', epsilon: 1e-5, perImage: true });
    expect(resolveLossOptions('wce').wceWeight).toBe('prediction');
    expect(resolveLossOptions('dl2').epsilon).toBe(1e-5);
  });

  it('accepts the string forms a query string carries', () => {
    expect(resolveLossOptions('focal', { gamma: '1.5', alpha: '0.5', perImage: 'true' })).toEqual({
      gamma: 1.5,
      alpha: 0.5,
      perImage: true,
    });
    expect(resolveLossOptions('dice', { squared: '1', includeBackground: 'false' })).toMatchObject({
      squared: true,
      includeBackground: false,
    });
  });

  it('rejects out-of-range, mistyped and unknown values with messages naming the field', () => {
    expect(() => resolveLossOptions('ss', { lambda: 1.5 })).toThrow(/ss: lambda must be a number in \[0, 1\], got 1.5/);
    expect(() => resolveLossOptions('gdl', { weightType: 'cubic' })).toThrow(/'square', 'simple', 'uniform'/);
    expect(() => resolveLossOptions('dice', { epsilon: -1 })).toThrow(/epsilon/);
    expect(() => resolveLossOptions('dice', { epsilon: 'abc' })).toThrow(/epsilon must be a number/);
    expect(() => resolveLossOptions('dice', { epsilon: '' })).toThrow(/epsilon/);
    expect(() => resolveLossOptions('focal', { gamma: Number.NaN })).toThrow(/gamma/);
    expect(() => resolveLossOptions('ce', { perImage: 'yes' })).toThrow(/perImage must be true or false/);
    expect(() => resolveLossOptions('ce', { lambda: 0.1 })).toThrow(/ce: unknown option 'lambda' \(valid: perImage\)/);
    expect(() => resolveLossOptions('tversky', { alpha: 0, beta: 0 })).toThrow(/cannot both be 0/);
    expect(() => resolveLossOptions('dice_ce', { diceWeight: 0, ceWeight: 0 })).toThrow(/cannot both be 0/);
    expect(() => resolveLossOptions('nope' as never)).toThrow(/unknown loss id 'nope'/);
    const err = (() => {
      try {
        resolveLossOptions('ss', { lambda: 2, epsilon: -1 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LossOptionsError);
    expect((err as LossOptionsError).problems.map((p) => p.field)).toEqual(['lambda', 'epsilon']);
  });

  it('checkLossOptions keeps the valid values, drops the rest to defaults and says why', () => {
    const { options, problems } = checkLossOptions('ss', { lambda: 0.2, epsilon: 7, extra: 1 });
    expect(options).toEqual({ lambda: 0.2, epsilon: 1e-5, ssVariant: 'paper', perImage: false });
    expect(problems.map((p) => p.field)).toEqual(['epsilon', 'extra']);
  });
});

describe('registry', () => {
  it('lists every id once, the paper four first, each with defaults that validate', () => {
    expect(LOSSES.map((l) => l.id)).toEqual([...LOSS_IDS]);
    expect(LOSSES.slice(0, 4).map((l) => l.id)).toEqual([...PAPER_LOSSES]);
    expect(PAPER_LOSSES).toEqual(['wce', 'dl2', 'ss', 'gdl']);
    expect(new Set(LOSS_IDS).size).toBe(9);
    for (const info of LOSSES) {
      expect(resolveLossOptions(info.id, info.defaults)).toEqual(DEFAULT_LOSS_OPTIONS[info.id]);
      expect(info.label.length).toBeGreaterThan(0);
      expect(info.formula).toMatch(/\\frac|\\lambda/);
      expect(info.rewards.length).toBeGreaterThan(10);
      expect(info.paper).toBe(PAPER_LOSSES.includes(info.id));
      expect(isLossId(info.id)).toBe(true);
    }
    expect(isLossId('mse')).toBe(false);
  });
});

describe('the catalog is tf-free (the UI imports it)', () => {
  it('catalog, options and option-types import nothing but each other', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of ['catalog.ts', 'options.ts', 'option-types.ts']) {
      const text = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      const sources = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const s of sources) expect(['./catalog', './option-types']).toContain(s);
    }
  });
});
