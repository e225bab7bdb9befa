import { describe, expect, it } from 'vitest';
import { type BaselineSubject, fitThreshold, scoreThreshold, thresholdBaseline } from './baseline';
import { generatePhantom } from './phantom';
import { subjectFromPhantom } from './subjects';

/** Independent reference: every distinct training value as a threshold, both directions, float64 counts. */
function bruteForce(train: BaselineSubject[], channels: number) {
  let best = { dice: -1, channel: 0, threshold: 0, bright: true };
  for (let c = 0; c < channels; c++) {
    const values: number[] = [];
    const lesion: boolean[] = [];
    let outside = 0;
    for (const s of train)
      for (let i = 0; i < s.label.length; i++) {
        if (!s.mask[i]) {
          if (s.label[i] > 0) outside++;
          continue;
        }
        values.push(s.channels[c][i]);
        lesion.push(s.label[i] > 0);
      }
    const order = values.map((_, k) => k).sort((a, b) => values[b] - values[a]);
    const fgAll = lesion.filter(Boolean).length;
    const all = values.length;
    let tp = 0;
    let taken = 0;
    // After taking every value >= v (descending), bright predicts those; dark predicts the rest.
    for (let k = 0; k < order.length; k++) {
      tp += lesion[order[k]] ? 1 : 0;
      taken++;
      if (k + 1 < order.length && values[order[k + 1]] === values[order[k]]) continue;
      const v = values[order[k]];
      const fp = taken - tp;
      const bright = (2 * tp) / (2 * tp + fp + (fgAll - tp + outside));
      const darkTp = fgAll - tp;
      const dark = (2 * darkTp) / (2 * darkTp + (all - taken - darkTp) + (tp + outside));
      if (bright > best.dice) best = { dice: bright, channel: c, threshold: v, bright: true };
      if (dark > best.dice) best = { dice: dark, channel: c, threshold: v, bright: false };
    }
  }
  return best;
}

/** Float64 Dice of one threshold rule on subjects (the reference's own counting). */
function diceOf(subjects: BaselineSubject[], channel: number, threshold: number, bright: boolean): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of subjects)
    for (let i = 0; i < s.label.length; i++) {
      const v = s.channels[channel][i];
      const pred = s.mask[i] > 0 && (bright ? v >= threshold : v < threshold);
      const fg = s.label[i] > 0;
      if (pred && fg) tp++;
      else if (pred) fp++;
      else if (fg) fn++;
    }
  return (2 * tp) / (2 * tp + fp + fn);
}

function phantomSubject(seed: number, kind: 'tumour' | 'wmh'): BaselineSubject {
  const p = generatePhantom({
    seed,
    shape: [24, 24, 18],
    noise: 0.05,
    difficulty: 'realistic',
    lesion: { kind, fraction: 0.02 },
  });
  return { ...subjectFromPhantom(p), mask: p.brainMask.data };
}

describe('thresholdBaseline', () => {
  for (const kind of ['tumour', 'wmh'] as const) {
    it(`${kind}: the histogram search finds the brute-force best threshold's Dice (within a bin) and reports it on validation`, () => {
      const train = [phantomSubject(1, kind), phantomSubject(2, kind)];
      const validation = [phantomSubject(3, kind)];
      const modalities = ['T1', 'T2', 'FLAIR'];
      const ref = bruteForce(train, 3);
      const got = thresholdBaseline({ train, validation, modalities });
      expect(got.trainDice).toBeLessThanOrEqual(ref.dice + 1e-12);
      expect(got.trainDice).toBeGreaterThan(ref.dice - 0.01);
      const channel = modalities.indexOf(got.modality);
      const bright = got.direction === 'bright';
      // The reported threshold reproduces the reported Dice when applied by the reference's own counting.
      expect(diceOf(train, channel, got.threshold, bright)).toBeCloseTo(got.trainDice, 2);
      expect(diceOf(validation, channel, got.threshold, bright)).toBeCloseTo(got.dice, 2);
    });
  }

  it('finds a dark lesion on the one channel that shows it, and counts lesion outside the mask as missed', () => {
    const n = 1000;
    const make = (shift: number): BaselineSubject => {
      const label = new Uint8Array(n);
      const a = new Float32Array(n);
      const b = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        label[i] = i % 10 === 0 ? 1 : 0;
        a[i] = (i * 7919) % 100; // unrelated to the label
        b[i] = label[i] ? -5 + shift : 3 + ((i * 31) % 5);
      }
      const mask = new Uint8Array(n).fill(1);
      mask[0] = 0; // one lesion voxel outside the brain
      return { channels: [a, b], label, mask };
    };
    const got = thresholdBaseline({ train: [make(0)], validation: [make(0.5)], modalities: ['A', 'B'] });
    expect(got.modality).toBe('B');
    expect(got.direction).toBe('dark');
    expect(got.threshold).toBeGreaterThan(-4.5);
    expect(got.threshold).toBeLessThanOrEqual(3);
    // 100 lesion voxels, 99 inside the mask and all found: Dice = 2*99 / (2*99 + 1).
    expect(got.dice).toBeCloseTo(198 / 199, 12);
  });

  it('fitted on the training subjects alone, then scored on validation, gives the same baseline', () => {
    const train = [phantomSubject(4, 'tumour'), phantomSubject(5, 'tumour')];
    const validation = [phantomSubject(6, 'tumour')];
    const modalities = ['T1', 'T2', 'FLAIR'];
    const fit = fitThreshold({ train, modalities });
    expect(scoreThreshold(fit, validation)).toEqual(thresholdBaseline({ train, validation, modalities }));
    // The fit is the search: a second validation set reuses it, and its training Dice stays put.
    const other = scoreThreshold(fit, [phantomSubject(7, 'tumour')]);
    expect(other.trainDice).toBe(fit.best?.dice);
    expect(other.threshold).toBe(scoreThreshold(fit, validation).threshold);
    expect(() => scoreThreshold(fit, [])).toThrow(/validation/);
    expect(() => fitThreshold({ train: [], modalities })).toThrow(/training/);
  });
});
