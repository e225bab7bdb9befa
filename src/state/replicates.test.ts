import { describe, expect, it } from 'vitest';
import { buildRunRequests } from './run-requests';
import { groupByLoss, hasReplicates, lastKAcrossSeeds, metricAcrossSeeds, replicateSummary, verdictLine } from './replicates';
import { DEFAULT_SETTINGS, parseSettings } from './settings';
import type { RunSummary } from './store';

const run = (loss: string, seed: number, dice: number | null, train: number[] = []): RunSummary => ({
  id: `${loss}-${seed}`,
  label: `${loss} s${seed}`,
  color: loss === 'gdl' ? '#3bb273' : '#e4572e',
  config: { loss, seed },
  status: 'done',
  statusStep: 10,
  steps: train.map((trainDice, i) => ({ step: i + 1, loss: 1 - trainDice, trainDice, predictedFg: 0, msPerStep: 10, lr: 1e-3 })),
  validation: dice === null ? [] : [{ step: 10, dice }],
  lrChanges: [],
  totalSteps: 10,
  startedAt: 0,
});

describe('replicates', () => {
  it('seeds=N trains every loss with seeds seed .. seed + N - 1 (ids unchanged for one seed)', () => {
    const { settings, notices } = parseSettings('?losses=gdl,wce&seed=4&seeds=3');
    expect(notices).toEqual([]);
    const reqs = buildRunRequests(settings);
    expect(reqs.map((r) => [r.runId, r.seed])).toEqual([
      ['gdl-4', 4],
      ['gdl-5', 5],
      ['gdl-6', 6],
      ['wce-4', 4],
      ['wce-5', 5],
      ['wce-6', 6],
    ]);
    expect(buildRunRequests(DEFAULT_SETTINGS).map((r) => r.runId)).toEqual(['wce-1', 'dl2-1', 'ss-1', 'gdl-1']);
    expect(parseSettings('?seeds=11').notices).toEqual(['Ignored seeds=11: expected an integer in [1, 10].']);
  });

  it('mean [t interval] per loss, and each loss paired by seed with the best one', () => {
    const runs = [
      run('wce', 1, 0.5),
      run('wce', 2, 0.4),
      run('wce', 3, 0.6),
      run('gdl', 1, 0.7),
      run('gdl', 2, 0.6),
      run('gdl', 3, 0.9),
      run('gdl', 4, null), // still training: left out of the mean and the pairs
    ];
    const { rows, best } = replicateSummary(runs, 'dice');
    expect(best).toBe('gdl');
    const [wce, gdl] = rows;
    expect(wce.ci.mean).toBeCloseTo(0.5, 12);
    // sd 0.1, t(0.975, 2) = 4.302652730: half-width 4.3027 x 0.1 / sqrt 3.
    expect(wce.ci.hi - wce.ci.mean).toBeCloseTo((4.30265273 * 0.1) / Math.sqrt(3), 7);
    expect(gdl.ci).toMatchObject({ n: 3 });
    expect(gdl.paired).toBeUndefined();
    // Differences gdl - wce by seed: 0.2, 0.2, 0.3 -> better in 3 of 3; exact two-sided p = 2/8.
    expect(wce.paired!.comparison).toMatchObject({ n: 3, better: 3, worse: 0 });
    expect(wce.paired!.comparison.wilcoxon.p).toBe(0.25);
    expect(wce.paired!.text).toMatch(/^gdl vs wce: better in 3 of 3 seeds, paired difference \+0\.233 \[/);
  });

  it("groups a loss's seeds: median (IQR) across seeds of each run's last-K Dice and last validation", () => {
    const runs = [
      run('gdl', 1, 0.7, [0.1, 0.5, 0.6, 0.7]), // last 3: 0.5, 0.6, 0.7 -> 0.6
      run('wce', 1, 0.2, [0.2, 0.2]),
      run('gdl', 2, 0.9, [0.9, 0.8, 0.2]), // -> 0.8
      run('gdl', 3, null, [0.3, 0.4, 0.3]), // -> 0.3; no validation yet
      { ...run('gdl', 4, null, [0.5]), status: 'diverged' as const }, // counts 0
    ];
    const groups = groupByLoss(runs);
    expect(groups.map((g) => [g.loss, g.runs.map((r) => r.id)])).toEqual([
      ['gdl', ['gdl-1', 'gdl-2', 'gdl-3', 'gdl-4']],
      ['wce', ['wce-1']],
    ]);
    expect(hasReplicates(groups)).toBe(true);
    expect(hasReplicates(groupByLoss([runs[0], runs[1]]))).toBe(false);
    // Per-run medians 0, 0.3, 0.6, 0.8: median 0.45; type-7 quartiles 0.225 and 0.65.
    const d = lastKAcrossSeeds(groups[0].runs, 3);
    expect(d.median).toBeCloseTo(0.45, 12);
    expect(d.q1).toBeCloseTo(0.225, 12);
    expect(d.q3).toBeCloseTo(0.65, 12);
    expect(d.count).toBe(4);
    // Validation: 0.7 and 0.9 (two seeds have none).
    const v = metricAcrossSeeds(groups[0].runs, 'dice');
    expect([v.median, v.count]).toEqual([0.8, 2]);
    expect(v.iqr).toBeCloseTo(0.1, 12);
  });

  it('a one-line verdict per loss from the paired comparison, none before any pair', () => {
    const { rows, best } = replicateSummary(
      [run('gdl', 1, 0.7), run('gdl', 2, 0.6), run('wce', 1, 0.5), run('wce', 2, 0.65)],
      'dice',
    );
    // gdl - wce by seed: +0.2, -0.05 -> better in 1 of 2; ranks 2 and 1, W+ = 2; P(W+ >= 2) = 2/4, so two-sided p = 1.
    expect(rows.map((r) => verdictLine(r, best))).toEqual(['best mean', 'gdl vs wce: better in 1 of 2 seeds, p = 1.000']);
    // Mid-race, wce's seeds 2 and 3 have not validated yet: the best is ranked on seed 1, which both have
    // (gdl 0.44 > wce 0.34), not on gdl's mean over three seeds (0.22) against wce's one.
    const ragged = replicateSummary(
      [run('gdl', 1, 0.44), run('gdl', 2, 0.23), run('gdl', 3, 0), run('wce', 1, 0.34), run('wce', 2, null), run('wce', 3, null)],
      'dice',
    );
    expect(ragged.best).toBe('gdl');
    expect(verdictLine(ragged.rows[1], ragged.best)).toBe('gdl vs wce: better in 1 of 1 seeds, p = 1.000');
    const none = replicateSummary([run('gdl', 1, null), run('wce', 1, null)], 'dice');
    expect(none.rows.map((r) => verdictLine(r, none.best))).toEqual([null, null]);
  });
});
