import { describe, expect, it } from 'vitest';
import type { LossRobustness } from './table';
import { verdict } from './verdict';

const row = (loss: LossRobustness['loss'], worst: number, mean: number, failed = 0, done = 9): LossRobustness => ({
  loss,
  mean,
  worst: { median: worst, patch: 'L', lr: 1e-3, burden: 0.01 },
  failed,
  partial: 0,
  done,
  total: 9,
});

describe('verdict on the paper\u2019s claim', () => {
  it('holds when GDL alone has the best worst case', () => {
    expect(verdict([row('wce', 0, 0.5, 2), row('gdl', 0.6, 0.7)])).toBe(
      "Most robust here: GDL (worst cell 0.60, 0 failed). The paper's claim holds in this sweep: GDL has the best worst case.",
    );
  });

  it('holds in part when GDL ties with another loss', () => {
    const v = verdict([row('dl2', 0.07, 0.652), row('gdl', 0.07, 0.648), row('ss', 0, 0.05, 3)]);
    expect(v).toMatch(/^Most robust here: DL2, GDL, tied within 0.02 Dice/);
    expect(v).toMatch(/holds only in part: GDL shares the best worst case\.$/);
  });

  it('does not hold when GDL is clearly behind; says when the sweep is unfinished', () => {
    expect(verdict([row('wce', 0.5, 0.7), row('gdl', 0.2, 0.6, 1, 5)])).toMatch(
      /does not hold in this sweep so far: GDL ranks 2 of 2\.$/,
    );
    expect(verdict([row('gdl', 0.5, 0.7)])).toMatch(/at least two losses/);
    // A running sweep of four losses with no finished run yet is waiting, not short of losses.
    const running = (['wce', 'dl2', 'ss', 'gdl'] as const).map((l) => row(l, 0, 0, 0, 0));
    expect(verdict(running)).toBe(
      'Waiting for results: the comparison appears once two losses have a finished run (0 of 4 so far).',
    );
    expect(verdict([row('wce', 0.5, 0.7), row('dl2', 0.2, 0.6)])).toBe('Most robust here: WCE (worst cell 0.50, 0 failed).');
  });
});
