// The option validator, optionsFor, the old option names and the registry.
import { describe, expect, it } from 'vitest';

import { checkLossOptions, LossOptionsError, optionsFor, readLegacyOptions, resolveLossOptions } from './loss-options';
import {
  DEFAULT_LOSS_OPTIONS,
  isLossId,
  LOSS_IDS,
  LOSSES,
  OPTION_SPECS,
  type OptionName,
  optionDefaultText,
  ownDefaultsText,
  sharedDefaultText,
  ownedOptions,
  ownersOf,
  PAPER_LOSSES,
} from './losses';

describe('resolveLossOptions', () => {
  it('fills defaults (the paper: lambda 0.05, epsilon 1e-5, GDL_v, weight from the prediction)', () => {
    expect(resolveLossOptions('ss')).toEqual({ lambda: 0.05, epsilon: 1e-5, ssVariant: 'paper', perImage: false });
    expect(resolveLossOptions('gdl', { perImage: true })).toEqual({
      weightType: 'square',
      absentWeight: 'max',
      includeBackground: true,
      epsilon: 1e-5,
      smoothNr: -1,
      smoothDr: -1,
      ignoreIndex: -1,
      labelSmoothing: 0,
      perImage: true,
    });
    expect(resolveLossOptions('wce').wceWeight).toBe('prediction');
    expect(resolveLossOptions('dl2').epsilon).toBe(1e-5);
  });

  it('accepts the string forms a query string carries', () => {
    expect(resolveLossOptions('focal', { gamma: '1.5', focalAlpha: '0.5', perImage: 'true' })).toMatchObject({
      gamma: 1.5,
      focalAlpha: 0.5,
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
    expect(() => resolveLossOptions('ce', { lambda: 0.1 })).toThrow(
      /ce: unknown option 'lambda' \(valid: classWeights, ignoreIndex, labelSmoothing, perImage\)/,
    );
    expect(() => resolveLossOptions('tversky', { tverskyAlpha: 0, tverskyBeta: 0 })).toThrow(/cannot both be 0/);
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
    expect(new Set(LOSS_IDS).size).toBe(19);
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

describe('options are owned per loss', () => {
  it('every option of every loss has a spec with a description, and its default satisfies the spec', () => {
    for (const id of LOSS_IDS) {
      for (const field of ownedOptions(id)) {
        const spec = OPTION_SPECS[field];
        expect(spec.description.length, field).toBeGreaterThan(10);
        expect(checkLossOptions(id, { [field]: spec.default }).problems).toEqual([]);
      }
    }
  });

  it('no option name is unused, and the two meanings of the old alpha have two names', () => {
    for (const field of Object.keys(OPTION_SPECS)) expect(ownersOf(field).length, field).toBeGreaterThan(0);
    expect(ownersOf('focalAlpha')).toEqual(['focal', 'dice_focal', 'gdl_focal']);
    expect(ownersOf('tverskyAlpha')).toEqual(['tversky', 'focal_tversky']);
    expect(ownersOf('alpha')).toEqual([]);
    expect(ownersOf('epsilon')).toEqual([
      'dl2',
      'ss',
      'gdl',
      'dice',
      'tversky',
      'dice_ce',
      'focal_tversky',
      'log_cosh_dice',
      'dice_focal',
      'gdl_focal',
      'unified_focal',
      'exp_log',
      'gwdl',
    ]);
  });

  it('optionsFor hands each loss only what it owns', () => {
    const bag = { wceWeight: 'reference', lambda: '0.1', epsilon: '0.001', perImage: 'true', focalAlpha: '0.4' };
    expect(optionsFor('ce', bag)).toEqual({ perImage: 'true' });
    expect(optionsFor('wce', bag)).toEqual({ wceWeight: 'reference', perImage: 'true' });
    expect(optionsFor('ss', bag)).toEqual({ lambda: '0.1', epsilon: '0.001', perImage: 'true' });
    expect(optionsFor('focal', bag)).toEqual({ perImage: 'true', focalAlpha: '0.4' });
    // What optionsFor returns always validates for that loss, whatever the bag held.
    for (const id of LOSS_IDS) expect(checkLossOptions(id, optionsFor(id, bag)).problems).toEqual([]);
  });

  it('the old alpha is read as the selected losses own it, with a notice', () => {
    const focal = readLegacyOptions({ alpha: '0.4' }, ['focal', 'ce']);
    expect(focal.options).toEqual({ focalAlpha: '0.4' });
    expect(focal.notices[0]).toMatch(/Read alpha=0.4 as focalAlpha=0.4/);
    const both = readLegacyOptions({ alpha: '0.4', beta: '0.6' }, ['focal', 'tversky']);
    expect(both.options).toEqual({ focalAlpha: '0.4', tverskyAlpha: '0.4', tverskyBeta: '0.6' });
    expect(both.notices).toHaveLength(2);
    const none = readLegacyOptions({ alpha: '0.4' }, ['gdl']);
    expect(none.options).toEqual({});
    expect(none.notices[0]).toMatch(/Ignored alpha=0.4: an old name of focalAlpha \/ tverskyAlpha/);
    const newWins = readLegacyOptions({ alpha: '0.4', focalAlpha: '0.1' }, ['focal']);
    expect(newWins.options).toEqual({ focalAlpha: '0.1' });
    expect(newWins.notices[0]).toMatch(/already set/);
  });

  it('an unknown option names the options the loss does own', () => {
    expect(() => resolveLossOptions('ce', { wceWeight: 'reference' })).toThrow(
      /ce: unknown option 'wceWeight' \(valid: classWeights, ignoreIndex, labelSmoothing, perImage\)/,
    );
    const field: OptionName = 'lambda';
    expect(ownedOptions('ss')).toContain(field);
  });
});

describe('the options of issue #19', () => {
  it('classWeights and classDistances are comma lists in URL form, each number in range', () => {
    expect(resolveLossOptions('dice', { classWeights: '0.5, 2' }).classWeights).toBe('0.5,2');
    expect(resolveLossOptions('dice', { classWeights: [1, 3] }).classWeights).toBe('1,3');
    expect(resolveLossOptions('dice').classWeights).toBe('');
    expect(() => resolveLossOptions('dice', { classWeights: '1,,2' })).toThrow(/classWeights must be '' or a comma list/);
    expect(() => resolveLossOptions('ce', { classWeights: '1,-2' })).toThrow(/numbers in \[0, 1000\]/);
    expect(() => resolveLossOptions('gwdl', { classDistances: '0,2,2,0' })).toThrow(/classDistances/);
    // Lengths no C allows are refused before any run: one weight, a non-square matrix.
    expect(() => resolveLossOptions('dice', { classWeights: '173' })).toThrow(/C ≥ 2 numbers/);
    expect(() => resolveLossOptions('gwdl', { classDistances: '0,1,1' })).toThrow(/C × C/);
    expect(resolveLossOptions('gwdl', { classDistances: '0,1,1,0' }).classDistances).toBe('0,1,1,0');
  });

  it('ignoreIndex is an integer, labelSmoothing is in [0, 0.5)', () => {
    expect(resolveLossOptions('ce', { ignoreIndex: '2' }).ignoreIndex).toBe(2);
    expect(() => resolveLossOptions('ce', { ignoreIndex: 1.5 })).toThrow(/ignoreIndex must be an integer in \[-1, 63\]/);
    expect(resolveLossOptions('ce', { labelSmoothing: 0.49 }).labelSmoothing).toBe(0.49);
    expect(() => resolveLossOptions('ce', { labelSmoothing: 0.5 })).toThrow(/labelSmoothing must be a number in \[0, 0.5\)/);
  });

  it('a loss keeps its own default for a shared name: GDL and focal include the background, Dice does not', () => {
    expect(DEFAULT_LOSS_OPTIONS.gdl.includeBackground).toBe(true);
    expect(DEFAULT_LOSS_OPTIONS.focal.includeBackground).toBe(true);
    expect(DEFAULT_LOSS_OPTIONS.dice.includeBackground).toBe(false);
    expect(DEFAULT_LOSS_OPTIONS.exp_log).toMatchObject({ diceWeight: 0.8, ceWeight: 0.2 });
    expect(optionDefaultText('includeBackground', 'gdl')).toBe('true');
    expect(optionDefaultText('includeBackground')).toBe('false');
  });

  it('the options panel default of selected losses: their common own default, or none when they differ', () => {
    expect(sharedDefaultText('includeBackground', ['gdl'])).toBe('true');
    expect(sharedDefaultText('includeBackground', ['gdl', 'focal'])).toBe('true');
    expect(sharedDefaultText('includeBackground', ['dice', 'tversky'])).toBe('false');
    expect(sharedDefaultText('includeBackground', ['gdl', 'dice'])).toBeNull();
    expect(ownDefaultsText('includeBackground', ['wce', 'gdl', 'dice'])).toBe('gdl true, dice false');
    expect(sharedDefaultText('diceWeight', ['exp_log', 'dice_ce'])).toBeNull();
    expect(sharedDefaultText('epsilon', ['gdl', 'dice'])).toBe(optionDefaultText('epsilon'));
  });

  it('compound weights cannot both be 0', () => {
    expect(() => resolveLossOptions('dice_focal', { diceWeight: 0, focalWeight: 0 })).toThrow(/cannot both be 0/);
    expect(() => resolveLossOptions('gdl_focal', { diceWeight: 0, focalWeight: 0 })).toThrow(/cannot both be 0/);
    expect(() => resolveLossOptions('exp_log', { diceWeight: 0, ceWeight: 0 })).toThrow(/cannot both be 0/);
  });
});
