import { describe, expect, it } from 'vitest';
import { createRng } from '../engine/data/rng';
import { experimentQuery } from './persist/resume';
import { DEFAULT_SETTINGS, parseSettings, patchAndBatch, serializeSettings } from './settings';

describe('settings <-> URL', () => {
  it('defaults serialise to an empty query and parse back', () => {
    expect(serializeSettings(DEFAULT_SETTINGS)).toBe('');
    expect(parseSettings('').settings).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips every setting', () => {
    const q =
      'loss=ss&losses=gdl%2Cwce%2Css&lr=0.0001&network=twopath2d&lesion=wmh&fraction=0.001&noise=0.1&patch=32&batch=2&steps=77&seed=5&backend=cpu&lambda=0.2&_hide=loss%2Clr';
    const { settings, notices } = parseSettings(`?${q}`);
    expect(notices).toEqual([]);
    expect(parseSettings('?loss=ss').settings.losses).toEqual([]);
    expect(parseSettings('').settings.losses).toEqual(['wce', 'dl2', 'ss', 'gdl']);
    expect(parseSettings('?losses=').settings.losses).toEqual([]);
    expect(settings).toMatchObject({
      loss: 'ss',
      losses: ['gdl', 'wce', 'ss'],
      lr: 1e-4,
      patch: 32,
      batch: 2,
      steps: 77,
      seed: 5,
    });
    expect(settings.lossOptions).toEqual({ lambda: '0.2' });
    expect(settings.hide).toEqual(['loss', 'lr']);
    expect(parseSettings(`?${serializeSettings(settings)}`).settings).toEqual(settings);
  });

  it('an option reaches the URL only when a selected loss owns it, and says so otherwise', () => {
    const race = parseSettings('?losses=wce,dl2,ss,gdl&lambda=0.1&wceWeight=reference');
    expect(race.notices).toEqual([]);
    expect(race.settings.lossOptions).toEqual({ lambda: '0.1', wceWeight: 'reference' });
    const stray = parseSettings('?losses=wce,gdl&lambda=0.1');
    expect(stray.settings.lossOptions).toEqual({});
    expect(stray.notices).toEqual(['Ignored lambda=0.1: none of the selected losses (wce, gdl) has it; ss does.']);
    // An option no longer owned after a change of losses is not written back (it would be refused).
    expect(serializeSettings({ ...race.settings, losses: ['gdl'] })).toBe('losses=gdl');
  });

  it('old links with alpha keep working, read as the option of the selected loss', () => {
    const focal = parseSettings('?loss=focal&alpha=0.4');
    expect(focal.settings.lossOptions).toEqual({ focalAlpha: '0.4' });
    expect(focal.notices).toEqual(["Read alpha=0.4 as focalAlpha=0.4 ('alpha' is an old name)."]);
    const race = parseSettings('?losses=focal,tversky&alpha=0.2&beta=0.8');
    expect(race.settings.lossOptions).toEqual({ focalAlpha: '0.2', tverskyAlpha: '0.2', tverskyBeta: '0.8' });
    expect(parseSettings(`?${serializeSettings(race.settings)}`)).toEqual({ settings: race.settings, notices: [] });
    // An out-of-range old value is refused under its new name.
    expect(parseSettings('?loss=tversky&alpha=3').notices.at(-1)).toMatch(
      /Ignored tverskyAlpha=3: tverskyAlpha must be a number in \[0, 1\]/,
    );
  });

  it('runs-table columns and the chart metric round-trip; bad ones keep the defaults with a notice', () => {
    const { settings, notices } = parseSettings('?cols=dice%2ClesionF1%2Chd95&metric=hd95');
    expect(notices).toEqual([]);
    expect(settings.cols).toEqual(['dice', 'lesionF1', 'hd95']);
    expect(settings.metric).toBe('hd95');
    expect(parseSettings(`?${serializeSettings(settings)}`).settings).toEqual(settings);
    expect(parseSettings('?cols=').settings.cols).toEqual([]);
    const bad = parseSettings('?cols=dice,nope&metric=loss');
    expect(bad.settings.cols).toEqual(['dice']);
    expect(bad.settings.metric).toBe('dice');
    expect(bad.notices).toHaveLength(2);
    expect(bad.notices[0]).toMatch(/^Ignored cols=dice,nope: expected a comma list of dice, hd95/);
    // What is shown is not what was trained: a saved experiment matches whatever columns are on.
    expect(experimentQuery(settings)).toBe(experimentQuery(DEFAULT_SETTINGS));
  });

  it('seeds: parsed, validated with a notice, written back; links without it mean one seed', () => {
    const { settings, notices } = parseSettings('?seeds=3&losses=gdl,wce&steps=6');
    expect(notices).toEqual([]);
    expect(settings.seeds).toBe(3);
    expect(serializeSettings(settings)).toBe('losses=gdl%2Cwce&steps=6&seeds=3');
    expect(parseSettings(`?${serializeSettings(settings)}`).settings).toEqual(settings);
    expect(parseSettings('?losses=gdl,wce&steps=6').settings.seeds).toBe(1);
    expect(serializeSettings({ ...settings, seeds: 1 })).toBe('losses=gdl%2Cwce&steps=6');
    for (const bad of ['0', '11', '2.5', 'two', '']) {
      const out = parseSettings(`?seeds=${bad}`);
      expect(out.settings.seeds, bad).toBe(1);
      expect(out.notices, bad).toEqual([`Ignored seeds=${bad}: expected an integer in [1, 10].`]);
    }
  });

  it('a preset patch brings its batch (the paper Table 1) unless batch is given', () => {
    expect(patchAndBatch(parseSettings('?patch=S').settings)).toEqual({ patch: 56, batch: 5 });
    expect(patchAndBatch(parseSettings('?patch=L&batch=4').settings)).toEqual({ patch: 88, batch: 4 });
  });

  it('bad values become notices and keep defaults', () => {
    const { settings, notices } = parseSettings(
      '?loss=nope&lr=-1&fraction=0.5&batch=1.5&steps=&patch=X&losses=gdl,zz&foo=1&lambda=7',
    );
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, lossOptions: {}, hide: [] });
    for (const k of [
      'loss=nope',
      'lr=-1',
      'fraction=0.5',
      'batch=1.5',
      'steps=',
      'patch=X',
      'losses=gdl,zz',
      "'foo'",
      'lambda=7',
    ]) {
      expect(notices.some((n) => n.includes(k))).toBe(true);
    }
  });

  it('1,000 random URLs parse to valid settings with notices, never a throw', () => {
    const rng = createRng(42);
    const keys = [
      'loss',
      'losses',
      'lr',
      'network',
      'lesion',
      'fraction',
      'noise',
      'patch',
      'batch',
      'steps',
      'seed',
      'backend',
      'lambda',
      'epsilon',
      'weightType',
      '_hide',
      'x',
    ];
    const junk = [
      '',
      '0',
      '-1',
      '1e309',
      'NaN',
      'gdl',
      'gdl,wce',
      'S',
      '%',
      '%E0%A4%A',
      '<script>',
      'true',
      '0.001',
      ' ',
      '1'.repeat(300),
      'square',
    ];
    for (let i = 0; i < 1000; i++) {
      const parts: string[] = [];
      for (let k = 0; k < 1 + rng.int(6); k++) {
        const key = keys[rng.int(keys.length)];
        const value =
          rng.next() < 0.5
            ? junk[rng.int(junk.length)]
            : String.fromCharCode(...Array.from({ length: rng.int(8) }, () => 32 + rng.int(95)));
        parts.push(`${encodeURIComponent(key)}=${rng.next() < 0.9 ? encodeURIComponent(value) : value}`);
      }
      const { settings } = parseSettings(`?${parts.join('&')}`);
      expect(settings.lr).toBeGreaterThan(0);
      expect(settings.fraction).toBeGreaterThanOrEqual(1e-5);
      expect(Number.isInteger(settings.steps)).toBe(true);
      // What was accepted serialises and parses back to itself.
      expect(parseSettings(`?${serializeSettings(settings)}`).settings).toEqual(settings);
    }
  });
});
