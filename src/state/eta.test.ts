import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../domain/engine-types';
import { raceEtaMs } from './eta';

const pts = (ms: number[], from = 1): StepPoint[] =>
  ms.map((msPerStep, i) => ({ step: from + i, loss: 1, trainDice: 0, predictedFg: 0.1, msPerStep, lr: 1e-3 }));

describe('raceEtaMs', () => {
  it('uses the median of the recent rate, so warm-up and one slow read do not inflate it', () => {
    // 5 slow warm-up steps, then 30 steps at 25 ms with one 850 ms outlier among the last 25.
    const ms = [900, 800, 700, 600, 500, ...Array(29).fill(25), 850];
    const eta = raceEtaMs([{ status: 'running', steps: pts(ms), totalSteps: 135 }]);
    expect(eta).toBe(100 * 25);
  });

  it('adds the runs of a race (they take turns), skips finished ones, and lends a rate to a run not yet started', () => {
    const eta = raceEtaMs([
      { status: 'running', steps: pts(Array(10).fill(20)), totalSteps: 110 },
      { status: 'done', steps: pts(Array(10).fill(30)), totalSteps: 10 },
      { status: 'idle', steps: [], totalSteps: 50 },
    ]);
    expect(eta).toBe(100 * 20 + 50 * 25);
  });

  it('is null until some run has a rate', () => {
    expect(raceEtaMs([{ status: 'idle', steps: [], totalSteps: 50 }])).toBeNull();
  });
});
