import { describe, expect, it } from 'vitest';
import { buildRunRequests } from './run-requests';
import { replicateSummary } from './replicates';
import { DEFAULT_SETTINGS, parseSettings } from './settings';
import type { RunSummary } from './store';

const run = (loss: string, seed: number, dice: number | null): RunSummary => ({
  id: `${loss}-${seed}`,
  label: `${loss} s${seed}`,
  color: loss === 'gdl' ? '#3bb273' : '#e4572e',
  config: { loss, seed },
  status: 'done',
  statusStep: 10,
  steps: [],
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
});
