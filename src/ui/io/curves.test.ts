import { describe, expect, it } from 'vitest';
import { parseHistoryJson } from '../../state/persist/history-json';
import { parseSettings } from '../../state/settings';
import type { RunSummary } from '../../state/store';
import { curvesCsv, raceJson } from './curves';

const point = (step: number, loss: number) => ({ step, loss, trainDice: step / 10, predictedFg: 0.01, msPerStep: 20, lr: 1e-3 });
const run = (id: string, label: string, steps: number[]): RunSummary => ({
  id,
  label,
  color: '#123456',
  config: { loss: label },
  status: 'done',
  statusStep: steps.at(-1) ?? 0,
  steps: steps.map((s) => point(s, 1 / s)),
  validation: [{ step: steps.at(-1) ?? 0, dice: 0.5 }],
  lrChanges: [],
  totalSteps: steps.length,
  startedAt: 1000,
});

const METRICS_2 = {
  dice: 0.61,
  hd95: 12.5,
  avd: 30,
  lesionRecall: 0.75,
  lesionPrecision: 1.5,
  lesionF1: 0.2,
  recallSmall: 0.25,
  recallMedium: 0.5,
  recallLarge: Number.NaN,
};

describe('curves CSV', () => {
  it('one row per step and run, validation Dice only where measured, awkward labels quoted', () => {
    const csv = curvesCsv([run('gdl-1', 'gdl', [1, 2]), run('x', 'a,"b"', [1])]);
    expect(csv.trim().split('\n')).toEqual([
      'run,label,step,loss,train_dice,predicted_fg,ms_per_step,lr,validation_dice,validation_hd95,validation_avd,validation_lesion_recall,validation_lesion_precision,validation_lesion_f1,validation_recall_small,validation_recall_medium,validation_recall_large',
      'gdl-1,gdl,1,1,0.1,0.01,20,0.001,,,,,,,,,',
      'gdl-1,gdl,2,0.5,0.2,0.01,20,0.001,0.5,,,,,,,,',
      'x,"a,""b""",1,1,0.1,0.01,20,0.001,0.5,,,,,,,,',
    ]);
  });

  it('kept classes add a validation column per foreground class, named by label value', () => {
    const r = run('g', 'gdl', [1, 2]);
    r.validation = [{ step: 2, dice: 0.6, perClass: [0.8, 0.4] }];
    expect(curvesCsv([r], [0, 5, 7]).trim().split('\n')).toEqual([
      'run,label,step,loss,train_dice,predicted_fg,ms_per_step,lr,validation_dice,validation_hd95,validation_avd,validation_lesion_recall,validation_lesion_precision,validation_lesion_f1,validation_recall_small,validation_recall_medium,validation_recall_large,validation_dice_5,validation_dice_7',
      'g,gdl,1,1,0.1,0.01,20,0.001,,,,,,,,,,,',
      'g,gdl,2,0.5,0.2,0.01,20,0.001,0.6,,,,,,,,,0.8,0.4',
    ]);
  });

  it('a diverged loss (NaN) is an empty field', () => {
    const r = run('w', 'wce', [1]);
    r.steps[0].loss = Number.NaN;
    expect(curvesCsv([r]).split('\n')[1]).toBe('w,wce,1,,0.1,0.01,20,0.001,0.5,,,,,,,,');
  });

  it('each challenge metric lands in its column; an undefined one (NaN) is empty', () => {
    const r = run('g', 'gdl', [1, 2]);
    r.validation = [{ step: 2, dice: 0.6, metrics: METRICS_2 }];
    const [head, , row] = curvesCsv([r]).trim().split('\n');
    const cells = Object.fromEntries(head.split(',').map((h, i) => [h, row.split(',')[i]]));
    expect(cells).toMatchObject({
      validation_dice: '0.6',
      validation_hd95: '12.5',
      validation_avd: '30',
      validation_lesion_recall: '0.75',
      validation_lesion_precision: '1.5',
      validation_lesion_f1: '0.2',
      validation_recall_small: '0.25',
      validation_recall_medium: '0.5',
      validation_recall_large: '',
    });
  });
});

describe('race JSON', () => {
  it('is a history file that imports back with the same settings and curves', () => {
    const runs = [run('gdl-1', 'gdl', [1, 2, 3]), run('wce-1', 'wce', [1, 2, 3])];
    const text = raceJson({ runs, query: 'loss=gdl&lr=0.01&size=48', backend: 'wasm', now: 5000 });
    const parsed = parseHistoryJson(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [exp] = parsed.experiments;
    expect(exp.name).toBe('gdl vs wce (exported)');
    expect(parseSettings(`?${exp.query}`).settings).toMatchObject({ lr: 0.01, size: 48 });
    expect(exp.runs.map((r) => r.steps.map((p) => p.loss))).toEqual(runs.map((r) => r.steps.map((p) => p.loss)));
    expect(exp.runs[1].validation).toEqual([{ step: 3, dice: 0.5 }]);
  });

  it('keeps every metric through export and import (NaN travels as null and comes back NaN)', () => {
    const r = run('gdl-1', 'gdl', [1, 2]);
    r.validation = [{ step: 2, dice: 0.6, metrics: METRICS_2 }];
    const text = raceJson({ runs: [r], query: 'loss=gdl', backend: 'wasm', now: 5000 });
    expect(text).toContain('"recallLarge": null');
    const parsed = parseHistoryJson(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.experiments[0].runs[0].validation).toEqual([{ step: 2, dice: 0.6, metrics: METRICS_2 }]);
  });

  it('old files without metrics still import; a malformed metric names its path', () => {
    const r = run('gdl-1', 'gdl', [1, 2]);
    const old = raceJson({ runs: [r], query: 'loss=gdl', backend: 'wasm', now: 5000 });
    const parsed = parseHistoryJson(old);
    expect(parsed.ok && parsed.experiments[0].runs[0].validation).toEqual([{ step: 2, dice: 0.5 }]);
    const bad = old.replace('"dice": 0.5', '"dice": 0.5, "metrics": { "hd95": "far" }');
    expect(bad).not.toBe(old);
    expect(parseHistoryJson(bad)).toEqual({
      ok: false,
      message: expect.stringContaining('experiments[0].runs[0].validation[0].metrics.hd95 must be a number'),
    });
    const partial = old.replace('"dice": 0.5', '"dice": 0.5, "metrics": { "lesionF1": 0.4 }');
    const p = parseHistoryJson(partial);
    const m = p.ok ? p.experiments[0].runs[0].validation[0].metrics : undefined;
    expect(m?.lesionF1).toBe(0.4);
    expect(m?.hd95).toBeNaN(); // missing from the file: not defined
  });
});
