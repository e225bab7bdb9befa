// One sentence on the paper's claim (GDL most robust under imbalance), from the robustness rows.
import { lossShortLabel } from './labels';
import { type LossRobustness, rankLosses } from './table';
import type { SweepStatistic } from './types';

/** Differences under this (Dice) are within the noise of one seed: such losses tie. */
export const TIE_DICE = 0.02;

const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));

function ties(a: LossRobustness, b: LossRobustness): boolean {
  const worst = Math.abs((a.worst?.median ?? 0) - (b.worst?.median ?? 0));
  return worst < TIE_DICE && a.failed === b.failed && Math.abs(a.mean - b.mean) < TIE_DICE;
}

/** The sentence for rows of any statistic (ranked lower-first where lower is better). */
export function verdict(rows: readonly LossRobustness[], statistic?: SweepStatistic): string {
  const done = rows.filter((r) => r.done > 0);
  if (done.length < 2) {
    // A sweep of several losses that has not finished a run of two of them yet is waiting, not wrong.
    if (rows.length >= 2)
      return `Waiting for results: the comparison appears once two losses have a finished run (${done.length} of ${rows.length} so far).`;
    return 'Train at least two losses to compare their robustness.';
  }
  const ranked = rankLosses(done, statistic).map((id) => done.find((r) => r.loss === id)!);
  const best = ranked[0];
  const top = ranked.filter((r) => r === best || ties(r, best));
  const names = top.map((r) => lossShortLabel(r.loss)).join(', ');
  const lead =
    top.length > 1
      ? `Most robust here: ${names}, tied within ${TIE_DICE} Dice (worst cell ${fmt(best.worst?.median)}, ${best.failed} failed).`
      : `Most robust here: ${names} (worst cell ${fmt(best.worst?.median)}, ${best.failed} failed).`;
  const gdl = done.find((r) => r.loss === 'gdl');
  if (!gdl) return lead;
  const so = done.some((r) => r.done < r.total) ? ' so far' : '';
  if (top.length === 1 && best === gdl) return `${lead} The paper's claim holds in this sweep${so}: GDL has the best worst case.`;
  if (top.includes(gdl)) return `${lead} The paper's claim holds only in part${so}: GDL shares the best worst case.`;
  const place = ranked.indexOf(gdl) + 1;
  return `${lead} The paper's claim does not hold in this sweep${so}: GDL ranks ${place} of ${done.length}.`;
}
